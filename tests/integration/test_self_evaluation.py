"""The self-evaluation: started and drafted from the evidence by a senior leader, edited
(autosaved, version-checked, logged), agreed, signed off by the director and then read-only;
compared with last year; downloaded as Word and PDF. Bad input changes nothing."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from councils import clock
from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role, User
from councils.tenancy import acting_for
from evidence.action_plan.models import Action
from evidence.self_evaluation import self_evaluations
from evidence.self_evaluation.drafting import HOW_WE_KNOW, OUR_PLANS, QUESTIONS, WHAT_WE_KNOW
from evidence.self_evaluation.models import MAX_TEXT, SelfEvaluation, SelfEvaluationSection
from inspect_ready.pages import govuk_date
from judgement_framework import load_framework
from tests.support.client_request import url
from tests.support.documents import header_text, pdf_pages, word, word_text
from tests.support.factories import make_council, make_evidence, make_user
from tests.support.pages import error_summary, page_text

THIS_YEAR = self_evaluations.year_of(dt.date.today())
HTMX = {"HX-Request": "true"}


@pytest.fixture()
def council(database):
    council = make_council("Northshire")
    leader = make_user(council, Role.SENIOR_LEADER, name="Gareth Leader")
    head = make_user(council, Role.HEAD_OF_SERVICE, name="Hana Head")
    make_evidence(council, title="Front door audit findings")
    with acting_for(council.id):
        db.session.add(
            Action(
                what="Re-audit strategy discussions",
                owner_id=head.id,
                due_date=dt.date.today() + dt.timedelta(days=30),
                success_measure="Audits good or better",
                area_id="help_protection",
            )
        )
        db.session.flush()
    db.session.commit()
    return {"council": council, "leader": leader, "head": head}


def _start(client_request, year=THIS_YEAR, **kwargs):
    return client_request.post("self_evaluation.new", _data={"year_starting": str(year)}, **kwargs)


def _started(council, year=THIS_YEAR) -> SelfEvaluation:
    with acting_for(council["council"].id):
        return self_evaluations.for_year(year)


def _section(found: SelfEvaluation, area_id: str, question: str) -> SelfEvaluationSection:
    return next(s for s in found.sections if s.area_id == area_id and s.question == question)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _save(client_request, section, text, action="save", version=None, **kwargs):
    data = {"text": text, "version": str(section.version if version is None else version), "action": action}
    return client_request.post(
        "self_evaluation.section",
        self_evaluation_id=section.self_evaluation_id,
        section_id=section.id,
        _data=data,
        **kwargs,
    )


def _agree_all(found: SelfEvaluation, by) -> None:
    with acting_for(found.council_id):
        for section in found.sections:
            self_evaluations.save_section(section, section.text, version=section.version, by=by, agreed=True)
    db.session.commit()


def test_a_senior_leader_starts_the_year_and_every_judgement_is_drafted_from_the_evidence(client_request, council):
    client_request.sign_in(council["leader"])
    page = _start(client_request, _follow_redirects=True)
    found = _started(council)
    framework = load_framework("ilacs-2026")
    assert len(found.sections) == 3 * len(framework.areas)
    assert {s.area_id for s in found.sections} == {a.id for a in framework.areas}
    assert f"Self-evaluation for {found.year} drafted from the evidence" in page_text(page)
    known = _section(found, "help_protection", HOW_WE_KNOW)
    # Every drafted sentence is stored with its sources; the evidence item is behind the count.
    assert known.text.splitlines() == [s["text"] for s in known.drafted]
    assert any(src["title"] == "Front door audit findings" for s in known.drafted for src in s["sources"])
    plans = _section(found, "help_protection", OUR_PLANS)
    assert "Re-audit strategy discussions. Owner: Hana Head; due" in plans.text
    assert any(src["record"].startswith("action:") for s in plans.drafted for src in s["sources"])
    # Where there is no evidence, it says what is missing and names no record.
    assert known.text.startswith("We know this from 1 fresh piece of evidence: 1 document.")
    leaders_known = _section(found, "leaders", WHAT_WE_KNOW)
    assert "No graded case audits of this judgement" in leaders_known.text
    assert "No indicators are recorded for this judgement." in leaders_known.text
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "self_evaluation.started")).all()
    assert [(e.record_id, e.actor_id) for e in events] == [(str(found.id), council["leader"].id)]


def test_a_year_that_has_one_is_refused_naming_it_and_nothing_is_saved(client_request, council):
    client_request.sign_in(council["leader"])
    _start(client_request)
    before = (_count(SelfEvaluation), _count(SelfEvaluationSection))
    page = _start(client_request, _expected_status=200)
    assert error_summary(page) == [
        f"There is already a self-evaluation for {THIS_YEAR} to {THIS_YEAR + 1} (draft): "
        "open it from the list of self-evaluations"
    ]
    assert (_count(SelfEvaluation), _count(SelfEvaluationSection)) == before


def test_a_year_not_offered_is_refused(client_request, council):
    client_request.sign_in(council["leader"])
    page = _start(client_request, year=1900, _expected_status=200)
    assert error_summary(page) == ["Choose the year from the options shown"]
    assert _count(SelfEvaluation) == 0


def test_editing_a_section_saves_it_logs_who_changed_what_and_takes_the_agreement_away(client_request, council):
    client_request.sign_in(council["leader"])
    _start(client_request)
    section = _section(_started(council), "leaders", HOW_WE_KNOW)
    _save(client_request, section, "Leaders know their service.", action="agree")
    db.session.refresh(section)
    assert (section.text, section.agreed, section.agreed_by_id) == (
        "Leaders know their service.",
        True,
        council["leader"].id,
    )
    client_request.sign_in(council["head"])
    _save(client_request, section, "Leaders know their service well.")
    db.session.refresh(section)
    assert (section.text, section.agreed, section.updated_by_id) == (
        "Leaders know their service well.",
        False,
        council["head"].id,
    )
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.record_type == "self_evaluation_section").order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.actor_id) for e in events] == [
        ("self_evaluation.section_agreed", council["leader"].id),
        ("self_evaluation.section_saved", council["head"].id),
    ]
    assert events[1].before == {"text": "Leaders know their service.", "agreed": True}
    assert events[1].after == {"text": "Leaders know their service well.", "agreed": False}


def test_autosave_through_htmx_saves_and_gives_the_new_version(client_request, council):
    client_request.sign_in(council["leader"])
    _start(client_request)
    section = _section(_started(council), "leaders", OUR_PLANS)
    response = client_request.post_response(
        "self_evaluation.section",
        self_evaluation_id=section.self_evaluation_id,
        section_id=section.id,
        _data={"text": "Autosaved words", "version": str(section.version)},
        _headers=HTMX,
        _expected_status=200,
    )
    assert response.status_code == 200
    db.session.refresh(section)
    assert section.text == "Autosaved words"
    assert f'value="{section.version}"' in response.get_data(as_text=True)


def test_a_save_from_an_old_page_shows_both_versions_and_saves_nothing(client_request, council):
    client_request.sign_in(council["leader"])
    _start(client_request)
    section = _section(_started(council), "leaders", OUR_PLANS)
    opened = section.version
    _save(client_request, section, "The head of service's words")
    client_request.sign_in(council["head"])
    page = _save(client_request, section, "My words", version=opened, _expected_status=409)
    assert "Someone else saved this section after you opened it" in page_text(page)
    assert "The head of service's words" in page_text(page)  # theirs, shown beside
    assert page.select_one("textarea").text.strip() == "My words"  # the person's own, kept
    db.session.refresh(section)
    assert section.text == "The head of service's words"
    htmx = client_request.post_response(
        "self_evaluation.section",
        self_evaluation_id=section.self_evaluation_id,
        section_id=section.id,
        _data={"text": "Autosave from the old page", "version": str(opened)},
        _headers=HTMX,
        _expected_status=200,
    )
    assert "someone else has saved this section" in htmx.get_data(as_text=True)
    db.session.refresh(section)
    assert section.text == "The head of service's words"


def test_over_long_text_is_refused_on_the_field(client_request, council):
    client_request.sign_in(council["leader"])
    _start(client_request)
    section = _section(_started(council), "leaders", OUR_PLANS)
    page = _save(client_request, section, "x" * (MAX_TEXT + 1), _expected_status=400)
    assert error_summary(page) == [f"Answer must be {MAX_TEXT} characters or fewer"]
    db.session.refresh(section)
    assert section.text != "x" * (MAX_TEXT + 1)


def test_sign_off_is_refused_while_a_section_is_unagreed_and_then_goes_through(client_request, council):
    client_request.sign_in(council["leader"])
    _start(client_request)
    found = _started(council)
    data = {"version": str(found.version)}
    page = client_request.post(
        "self_evaluation.sign_off", self_evaluation_id=found.id, _data=data, _expected_status=200
    )
    assert f"{len(found.sections)} sections are not agreed yet, so it cannot be signed off" in page_text(page)
    assert not page.select("input[name=confirmed]")
    # Posting the confirmation by hand is refused the same way.
    client_request.post("self_evaluation.sign_off", self_evaluation_id=found.id, _data=data | {"confirmed": "yes"})
    db.session.refresh(found)
    assert not found.signed_off
    _agree_all(found, council["leader"])
    db.session.refresh(found)
    data = {"version": str(found.version), "confirmed": "yes"}
    client_request.post(
        "self_evaluation.sign_off",
        self_evaluation_id=found.id,
        _data=data,
        _expected_redirect=url("self_evaluation.show", self_evaluation_id=found.id),
    )
    db.session.refresh(found)
    assert (found.signed_off, found.signed_off_by_id) == (True, council["leader"].id)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "self_evaluation.signed_off"))


def test_after_sign_off_it_is_read_only(client_request, council):
    client_request.sign_in(council["leader"])
    _start(client_request)
    found = _started(council)
    _agree_all(found, council["leader"])
    with acting_for(found.council_id):
        self_evaluations.sign_off(found, version=found.version, by=council["leader"])
    db.session.commit()
    section = found.sections[0]
    page = client_request.get("self_evaluation.section", self_evaluation_id=found.id, section_id=section.id)
    assert not page.select("textarea")
    text = section.text
    page = _save(client_request, section, "A change after sign-off", _expected_status=409)
    assert "has been signed off, so it can no longer change" in page_text(page)
    db.session.refresh(section)
    assert section.text == text


def test_only_a_senior_leader_starts_or_signs_off(client_request, council):
    client_request.sign_in(council["head"])
    _start(client_request, _expected_status=403)
    client_request.sign_in(council["leader"])
    _start(client_request)
    found = _started(council)
    client_request.sign_in(council["head"])
    client_request.get("self_evaluation.show", self_evaluation_id=found.id)
    client_request.post(
        "self_evaluation.sign_off", self_evaluation_id=found.id, _data={"version": "1"}, _expected_status=403
    )
    for role in (Role.PEER_REVIEWER, Role.ADMINISTRATOR):
        client_request.sign_in(make_user(council["council"], role))
        client_request.get_response("self_evaluation.show", self_evaluation_id=found.id, _expected_status=403)


def test_another_councils_self_evaluation_is_not_found(client_request, council):
    client_request.sign_in(council["leader"])
    _start(client_request)
    found = _started(council)
    other = make_user(make_council("Southshire"), Role.SENIOR_LEADER)
    client_request.sign_in(other)
    client_request.get_response("self_evaluation.show", self_evaluation_id=found.id, _expected_status=404)
    client_request.get_response(
        "self_evaluation.section", self_evaluation_id=found.id, section_id=found.sections[0].id, _expected_status=404
    )
    client_request.get_response(
        "self_evaluation.download", self_evaluation_id=found.id, file_format="docx", _expected_status=404
    )
    assert client_request.get("self_evaluation.index").select("tbody tr") == []


def test_last_years_stays_and_the_two_compare_section_by_section(client_request, council):
    client_request.sign_in(council["leader"])
    _start(client_request, year=THIS_YEAR - 1)
    last_year = _started(council, THIS_YEAR - 1)
    _save(client_request, _section(last_year, "leaders", WHAT_WE_KNOW), "Last year's words on leaders.")
    _start(client_request)
    this_year = _started(council)
    page = client_request.get("self_evaluation.compare", self_evaluation_id=this_year.id)
    words = page_text(page)
    assert f"{this_year.year} compared with {last_year.year}" in words
    assert "Last year's words on leaders." in words
    assert words.count(QUESTIONS[WHAT_WE_KNOW]) == len(load_framework("ilacs-2026").areas)
    assert [s.year for s in self_evaluations_of(council)] == [this_year.year, last_year.year]


def self_evaluations_of(council):
    with acting_for(council["council"].id):
        return self_evaluations.all_self_evaluations()


def test_it_downloads_as_word_and_pdf_with_the_councils_name(client_request, council):
    client_request.sign_in(council["leader"])
    _start(client_request)
    found = _started(council)
    _save(client_request, _section(found, "leaders", WHAT_WE_KNOW), "Leaders know their service.")
    response = client_request.get_response("self_evaluation.download", self_evaluation_id=found.id, file_format="docx")
    today = govuk_date(clock.today())
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="Northshire - Self-evaluation {found.year} - self-evaluation - {today}.docx"'
    )
    document = word(response.data)
    assert header_text(document).startswith("OFFICIAL\n")
    assert "Northshire" in header_text(document)
    assert "Leaders know their service." in word_text(document)
    pdf = client_request.get_response("self_evaluation.download", self_evaluation_id=found.id, file_format="pdf")
    pages = pdf_pages(pdf.data)
    assert "Northshire" in pages[0] and "Page 1 of" in pages[0]


def test_the_latest_self_evaluation_and_its_summary_for_other_pages(client_request, council):
    client_request.sign_in(council["leader"])
    with acting_for(council["council"].id):
        assert self_evaluations.latest_self_evaluation() is None
    _start(client_request, year=THIS_YEAR - 1)
    _start(client_request)
    with acting_for(council["council"].id):
        latest = self_evaluations.latest_self_evaluation()
        summaries = self_evaluations.judgement_summaries(latest)
    assert latest.year_starting == THIS_YEAR
    framework = load_framework("ilacs-2026")
    assert [s.title for s in summaries] == [a.title for a in framework.areas]
    first = _section(latest, summaries[0].area_id, WHAT_WE_KNOW).text.splitlines()
    assert summaries[0].what_we_know.startswith(first[0])
    assert {s.status for s in summaries} == {"Not agreed yet"}


def test_the_demo_has_last_years_signed_off_and_this_years_in_draft(database, tmp_path, client_request):
    from councils.models import Council
    from inspect_ready import demo

    demo.load(tmp_path / "logins.json")
    northshire = db.session.scalars(select(Council).where(Council.name == demo.DEMO_COUNCIL)).one()
    with acting_for(northshire.id):
        this_year, last_year = self_evaluations.all_self_evaluations()
        director = db.session.scalars(select(User).where(User.role == Role.SENIOR_LEADER)).first()
    assert (this_year.year_starting, this_year.signed_off) == (THIS_YEAR, False)
    assert (last_year.year_starting, last_year.signed_off) == (THIS_YEAR - 1, True)
    assert all(s.agreed for s in last_year.sections) and not all(s.agreed for s in this_year.sections)
    # Drafted from the demo's evidence: its audits and actions are named.
    plans = _section(this_year, "help_protection", OUR_PLANS)
    assert any(src["record"].startswith("action:") for s in plans.drafted for src in s["sources"])
    client_request.sign_in(director)
    page = client_request.get("self_evaluation.compare", self_evaluation_id=this_year.id)
    assert "The improvement board reviewed this answer in March" in page_text(page)


def test_the_home_page_leads_a_senior_leader_to_the_self_evaluation(client_request, council):
    client_request.sign_in(council["leader"])
    home = client_request.get("home.index")
    assert "The council has no self-evaluation yet. Draft one from the evidence." in page_text(home)
    assert "Self-evaluation" in [a.text.strip() for a in home.select(".govuk-service-navigation__link")]
    _start(client_request)
    found = _started(council)
    home = client_request.get("home.index")
    link = home.find("a", string=f"Self-evaluation {found.year}")
    assert link["href"] == url("self_evaluation.show", self_evaluation_id=found.id)
    assert f"in draft, {len(found.sections)} of {len(found.sections)} sections not agreed yet" in page_text(home)


def test_the_audit_log_reads_a_change_of_a_section_in_words(client_request, council):
    client_request.sign_in(council["leader"])
    _start(client_request)
    found = _started(council)
    _save(client_request, _section(found, "leaders", OUR_PLANS), "Our plan for leaders.")
    client_request.sign_in(make_user(council["council"], Role.ADMINISTRATOR))
    words = page_text(client_request.get("admin.audit_log", kind="self_evaluations"))
    assert "Self-evaluation section changed" in words
    assert f"Self-evaluation section: Self-evaluation {found.year}, " in words
    assert f"{QUESTIONS[OUR_PLANS]}" in words and "Text:" in words
    assert "Self-evaluation started and drafted from the evidence" in words
    assert "self_evaluation." not in words
