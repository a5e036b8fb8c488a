"""The annual engagement meeting's pack: a senior leader chooses the meeting's date, reads the
pack on the page and downloads it as Word and PDF; a date that is not one, or far off, is a
message on the field; other roles and other councils never see it."""

import datetime as dt

import pytest
from sqlalchemy import select

from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence import standing
from evidence.action_plan.models import Action, ActionStatus
from evidence.case_audits.audit_summary import audits_between, weakest_questions
from evidence.case_audits.audit_templates import all_templates
from evidence.case_audits.models import AuditAnswer, CaseAudit
from evidence.engagement_meeting.pack import a_year_before
from evidence.performance import indicators
from evidence.performance.models import IndicatorValue
from inspect_ready.pages import govuk_date
from judgement_framework import load_framework
from tests.support.documents import header_text, pdf_pages, word, word_text
from tests.support.factories import date_parts, make_audit, make_council, make_evidence, make_user

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SECTIONS = [
    "Self-evaluation summary",
    "Indicators against England and last year",
    "Audit themes",
    "Progress on the last inspection's recommendations",
    "The improvement plan",
    "What changed since last year",
]
TODAY = dt.date.today()


def _action(council, owner, what, *, due, status=ActionStatus.NOT_STARTED, completed_on=None):
    with acting_for(council.id):
        action = Action(
            what=what,
            owner_id=owner.id,
            due_date=due,
            success_measure="Audits good or better",
            area_id="help_protection",
            status=status,
            completed_on=completed_on,
        )
        db.session.add(action)
        db.session.flush()
    return action


def _council_with_a_year(name: str, indicator_value: float = 80):
    """A council with figures now and a year ago, audits, evidence and a plan."""
    council = make_council(name)
    leader = make_user(council, Role.SENIOR_LEADER, name=f"Leader of {name}")
    make_evidence(council, title=f"Practice week, {name}")
    for reference in ("CP-100001", "CP-100002", "CP-100003"):
        make_audit(council, case_reference=reference)
    with acting_for(council.id):
        indicators.ensure_default_indicators()
        first = indicators.all_indicators()[0]
        indicators.record_value(first, a_year_before(TODAY).replace(day=1), indicator_value - 10)
        indicators.record_value(first, TODAY.replace(day=1), indicator_value)
    _action(council, leader, f"Re-audit strategy discussions in {name}", due=TODAY - dt.timedelta(days=5))
    _action(
        council,
        leader,
        f"Supervision policy refreshed in {name}",
        due=TODAY - dt.timedelta(days=30),
        status=ActionStatus.DONE,
        completed_on=TODAY - dt.timedelta(days=40),
    )
    db.session.commit()
    return {"council": council, "leader": leader, "indicator": first}


@pytest.fixture()
def northshire(database):
    return _council_with_a_year("Northshire")


def _headings(page) -> list[str]:
    return [h.get_text(strip=True) for h in page.select("#pack h2")]


def _section(page, heading: str) -> str:
    """The words of one section of the pack on the page: from its heading to the next."""
    [start] = [h for h in page.select("#pack h2") if h.get_text(strip=True) == heading]
    words = []
    for sibling in start.find_next_siblings():
        if sibling.name == "h2":
            break
        words.append(sibling.get_text(" ", strip=True))
    return " ".join(words)


def test_the_pack_shows_every_section_for_today_by_default(client_request, northshire):
    client_request.sign_in(northshire["leader"])
    page = client_request.get("engagement_meeting.index")
    assert _headings(page) == SECTIONS
    text = page.get_text(" ", strip=True)
    assert f"Pack for the meeting on {govuk_date(TODAY)}" in text
    assert northshire["indicator"].name in text
    assert "3 case audits in the year" in text
    assert "Re-audit strategy discussions in Northshire" in text  # overdue
    assert "Supervision policy refreshed in Northshire" in text  # done in the year
    assert "No self-evaluation has been recorded yet" in text
    assert "No recommendations from the last inspection have been recorded yet" in text
    assert f"On {govuk_date(a_year_before(TODAY))}" in text
    [day, month, year] = [page.select_one(f"#meeting_date-{part}")["value"] for part in ("day", "month", "year")]
    assert (int(day), int(month), int(year)) == (TODAY.day, TODAY.month, TODAY.year)
    links = {a.get_text(strip=True): a["href"] for a in page.select("main a[download]")}
    assert set(links) == {"Download as Word (.docx)", "Download as PDF"}


