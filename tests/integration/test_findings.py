"""Recording findings: plain form and htmx autosave, the version check, citing evidence,
and a reviewer's own observation as new evidence."""

import pytest
from sqlalchemy import select

from councils.audit_log import AuditEvent
from councils.models import Role
from councils.tenancy import acting_for
from evidence.library.models import EvidenceItem, EvidenceKind
from evidence.reviews.models import Finding, FindingStatus, ReviewStatus
from inspect_ready.extensions import db
from tests.support.factories import make_council, make_evidence, make_user, sign_in_as
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


def _url(team, end="finding"):
    return f"/reviews/{team['review'].id}/kloes/{team['kloe'].id}/{end}"


def _finding():
    with acting_for(None):
        return db.session.scalars(select(Finding)).first()


FORM = {
    "strengths": "Thresholds are understood",
    "areas_for_development": "Step-down is slow",
    "needs_to_improve": "",
    "grade": "good",
    "confidence": "high",
}


def test_a_reviewer_saves_a_finding_citing_evidence(client, team):
    sign_in_as(client, team["tom"])
    page = client.get(_url(team, "")[:-1]).get_data(as_text=True)
    assert "Front door audit, March" in page and 'hx-post="' in page
    response = client.post(
        _url(team), data=FORM | {"version": "0", "action": "complete", "evidence_ids": [str(team["evidence"].id)]}
    )
    assert response.status_code == 302
    finding = _finding()
    assert (finding.status, finding.grade, finding.version) == (FindingStatus.COMPLETE, "good", 1)
    assert [c.evidence_item_id for c in finding.citations] == [team["evidence"].id]
    assert finding.updated_by == "Tom Okafor, Eastbrook"
    page = client.get(response.location).get_data(as_text=True)
    assert "Evidence cited" in page and "Front door audit, March" in page


def test_autosave_answers_htmx_with_a_fragment_and_the_new_version(client, team):
    sign_in_as(client, team["tom"])
    response = client.post(_url(team), data=FORM | {"version": "0"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Draft saved" in text and 'name="version" id="version" value="1" hx-swap-oob="true"' in text
    assert _finding().status is FindingStatus.DRAFT
    response = client.post(
        _url(team), data=FORM | {"version": "1", "strengths": "More"}, headers={"HX-Request": "true"}
    )
    assert 'value="2"' in response.get_data(as_text=True)


def test_a_second_save_from_an_older_version_shows_the_conflict(client, team):
    sign_in_as(client, team["tom"])
    client.post(_url(team), data=FORM | {"version": "0", "strengths": "Tom's strengths"})
    sign_in_as(client, team["maria"])
    client.post(_url(team), data=FORM | {"version": "1", "strengths": "Maria's strengths"})
    sign_in_as(client, team["tom"])
    response = client.post(_url(team), data=FORM | {"version": "1", "strengths": "Tom again, from the old page"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Maria&#39;s strengths" in page and "Tom again, from the old page" in page
    assert 'name="version" type="hidden" value="2"' in page or 'value="2"' in page
    assert _finding().strengths == "Maria's strengths"  # nothing overwritten
    htmx = client.post(_url(team), data=FORM | {"version": "1"}, headers={"HX-Request": "true"})
    assert "Someone else has saved this finding" in htmx.get_data(as_text=True)
    # Having seen both, saving again on the new version replaces it.
    assert client.post(_url(team), data=FORM | {"version": "2", "strengths": "Merged"}).status_code == 302
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
        with pytest.raises(findings.FindingConflict):
            findings.save_finding(
                team["kloe"],
                findings.FindingFields("x", "", "", None, Confidence.LOW),
                load_framework("ilacs-2026"),
                version=seen,
                author="Someone",
            )
    db.session.rollback()


def test_marking_complete_needs_strengths_or_areas(client, team):
    sign_in_as(client, team["tom"])
    response = client.post(_url(team), data={"version": "0", "confidence": "medium", "action": "complete"})
    assert response.status_code == 400
    assert "Enter the strengths or the areas for development" in response.get_data(as_text=True)
    assert _finding() is None


def test_citing_evidence_outside_the_review_is_refused(client, team):
    other = make_evidence(make_council("Elsewhere"), title="Elsewhere's evidence")
    db.session.commit()
    sign_in_as(client, team["tom"])
    response = client.post(_url(team), data=FORM | {"version": "0", "evidence_ids": [str(other.id)]})
    assert response.status_code == 404
    assert _finding() is None
    with acting_for(None):
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "finding.refused")).one()
    assert event.council_id == team["northshire"].id and str(other.id) in event.detail


def test_findings_are_fixed_once_the_review_has_reported(client, team):
    with acting_for(team["northshire"].id):
        team["review"].status = ReviewStatus.REPORTED
        db.session.commit()
    sign_in_as(client, team["tom"])
    page = client.get(_url(team, "")[:-1]).get_data(as_text=True)
    assert 'hx-post="' not in page
    response = client.post(_url(team), data=FORM | {"version": "0"})
    assert response.status_code == 403 and _finding() is None


def test_an_observer_cannot_write_findings(client, team):
    from evidence.reviews.models import MemberRole

    watcher = make_user(team["northshire"], Role.HEAD_OF_SERVICE)
    add_to_team(team["review"], watcher, MemberRole.OBSERVER)
    db.session.commit()
    sign_in_as(client, watcher)
    assert client.post(_url(team), data=FORM | {"version": "0"}).status_code == 403


def test_a_reviewer_adds_an_observation_as_evidence(client, team):
    sign_in_as(client, team["tom"])
    assert client.get(_url(team, "observation")).status_code == 200
    response = client.post(
        _url(team, "observation"),
        data={
            "kind": "voice_of_child",
            "title": "Young person on their plan",
            "summary": "Said their social worker listens.",
            "leaning": "strength",
            "evidence_date": ["2", "3", "2026"],
            "grade": "good",
        },
    )
    assert response.status_code == 302
    with acting_for(None):
        item = db.session.scalars(select(EvidenceItem).where(EvidenceItem.title == "Young person on their plan")).one()
    assert item.council_id == team["northshire"].id and item.kind is EvidenceKind.VOICE_OF_CHILD
    assert [link.area_id for link in item.links] == team["kloe"].area_ids
    assert item.id in [c.evidence_item_id for c in _finding().citations]


def test_a_bad_observation_changes_nothing(client, team):
    sign_in_as(client, team["tom"])
    response = client.post(
        _url(team, "observation"),
        data={"kind": "document", "title": "", "leaning": "strength", "evidence_date": ["", "", ""]},
    )
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    assert _finding() is None
