"""Recording findings: plain form and htmx autosave, the version check, citing evidence,
and a reviewer's own observation as new evidence."""

import pytest
from sqlalchemy import select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from councils.versions import StaleSave
from evidence.library.models import EvidenceItem, EvidenceKind
from evidence.reviews.models import Finding, FindingStatus, ReviewStatus
from tests.support.client_request import url
from tests.support.factories import make_council, make_evidence, make_user
from tests.support.pages import error_summary, page_text, section, summary_list, text
from tests.support.review_factories import add_to_team, make_finding, make_review


@pytest.fixture()
def team(database):
    northshire, eastbrook = make_council("Northshire"), make_council("Eastbrook")
    leader = make_user(northshire, Role.SENIOR_LEADER, name="Gareth Leader")
    tom = make_user(eastbrook, Role.PEER_REVIEWER, name="Tom Okafor")
    maria = make_user(northshire, Role.HEAD_OF_SERVICE, name="Maria Lopez")
    review = make_review(northshire, leader)
    kloe = review.kloes[2]  # help and protection
    add_to_team(review, tom, kloes=[kloe])
    add_to_team(review, maria, kloes=[kloe])
    evidence = make_evidence(northshire, title="Front door audit, March")
    db.session.commit()
    return dict(northshire=northshire, leader=leader, tom=tom, maria=maria, review=review, kloe=kloe, evidence=evidence)


def _kloe(team):
    """The endpoint arguments naming the team's line of enquiry."""
    return {"review_id": team["review"].id, "kloe_id": team["kloe"].id}


def _finding():
    with acting_for(None):
        return db.session.scalars(select(Finding)).first()


HTMX = {"HX-Request": "true"}
FORM = {
    "strengths": "Thresholds are understood",
    "areas_for_development": "Step-down is slow",
    "needs_to_improve": "",
    "grade": "good",
    "confidence": "high",
}


def test_a_reviewer_saves_a_finding_citing_evidence(client_request, team):
    client_request.sign_in(team["tom"])
    page = client_request.get("findings.show", **_kloe(team))
    evidence_choice = page.select_one(f'input[name="evidence_ids"][value="{team["evidence"].id}"]')
    assert text(page.select_one(f'label[for="{evidence_choice["id"]}"]')).startswith("Front door audit, March (")
    assert page.select_one("main form")["hx-post"] == url("findings.save", **_kloe(team))
    response = client_request.post_response(
        "findings.save",
        **_kloe(team),
        _data=FORM | {"version": "0", "action": "complete", "evidence_ids": [str(team["evidence"].id)]},
    )
    finding = _finding()
    assert (finding.status, finding.grade, finding.version) == (FindingStatus.COMPLETE, "good", 1)
    assert [c.evidence_item_id for c in finding.citations] == [team["evidence"].id]
    assert finding.updated_by == "Tom Okafor, Eastbrook"
    page = client_request.follow(response)
    assert [text(a) for element in section(page, "Evidence cited") for a in element.select("a")] == [
        "Front door audit, March"
    ]


def test_autosave_answers_htmx_with_a_fragment_and_the_new_version(client_request, team):
    client_request.sign_in(team["tom"])
    fragment = client_request.post(
        "findings.save", **_kloe(team), _data=FORM | {"version": "0"}, _headers=HTMX, _expected_status=200
    )
    assert page_text(fragment).startswith("Draft saved at ")
    version = fragment.select_one("input#version")
    assert (version["name"], version["value"], version["hx-swap-oob"]) == ("version", "1", "true")
    assert _finding().status is FindingStatus.DRAFT
    fragment = client_request.post(
        "findings.save",
        **_kloe(team),
        _data=FORM | {"version": "1", "strengths": "More"},
        _headers=HTMX,
        _expected_status=200,
    )
    assert fragment.select_one("input#version")["value"] == "2"