def test_other_words_in_the_address_leave_the_date_as_today(client_request, northshire):
    client_request.sign_in(northshire["leader"])
    page = client_request.get("engagement_meeting.index", page="2")
    assert page.select_one(".govuk-error-summary") is None
    assert f"Pack for the meeting on {govuk_date(TODAY)}" in page.get_text(" ", strip=True)


def test_a_chosen_meeting_date_is_the_packs(client_request, northshire):
    client_request.sign_in(northshire["leader"])
    meeting = TODAY + dt.timedelta(days=60)
    page = client_request.get("engagement_meeting.index", meeting_date=date_parts(meeting))
    text = page.get_text(" ", strip=True)
    # A meeting still to come reads the figures as they stand today.
    assert f"Pack for the meeting on {govuk_date(meeting)}" in text
    assert f"Figures as they stood on {govuk_date(TODAY)}" in text
    word_link = page.select_one("main a[download]")["href"]
    assert f"meeting_date={meeting.day}&meeting_date={meeting.month}&meeting_date={meeting.year}" in word_link


def test_a_past_meeting_looks_a_year_back_from_its_day(client_request, northshire):
    client_request.sign_in(northshire["leader"])
    meeting = TODAY - dt.timedelta(days=400)
    page = client_request.get("engagement_meeting.index", meeting_date=date_parts(meeting))
    text = page.get_text(" ", strip=True)
    assert f"Figures as they stood on {govuk_date(meeting)}" in text
    assert "No case audits were done in the year." in text  # the audits are this year's


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (["31", "2", "2027"], "Meeting date must be a real date, like 31 3 2027"),
        (["", "2", "2027"], "Meeting date must include a day, month and year"),
        (["", "", ""], "Enter the meeting date"),
        (["1", "1", str(TODAY.year + 5)], "Meeting date must be between"),
        (["1", "1", "1999"], "Meeting date must be between"),
        (["x", "٣", "99999999999999999999"], "Meeting date must be a real date"),
    ],
)
def test_a_date_that_is_not_a_meetings_is_refused_on_its_field(client_request, northshire, parts, message):
    client_request.sign_in(northshire["leader"])
    page = client_request.get("engagement_meeting.index", meeting_date=parts)
    summary = page.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert message in summary
    assert message in page.select_one("#meeting_date-error").get_text(" ", strip=True)
    assert _headings(page) == []  # no pack for a date that is not one
    for file_format in ("docx", "pdf"):
        response = client_request.get_response(
            "engagement_meeting.download", file_format=file_format, meeting_date=parts
        )
        assert response.mimetype == "text/html" and message in response.get_data(as_text=True)


def test_the_pack_downloads_as_word(client_request, northshire):
    client_request.sign_in(northshire["leader"])
    meeting = TODAY + dt.timedelta(days=14)
    response = client_request.get_response(
        "engagement_meeting.download", file_format="docx", meeting_date=date_parts(meeting)
    )
    assert response.mimetype == DOCX
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="Northshire - Annual engagement meeting - pack - {govuk_date(TODAY)}.docx"'
    )
    document = word(response.data)
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == SECTIONS
    assert header_text(document).split("\n") == ["OFFICIAL", "Northshire"]
    assert document.core_properties.author == "Northshire"
    text = word_text(document)
    assert f"Pack for the meeting on {govuk_date(meeting)}" in text
    assert northshire["indicator"].name in text
    indicator_table = next(t for t in document.tables if t.rows[0].cells[0].text == "Indicator")
    row = next(r for r in indicator_table.rows if r.cells[0].text == northshire["indicator"].name)
    assert row.cells[1].text.endswith(TODAY.strftime("%B %Y")) and row.cells[2].text != "No figure"


def test_the_pack_downloads_as_pdf_with_page_numbers_and_marking(client_request, northshire):
    client_request.sign_in(northshire["leader"])
    response = client_request.get_response("engagement_meeting.download", file_format="pdf")
    assert response.mimetype == "application/pdf"
    pages = pdf_pages(response.data)
    whole = "\n".join(pages)
    assert "Annual engagement meeting" in whole and "Audit themes" in whole
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "OFFICIAL" in page and "OFFICIAL-SENSITIVE" not in page
        assert "Northshire" in page


def test_an_action_naming_a_case_makes_the_pack_official_sensitive(client_request, northshire):
    _action(
        northshire["council"],
        northshire["leader"],
        "Re-audit CP-100002 with the team",
        due=TODAY - dt.timedelta(days=2),
    )
    client_request.sign_in(northshire["leader"])
    page = client_request.get("engagement_meeting.index")
    assert "Marked OFFICIAL-SENSITIVE" in page.get_text(" ", strip=True)
    response = client_request.get_response("engagement_meeting.download", file_format="docx")
    assert header_text(word(response.data)).split("\n")[0] == "OFFICIAL-SENSITIVE"


@pytest.mark.parametrize("role", [Role.HEAD_OF_SERVICE, Role.ADMINISTRATOR, Role.PEER_REVIEWER])
def test_only_senior_leaders_make_the_pack(client_request, northshire, role):
    client_request.sign_in(make_user(northshire["council"], role))
    client_request.get("engagement_meeting.index", _expected_status=403)
    client_request.get_response("engagement_meeting.download", file_format="docx", _expected_status=403)
    home = client_request.get("home.index")
    assert "engagement meeting" not in home.get_text(" ", strip=True).lower()


def test_a_senior_leader_finds_the_pack_from_home_and_the_navigation(client_request, northshire):
    client_request.sign_in(northshire["leader"])
    home = client_request.get("home.index")
    path = client_request.url("engagement_meeting.index")
    assert home.select_one(f"nav a[href='{path}']").get_text(strip=True) == "Engagement meeting"
    assert home.select_one(f"main a[href='{path}']") is not None


def test_the_pack_holds_only_the_signed_in_councils_records(client_request, northshire):
    eastbrook = _council_with_a_year("Eastbrook", indicator_value=20)
    client_request.sign_in(northshire["leader"])
    page = client_request.get("engagement_meeting.index").get_text(" ", strip=True)
    assert "Eastbrook" not in page and "Leader of Eastbrook" not in page
    response = client_request.get_response("engagement_meeting.download", file_format="docx")
    text = word_text(word(response.data))
    assert "Eastbrook" not in text and "20.0%" not in text
    client_request.sign_in(eastbrook["leader"])
    assert "Northshire" not in client_request.get("engagement_meeting.index").get_text(" ", strip=True)


def test_the_pack_scores_only_its_two_days_and_keeps_them(client_request, northshire, monkeypatch):
    scored = []
    real = standing.fresh_outcome

    def counting(council, as_of, *args, **kwargs):
        scored.append(as_of)
        return real(council, as_of, *args, **kwargs)

    monkeypatch.setattr(standing, "fresh_outcome", counting)
    client_request.sign_in(northshire["leader"])
    client_request.get("engagement_meeting.index")
    assert sorted(scored) == [a_year_before(TODAY), TODAY]
    client_request.get_response("engagement_meeting.download", file_format="docx")
    client_request.get("engagement_meeting.index")
    assert len(scored) == 2, "the second and third requests read the kept standing"