def test_a_second_save_from_an_older_version_shows_the_conflict(client_request, team):
    client_request.sign_in(team["tom"])
    client_request.post("findings.save", **_kloe(team), _data=FORM | {"version": "0", "strengths": "Tom's strengths"})
    client_request.sign_in(team["maria"])
    client_request.post("findings.save", **_kloe(team), _data=FORM | {"version": "1", "strengths": "Maria's strengths"})
    client_request.sign_in(team["tom"])
    page = client_request.post(
        "findings.save",
        **_kloe(team),
        _data=FORM | {"version": "1", "strengths": "Tom again, from the old page"},
        _expected_status=409,
    )
    theirs = section(page, "The version saved by Maria Lopez, Northshire")
    assert summary_list(theirs[0])["Strengths"] == "Maria's strengths"
    assert text(page.select_one("textarea#strengths")) == "Tom again, from the old page"
    assert page.select_one('input[name="version"]')["value"] == "2"
    assert _finding().strengths == "Maria's strengths"  # nothing overwritten
    fragment = client_request.post(
        "findings.save", **_kloe(team), _data=FORM | {"version": "1"}, _headers=HTMX, _expected_status=200
    )
    assert page_text(fragment).startswith("Someone else has saved this finding since you opened it.")
    # Having seen both, saving again on the new version replaces it.
    client_request.post("findings.save", **_kloe(team), _data=FORM | {"version": "2", "strengths": "Merged"})
    assert _finding().strengths == "Merged"


def test_the_database_catches_a_save_between_check_and_write(team):
    from evidence.reviews import findings
    from judgement_framework import Confidence, load_framework

    finding = make_finding(team["kloe"])
    db.session.commit()
    with acting_for(team["northshire"].id):
        seen = finding.version
        # Another request saves after this one checked the version: the row in memory is now behind.
        db.session.execute(Finding.__table__.update().values(version=seen + 1))
        with pytest.raises(StaleSave):
            findings.save_finding(
                team["kloe"],
                findings.FindingFields("x", "", "", None, Confidence.LOW),
                load_framework("ilacs-2026"),
                version=seen,
                author="Someone",
            )
    db.session.rollback()


def test_marking_complete_needs_strengths_or_areas(client_request, team):
    client_request.sign_in(team["tom"])
    page = client_request.post(
        "findings.save",
        **_kloe(team),
        _data={"version": "0", "confidence": "medium", "action": "complete"},
        _expected_status=400,
    )
    assert error_summary(page) == [
        "Enter the strengths or the areas for development before marking the finding complete"
    ]
    assert _finding() is None


def test_citing_evidence_outside_the_review_is_refused(client_request, team):
    other = make_evidence(make_council("Elsewhere"), title="Elsewhere's evidence")
    db.session.commit()
    client_request.sign_in(team["tom"])
    client_request.post(
        "findings.save",
        **_kloe(team),
        _data=FORM | {"version": "0", "evidence_ids": [str(other.id)]},
        _expected_status=404,
    )
    assert _finding() is None
    with acting_for(None):
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "finding.refused")).one()
    assert event.council_id == team["northshire"].id and str(other.id) in event.detail


def test_findings_are_fixed_once_the_review_has_reported(client_request, team):
    with acting_for(team["northshire"].id):
        team["review"].status = ReviewStatus.REPORTED
        db.session.commit()
    client_request.sign_in(team["tom"])
    page = client_request.get("findings.show", **_kloe(team))
    assert page.select("[hx-post]") == [] and page.select("main form") == []
    client_request.post("findings.save", **_kloe(team), _data=FORM | {"version": "0"}, _expected_status=403)
    assert _finding() is None


def test_an_observer_cannot_write_findings(client_request, team):
    from evidence.reviews.models import MemberRole

    watcher = make_user(team["northshire"], Role.HEAD_OF_SERVICE)
    add_to_team(team["review"], watcher, MemberRole.OBSERVER)
    db.session.commit()
    client_request.sign_in(watcher)
    client_request.post("findings.save", **_kloe(team), _data=FORM | {"version": "0"}, _expected_status=403)


def test_a_reviewer_adds_an_observation_as_evidence(client_request, team):
    client_request.sign_in(team["tom"])
    client_request.get("findings.observation", **_kloe(team))
    client_request.post(
        "findings.observation",
        **_kloe(team),
        _data={
            "kind": "voice_of_child",
            "title": "Young person on their plan",
            "summary": "Said their social worker listens.",
            "leaning": "strength",
            "evidence_date": ["2", "3", "2026"],
            "grade": "good",
        },
    )
    with acting_for(None):
        item = db.session.scalars(select(EvidenceItem).where(EvidenceItem.title == "Young person on their plan")).one()
    assert item.council_id == team["northshire"].id and item.kind is EvidenceKind.VOICE_OF_CHILD
    assert [link.area_id for link in item.links] == team["kloe"].area_ids
    assert item.id in [c.evidence_item_id for c in _finding().citations]