def test_the_years_audit_questions_are_counted_as_the_audit_summary_counts_them(northshire):
    council = northshire["council"]
    for number, recorded in enumerate(["not_applicable", "not_applicable", "no", "yes"]):
        answers = {"risk_managed": ("inadequate", ""), "activity_recorded": (recorded, "")}
        make_audit(council, case_reference=f"CP-20000{number}", answers=answers)
    make_audit(council, case_reference="CP-299999", audit_date=TODAY - dt.timedelta(days=500))
    framework = load_framework(council.framework_id)
    with acting_for(council.id):
        tally, themes = audits_between(framework, a_year_before(TODAY), TODAY)
        in_year = select(CaseAudit.id).where(CaseAudit.audit_date >= a_year_before(TODAY))
        pairs = db.session.execute(
            select(AuditAnswer.question_id, AuditAnswer.answer).where(AuditAnswer.case_audit_id.in_(in_year))
        ).all()
    texts = {q.id: q.text for t in all_templates() for q in t.questions}
    assert tally.audits == 7  # the fixture's three and these four, not the one of 500 days ago
    assert themes == weakest_questions([tuple(pair) for pair in pairs], texts)
    # Not applicable does not count: the fixture's three "no", then "no" and "yes" of these.
    recorded = next(theme for theme in themes if theme.question_id == "activity_recorded")
    assert (recorded.answered, recorded.weak) == (5, 4)


def test_the_kept_year_of_audits_follows_each_new_audit(northshire):
    council = northshire["council"]
    framework = load_framework(council.framework_id)
    with acting_for(council.id):
        db.session.commit()  # the fixture's changes saved, as a page would find them
        first, _ = audits_between(framework, a_year_before(TODAY), TODAY)
        again, _ = audits_between(framework, a_year_before(TODAY), TODAY)
    make_audit(council, case_reference="CP-300001")
    db.session.commit()
    with acting_for(council.id):
        after, _ = audits_between(framework, a_year_before(TODAY), TODAY)
    assert (first.audits, again.audits, after.audits) == (3, 3, 4)


def test_the_plan_counts_every_action_and_lists_the_first_few(client_request, northshire):
    council, leader = northshire["council"], northshire["leader"]
    for number in range(11):
        _action(council, leader, f"Overdue action {number}", due=TODAY - dt.timedelta(days=100 + number))
    _action(council, leader, "Due next month", due=TODAY + dt.timedelta(days=30), status=ActionStatus.IN_PROGRESS)
    _action(
        council,
        leader,
        "Done long ago",
        due=TODAY - dt.timedelta(days=420),
        status=ActionStatus.DONE,
        completed_on=TODAY - dt.timedelta(days=400),
    )
    client_request.sign_in(leader)
    page = client_request.get("engagement_meeting.index")
    text = page.get_text(" ", strip=True)
    assert "15 actions in the plan as it stands: not started 12; in progress 1; done 2." in text
    assert "Overdue (12)" in text and "And 2 more." in text
    heading = next(h for h in page.select("#pack h3") if h.get_text(strip=True) == "Overdue (12)")
    overdue = [li.get_text(" ", strip=True) for li in heading.find_next_sibling("ul").select("li")]
    assert len(overdue) == 10 and overdue[0].endswith("Overdue action 10")  # due longest ago first
    assert "Done in the year (1)" in text and "Done long ago" not in text


def test_signed_out_people_are_sent_to_sign_in(client_request, northshire):
    response = client_request.get_response("engagement_meeting.index", _expected_status=302)
    assert "sign-in" in response.headers["Location"] or "sign_in" in response.headers["Location"]


def test_the_recommendations_show_each_ones_latest_progress(client_request, northshire):
    from councils.versions import NEW
    from evidence.reviews.models import ReviewKind
    from evidence.visits import recommendations
    from evidence.visits.models import Progress
    from tests.support.visit_factories import make_recommendation, make_visit

    council, leader = northshire["council"], northshire["leader"]
    looked_at = make_recommendation(council, "Improve the timeliness of child protection conferences.")
    make_recommendation(council, "Strengthen management oversight of drift in plans.")
    visit = make_visit(council, leader, ReviewKind.MONITORING_VISIT_REHEARSAL, title="First monitoring visit")
    with acting_for(council.id):
        recommendations.record_progress(
            visit, looked_at, Progress.SOME, "Conferences are more timely.", version=NEW, author="Pat"
        )
    db.session.commit()
    client_request.sign_in(leader)
    section = _section(client_request.get("engagement_meeting.index"), SECTIONS[3])
    assert "Improve the timeliness of child protection conferences." in section
    assert "Some progress: Conferences are more timely." in section
    assert "Strengthen management oversight of drift in plans." in section
    assert "No monitoring visit has looked at it yet." in section
    assert "have been recorded yet" not in section