def test_a_bad_observation_changes_nothing(client_request, team):
    client_request.sign_in(team["tom"])
    page = client_request.post(
        "findings.observation",
        **_kloe(team),
        _data={"kind": "document", "title": "", "leaning": "strength", "evidence_date": ["", "", ""]},
        _expected_status=200,
    )
    assert text(page.select_one(".govuk-error-summary__title")) == "There is a problem"
    assert _finding() is None


def test_an_observation_naming_a_child_is_held_back_until_confirmed(client_request, team):
    client_request.sign_in(team["tom"])
    data = {
        "kind": "voice_of_child",
        "title": "A child on their plan",
        "summary": "Jayden Smith (age 9) told me he feels safe with his carers.",
        "leaning": "strength",
        "evidence_date": ["2", "3", "2026"],
        "grade": "good",
    }
    page = client_request.post("findings.observation", **_kloe(team), _data=data, _expected_status=200)
    assert "“Jayden Smith” is written with an age" in text(page.select_one("#named-child"))
    assert [text(b) for b in page.select("form .govuk-button")] == [
        "Add the evidence",
        "It names no child: add it as it is",
    ]
    with acting_for(None):
        assert db.session.scalar(select(EvidenceItem).where(EvidenceItem.title == data["title"])) is None
    # Written again by initials: saved without a word.
    client_request.post(
        "findings.observation", **_kloe(team), _data={**data, "summary": "J (age 9) told me he feels safe."}
    )
    # Or the person says it names no child, and it is saved as it is.
    client_request.post(
        "findings.observation",
        **_kloe(team),
        _data={**data, "title": "Second visit", "names_no_child": "It names no child: add it as it is"},
    )
    with acting_for(None):
        titles = db.session.scalars(select(EvidenceItem.title).where(EvidenceItem.kind == EvidenceKind.VOICE_OF_CHILD))
        assert sorted(titles) == ["A child on their plan", "Second visit"]


def test_a_finding_naming_a_child_is_held_back_until_confirmed(client_request, team):
    client_request.sign_in(team["tom"])
    named = FORM | {"version": "0", "strengths": "Jayden Smith, aged 9, says he feels safe at school."}
    page = client_request.post(
        "findings.save", **_kloe(team), _data=named | {"action": "complete"}, _expected_status=200
    )
    assert "“Jayden Smith” is written with an age" in text(page.select_one("#named-child"))
    confirm = page.select_one('button[name="names_no_child"]')
    assert (text(confirm), confirm["value"]) == ("It names no child: save it as it is", "complete")
    assert page.select_one("#strengths").get_text().strip() == named["strengths"]  # the text is kept to change
    assert _finding() is None
    # Autosave does not save it either, and says why.
    fragment = client_request.post("findings.save", **_kloe(team), _data=named, _headers=HTMX, _expected_status=200)
    assert page_text(fragment).startswith("Not saved: this seems to name a child (“Jayden Smith”")
    assert _finding() is None
    # Written by initials: saved without a word.
    client_request.post(
        "findings.save", **_kloe(team), _data=named | {"strengths": "J (aged 9) feels safe.", "action": "draft"}
    )
    assert _finding().strengths == "J (aged 9) feels safe."
    # Or the person says it names no child: saved as it is, with the action the warning stopped.
    client_request.post("findings.save", **_kloe(team), _data=named | {"version": "1", "names_no_child": "complete"})
    finding = _finding()
    assert finding.strengths == named["strengths"] and finding.status is FindingStatus.COMPLETE
    # Once saved, the confirmed words do not stop the autosave of the next change.
    fragment = client_request.post(
        "findings.save",
        **_kloe(team),
        _data=named | {"version": "2", "areas_for_development": "Step-down is slower"},
        _headers=HTMX,
        _expected_status=200,
    )
    assert page_text(fragment).startswith("Draft saved at ")