def test_the_self_evaluation_in_force_on_the_day_is_summarised(client_request, northshire):
    from evidence.self_evaluation import self_evaluations

    council, leader = northshire["council"], northshire["leader"]
    this_year = self_evaluations.year_of(TODAY)
    with acting_for(council.id):
        framework = load_framework(council.framework_id)
        self_evaluations.start(council, framework, this_year, by=leader)
    db.session.commit()
    client_request.sign_in(leader)
    section = _section(client_request.get("engagement_meeting.index"), SECTIONS[0])
    assert f"Status: not agreed yet (self-evaluation {this_year} to {this_year + 1})" in section
    assert "No self-evaluation has been recorded yet" not in section
    # A meeting two years back had no self-evaluation in force yet.
    earlier = TODAY.replace(year=TODAY.year - 2, day=1)
    page = client_request.get("engagement_meeting.index", meeting_date=date_parts(earlier))
    assert "No self-evaluation has been recorded yet" in _section(page, SECTIONS[0])


def test_each_indicators_recent_values_are_its_last_months_up_to_the_day(northshire):
    # The database keeps the last few months of each indicator (a window over its months): the
    # same series as reading every month and keeping the last few, for any day and any number.
    council, other = northshire["council"], _council_with_a_year("Southshire", indicator_value=30)["council"]
    with acting_for(council.id):
        first, second = indicators.all_indicators()[:2]
        start = TODAY.replace(day=1) - dt.timedelta(days=800)
        for month in range(26):
            period = (start + dt.timedelta(days=31 * month)).replace(day=1)
            if period not in _periods(first):
                indicators.record_value(first, period, month)
            if month % 3 == 0 and period not in _periods(second):
                indicators.record_value(second, period, 100 - month, numerator=100 - month, denominator=100)
        db.session.commit()
        every = db.session.execute(
            select(
                IndicatorValue.indicator_id, IndicatorValue.period, IndicatorValue.value, IndicatorValue.denominator
            ).order_by(IndicatorValue.indicator_id, IndicatorValue.period)
        ).all()
        for until in [start - dt.timedelta(days=1), start, start + dt.timedelta(days=400), TODAY]:
            for last in [1, 2, 3, 13, 40]:
                expected: dict[int, list] = {}
                for indicator_id, period, value, denominator in every:
                    if period <= until:
                        expected.setdefault(indicator_id, []).append((period, value, denominator))
                expected = {key: series[-last:] for key, series in expected.items()}
                found = indicators.recent_values_by_indicator(until=until, last=last)
                assert {key: [tuple(row) for row in series] for key, series in found.items()} == expected
    with acting_for(other.id):
        assert first.id not in indicators.recent_values_by_indicator(until=TODAY, last=40)


def _periods(indicator) -> set:
    return set(db.session.scalars(select(IndicatorValue.period).where(IndicatorValue.indicator_id == indicator.id)))


def test_the_years_audits_good_or_better_count_a_moderators_grade_over_the_auditors(northshire):
    council = northshire["council"]
    framework = load_framework(council.framework_id)
    with acting_for(council.id):
        before, _ = audits_between(framework, a_year_before(TODAY), TODAY)
    for number, (overall, moderated) in enumerate(
        [
            ("good", None),
            ("good", "inadequate"),
            ("inadequate", "good"),
            ("inadequate", "outstanding"),
            ("requires_improvement", None),
        ]
    ):
        audit = make_audit(council, case_reference=f"CP-30000{number}", overall_grade=overall)
        with acting_for(council.id):
            audit.moderated_grade = moderated
            db.session.commit()
    with acting_for(council.id):
        after, _ = audits_between(framework, a_year_before(TODAY), TODAY)
    assert (after.audits - before.audits, after.good_or_better - before.good_or_better) == (5, 3)
