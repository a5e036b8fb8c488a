"""Performance pages: indicators, values, corrective actions, spreadsheets and the Annex A import."""

import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from councils import clock
from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role, ServiceArea
from councils.tenancy import acting_for
from evidence.action_plan.models import Action
from evidence.performance import indicators
from evidence.performance.annex_a.synthetic import generate_workbook
from evidence.performance.models import AnnexAImport, ImportStatus, Indicator, IndicatorValue
from evidence.performance.signals import indicator_signals
from judgement_framework import load_framework, score
from tests.support import factories
from tests.support.client_request import parse, url
from tests.support.factories import make_user, sign_in_as
from tests.support.pages import error_summary, page_text, table_rows, text


def make_council():
    """A council with the standard indicators, as `flask create-council` makes one."""
    council = factories.make_council()
    with acting_for(council.id):
        indicators.ensure_default_indicators()
    return council


@pytest.fixture()
def leader(client):
    council = make_council()
    user = make_user(council, Role.SENIOR_LEADER)
    db.session.commit()
    sign_in_as(client, user)
    return user


def _indicator(code: str) -> Indicator:
    return db.session.scalars(select(Indicator).where(Indicator.code == code)).one()


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _indicator_names(page) -> list[str]:
    """The indicators listed on the performance page, in order."""
    return [text(link) for link in page.select("table th a")]


def _indicator_row(page, name: str) -> list[str]:
    """The cells of one indicator's row on the performance page, its name first."""
    rows = [row for row in table_rows(page, "Indicators") if row[0].startswith(name)]
    assert len(rows) == 1, f"{len(rows)} rows for {name}"
    return rows[0]


def test_a_council_without_indicators_is_offered_the_standard_set(client_request):
    council = factories.make_council()
    client_request.sign_in(make_user(council, Role.SENIOR_LEADER))
    page = client_request.get("performance.index")
    assert "Your council has no indicators yet." in page_text(page)
    assert [text(b) for b in page.select("main form button")] == ["Add the standard indicators"]
    with acting_for(council.id):
        assert _count(Indicator) == 0  # looking never writes
    client_request.post("performance.add_standard_indicators", _expected_redirect=url("performance.index"))
    page = client_request.get("performance.index")
    assert "Assessments completed within 45 working days" in _indicator_names(page)
    with acting_for(council.id):
        assert _count(Indicator) == len(indicators.default_set())
        assert _indicator("re_referrals_12_months").england_average == 22.6
    assert len(_events("indicator.defaults_added")) == 1
    client_request.post("performance.add_standard_indicators")  # a second press adds nothing
    with acting_for(council.id):
        assert _count(Indicator) == len(indicators.default_set())


def test_entering_values_shows_rag_and_direction(client_request, leader):
    client_request.get("performance.index")
    with acting_for(leader.council_id):
        indicator = _indicator("assessments_45_working_days")  # target 85, amber down to 80
    for month, value in ((1, "90"), (2, "82"), (3, "70")):
        response = client_request.post_response(
            "performance.add_value",
            indicator_id=indicator.id,
            _data={"month": month, "year": 2025, "value": value, "version": "0"},
        )
        client_request.follow(response)  # shows (and so clears) the success message
    row = _indicator_row(client_request.get("performance.index"), "Assessments completed within 45 working days")
    assert row[1].startswith("70.0%") and row[3] == "Off target" and row[4] == "Worsening"
    detail = client_request.get("performance.indicator", indicator_id=indicator.id)
    chart = detail.select_one("svg")
    assert (chart["viewBox"], chart["role"]) == ("0 0 640 300", "img")
    assert chart.select_one("title#chart-title") is not None
    assert text(detail.select_one("caption")).startswith("Figures by month")
    no_action = [tag for tag in detail.select("td strong.govuk-tag") if text(tag) == "No corrective action"]
    assert len(no_action) == 2  # amber February and red March
    assert len(_events("indicator_value.recorded")) == 3


def test_a_bad_value_changes_nothing(client_request, leader):
    client_request.get("performance.index")
    with acting_for(leader.council_id):
        indicator = _indicator("assessments_45_working_days")
    page = client_request.post(
        "performance.add_value",
        indicator_id=indicator.id,
        _data={"month": 13, "year": 2025, "value": "150"},
        _expected_status=200,
    )
    assert error_summary(page) == ["The month must be a number from 1 to 12"]
    page = client_request.post(
        "performance.add_value",
        indicator_id=indicator.id,
        _data={"month": 3, "year": 2025, "value": "150"},
        _expected_status=200,
    )
    assert error_summary(page) == ["A percentage cannot be more than 100"]
    with acting_for(leader.council_id):
        assert _count(IndicatorValue) == 0


def test_a_corrective_action_for_an_off_target_month(client_request, leader):
    client_request.get("performance.index")
    with acting_for(leader.council_id):
        indicator = _indicator("icpc_15_working_days")
        red = indicators.record_value(indicator, dt.date(2025, 3, 1), 50)
        green = indicators.record_value(indicator, dt.date(2025, 4, 1), 95)
        db.session.commit()
    client_request.get("performance.add_action", value_id=red.id)
    missing = client_request.post(
        "performance.add_action",
        value_id=red.id,
        _data={"what": "", "owner_id": "", "due_date": ["", "", ""], "success_measure": ""},
        _expected_status=200,
    )
    assert "Enter what will be done" in error_summary(missing)
    due = dt.date.today() + dt.timedelta(days=30)
    action = {
        "what": "Decide on ICPCs by day 5",
        "owner_id": str(leader.id),
        "due_date": [str(due.day), str(due.month), str(due.year)],
        "success_measure": "ICPCs back on target",
    }
    client_request.post("performance.add_action", value_id=red.id, _data=action)
    page = page_text(client_request.get("performance.indicator", indicator_id=indicator.id))
    assert "Decide on ICPCs by day 5" in page and f"{leader.name}, due {due.day} {due:%B %Y}: not started" in page
    on_target = client_request.post("performance.add_action", value_id=green.id, _data=action, _expected_status=200)
    assert error_summary(on_target) == ["Corrective actions are for months that are off target"]
    with acting_for(leader.council_id):
        assert _count(Action) == 1
    assert _events("action.created")[0].after["indicator_value_id"] == red.id


def test_changing_targets_is_audited(client_request, leader):
    client_request.get("performance.index")
    with acting_for(leader.council_id):
        indicator = _indicator("care_leavers_eet")
    client_request.post(
        "performance.targets",
        indicator_id=indicator.id,
        _data={
            "target": "65",
            "tolerance": "4",
            "baseline_value": "48",
            "baseline_date": ["1", "5", "2015"],
            "comparator_value": "",
            "comparator_note": "",
            "version": str(indicator.version),
        },
        _expected_redirect=url("performance.indicator", indicator_id=indicator.id),
    )
    assert (indicator.target, indicator.baseline_date) == (65, dt.date(2015, 5, 1))
    event = _events("indicator.targets_changed")[0]
    assert event.before["target"] == 60 and event.after["target"] == 65


def test_targets_must_be_real_numbers(client_request, leader):
    client_request.get("performance.index")
    with acting_for(leader.council_id):
        indicator = _indicator("care_leavers_eet")
    # sNaN fails every comparison: it was a server error, not a message.
    for bad in ("Infinity", "NaN", "sNaN", "-inf", "1e999"):
        data = {
            "target": bad,
            "tolerance": "4",
            "baseline_value": "",
            "baseline_date": ["", "", ""],
            "comparator_value": "",
            "comparator_note": "",
        }
        page = client_request.post("performance.targets", indicator_id=indicator.id, _data=data, _expected_status=200)
        assert error_summary(page) == ["Enter the target as a number"], bad
    assert indicator.target == 60
    assert _events("indicator.targets_changed") == []


def _upload(client_request, endpoint, name, content, status, **fields):
    return client_request.post_response(
        endpoint,
        _data={**fields, name[0]: (io.BytesIO(content), name[1])},
        _content_type="multipart/form-data",
        _expected_status=status,
    )


def test_values_from_a_csv_preview_then_save(client_request, leader):
    csv = b'indicator,period,value,numerator,denominator\nassessments_45_working_days,2025-01,80,80,100\n"Care leavers in education, employment or training",01/2025,55,,\n'
    client_request.get("performance.index")
    page = parse(_upload(client_request, "performance.import_values", ("values_file", "values.csv"), csv, 200))
    assert text(page.select_one("caption")) == "2 values ready to save"
    with acting_for(leader.council_id):
        assert _count(IndicatorValue) == 0
    assert page.select('input[name="records"]') == []  # the rows stay on the server
    client_request.post("performance.confirm_values", _expected_redirect=url("performance.index"))
    with acting_for(leader.council_id):
        assert _count(IndicatorValue) == 2
    # Confirming twice (a second tab, the back button) saves nothing more.
    client_request.post("performance.confirm_values", _expected_redirect=url("performance.import_values"))
    with acting_for(leader.council_id):
        assert _count(IndicatorValue) == 2


def test_a_values_file_with_bad_rows_saves_nothing(client_request, leader):
    csv = b"indicator,period,value\nassessments_45_working_days,2025-01,80\nno_such_thing,2025-01,5\nassessments_45_working_days,2025-13,80\nassessments_45_working_days,2025-01,81\n"
    client_request.get("performance.index")
    page = parse(_upload(client_request, "performance.import_values", ("values_file", "values.csv"), csv, 200))
    assert text(page.select_one(".govuk-error-summary__title")).startswith("3 rows have problems")
    assert error_summary(page) == [
        "Row 3: no indicator called 'no_such_thing'",
        "Row 4: period '2025-13' is not a month, like 2026-03",
        "Row 5: repeats row 2 (same indicator and month)",
    ]
    client_request.post(
        "performance.confirm_values",
        _data={"records": '[{"row": 2, "indicator": "x", "period": "2025-01", "value": "1"}]'},
        _expected_redirect=url("performance.import_values"),
    )  # rows posted by hand are not rows the service checked
    with acting_for(leader.council_id):
        assert _count(IndicatorValue) == 0


def test_an_annex_a_import_stores_figures_and_shows_the_result(app, client_request, leader, tmp_path):
    path = generate_workbook(tmp_path / "annex-a.xlsx", rows=600, period_end=dt.date(2025, 3, 31))
    form = {"month": "3", "year": "2025", "cp_visit_working_days": "10"}
    response = _upload(
        client_request, "performance.annex_a", ("workbook", "annex-a.xlsx"), path.read_bytes(), 302, **form
    )
    result = client_request.follow(response)
    assert text(result.select_one("caption")) == "Figures for March 2025", page_text(result)
    assert "figures saved as the indicators' values for March 2025." in page_text(result)
    with acting_for(leader.council_id):
        job = db.session.scalars(select(AnnexAImport)).one()
        assert job.status is ImportStatus.SUCCEEDED and job.progress == 100
        stored = _indicator("assessments_45_working_days").values[0]
        assert stored.period == dt.date(2025, 3, 1) and stored.source == "annex_a" and stored.denominator > 0
    assert not any((Path(app.instance_path) / "annex_a_uploads").glob("*.xlsx")), "the workbook was kept"
    assert response.location == url("performance.annex_a_import", import_id=job.id)
    fragment = client_request.get_response(
        "performance.annex_a_progress", import_id=job.id, _headers={"HX-Request": "true"}, _expected_status=204
    )
    assert fragment.headers["HX-Redirect"] == url("performance.annex_a_import", import_id=job.id)
    client_request.get_response(
        "performance.annex_a_progress",
        import_id=job.id,
        _expected_status=302,
        _expected_redirect=url("performance.annex_a_import", import_id=job.id),
    )
    assert _events("annex_a_import.succeeded")


def test_an_untidy_annex_a_workbook_is_reported_row_by_row(client_request, leader, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    cp = book.create_sheet("List 7")
    cp.append(
        [
            "Child Unique ID",
            "CPP Start Date",
            "Date of the Last Statutory Visit",
            "CPP End Date",
            "Number of Previous CPPs",
        ]
    )
    cp.append(["C1", "03/03/2025", "25/03/2025", None, 0])
    cp.append(["C1", "04/03/2025", "25/03/2025", None, 1])
    cp.append(["C2", "31/02/2025", "25/03/2025", None, 1])
    cic = book.create_sheet("Children in Care")
    cic.append(
        [
            "Child Unique ID",
            "Date Started",
            "Date of Last Social Work Visit",
            "Number of Placements in Last 12 months",
            "Date Ceased",
        ]
    )
    # The workbook's latest date is the month's last day, so it covers March (see period.py).
    cic.append(["C1", "01/01/2024", "31/03/2025", 1, None])
    path = tmp_path / "untidy.xlsx"
    book.save(path)
    form = {"month": "3", "year": "2025", "cp_visit_working_days": "10"}
    response = _upload(
        client_request, "performance.annex_a", ("workbook", "untidy.xlsx"), path.read_bytes(), 302, **form
    )
    page = client_request.follow(response)
    problems = [text(item) for item in page.select("main ul.govuk-list--bullet li")]
    unused = [text(item) for item in page.select("table .govuk-details__text li")]
    cells = [text(cell) for cell in page.select("table td")]
    assert "List 4 (Assessments): not found in the workbook" in problems
    assert any(
        problem.startswith(
            "List 8 (Children in Care): column 'Date Started to be Looked After' not found, so these figures were "
            "not computed: Children in care visited within timescale"
        )
        for problem in problems
    )
    assert any("'Date Started'" in problem and "can be mapped" in problem for problem in problems)
    assert (
        "Not computed, so nothing was saved: List 8 (Children in Care) has no column 'Date Started to be Looked After'"
        in cells
    )
    assert "Row 4: Child Protection Plan Start Date is not a date" in unused
    assert not any("31/02/2025" in item for item in unused + problems), "a cell's text was repeated"
    with acting_for(leader.council_id):
        # List 7 read by its abbreviated headings: both plans starting in March count (C1's
        # second is a second plan); visits count C1 once, by the latest plan, visited in time;
        # reviews: both plans under 3 months old, but the review column is missing.
        values = sorted(
            (v.indicator.code, v.numerator, v.denominator) for v in db.session.scalars(select(IndicatorValue))
        )
        assert values == [("cp_plan_second_or_subsequent", 1, 2), ("cp_visits_in_standard", 1, 1)]


def test_a_file_that_is_not_a_workbook_is_refused_on_its_field_and_changes_nothing(client_request, leader):
    client_request.get("performance.index")
    form = {"month": "3", "year": "2025", "cp_visit_working_days": "10"}
    response = _upload(
        client_request, "performance.annex_a", ("workbook", "annex-a.xlsx"), b"not a workbook at all", 200, **form
    )
    [message] = error_summary(parse(response))
    assert message.startswith("The file could not be read as an Excel workbook")
    assert "Calamine" not in message
    with acting_for(leader.council_id):
        assert _count(IndicatorValue) == 0
        assert db.session.scalars(select(AnnexAImport)).all() == [], "no job was queued"


def test_the_annex_a_form_checks_its_fields(client_request, leader):
    client_request.get("performance.annex_a")
    response = _upload(
        client_request,
        "performance.annex_a",
        ("workbook", "annex-a.txt"),
        b"x",
        200,
        month="3",
        year="2025",
        cp_visit_working_days="10",
    )
    assert error_summary(parse(response)) == ["The file must be an Excel workbook (.xlsx)"]
    with acting_for(leader.council_id):
        assert _count(AnnexAImport) == 0


def test_administrators_read_but_do_not_change_and_peer_reviewers_are_refused(client_request):
    council = make_council()
    administrator, reviewer = make_user(council, Role.ADMINISTRATOR), make_user(council, Role.PEER_REVIEWER)
    db.session.commit()
    client_request.sign_in(administrator)
    page = client_request.get("performance.index")
    assert "Import an Annex A workbook" not in page_text(page)
    with acting_for(council.id):
        indicator = _indicator("cic_visits_in_time")
    assert "Enter a value" not in page_text(client_request.get("performance.indicator", indicator_id=indicator.id))
    client_request.get("performance.add_value", indicator_id=indicator.id, _expected_status=403)
    # A peer reviewer reviews other councils: their own organisation's figures are not theirs.
    client_request.sign_in(reviewer)
    client_request.get("performance.index", _expected_status=403)
    client_request.get("performance.indicator", indicator_id=indicator.id, _expected_status=403)


def test_heads_of_service_see_their_own_service_first(client_request):
    council = make_council()
    head = make_user(council, Role.HEAD_OF_SERVICE, service_area=ServiceArea.CARE_LEAVERS)
    db.session.commit()
    client_request.sign_in(head)
    names = _indicator_names(client_request.get("performance.index"))
    assert names.index("Care leavers the council is in touch with") < names.index(
        "Assessments completed within 45 working days"
    )


def _counts(value, children=50):
    return {"numerator": round(value * children / 100), "denominator": children}


def test_indicators_become_signals_and_gaps(database):
    council = make_council()
    with acting_for(council.id):
        indicators.ensure_default_indicators()
        falling = _indicator("cic_visits_in_time")  # target 95, amber to 90, no England figure
        for month, value in enumerate((96, 94, 92, 86), start=1):
            indicators.record_value(falling, dt.date(2025, month, 1), value, **_counts(value))
        good = _indicator("re_referrals_12_months")  # lower is better, target 20, England 22.6
        for month in (2, 3, 4):
            indicators.record_value(good, dt.date(2025, month, 1), 18, **_counts(18))
        framework = load_framework("ilacs-2026")
        signals = indicator_signals(framework, dt.date(2025, 4, 30))
        earlier = indicator_signals(framework, dt.date(2025, 1, 31))
    by_id = {s.id: s for s in signals}
    red = by_id[f"indicator:{falling.id}:in_care"]
    # One red month (86 in April) against the standard, with no England figure to compare: not inadequate.
    assert (
        red.grade == "requires_improvement"
        and red.flags == {"off_target", "worsening"}
        and red.criterion_ids == ("ic.visits_reviews",)
    )
    assert f"indicator:{falling.id}:looked_after" not in by_id  # a SIF area, not in ILACS 2026
    assert by_id[f"indicator:{good.id}:help_protection"].grade == "good"
    # January alone: 50 children, on target, but no England figure to measure it against.
    assert earlier[0].grade == "requires_improvement" and not earlier[0].flags
    gaps = score(framework, signals, [], as_of=dt.date(2025, 4, 30)).gaps
    sentences = [g.sentence for g in gaps if g.kind in ("indicator_off_target", "indicator_worsening")]
    assert any("Children in care visited within timescale" in s and "off target" in s for s in sentences)
    assert any("Children in care visited within timescale" in s and "getting worse" in s for s in sentences)


def _icpc_grade(values, children):
    with acting_for(make_council().id):
        indicators.ensure_default_indicators()
        icpc = _indicator("icpc_15_working_days")  # target 85, red below 75, England 81.4
        for month, (value, n) in enumerate(zip(values, children, strict=True), start=1):
            counts = {} if n is None else {"numerator": round(value * n / 100), "denominator": n}
            indicators.record_value(icpc, dt.date(2025, month, 1), value, **counts)
        (signal,) = indicator_signals(load_framework("ilacs-2023"), dt.date(2025, 6, 30))
    return signal


def test_too_few_children_behind_an_indicator_give_no_grade(database):
    # Two late conferences of four: a red month, but four children say little about a service.
    signal = _icpc_grade([50], [4])
    assert signal.grade is None and "off_target" in signal.flags
    assert _icpc_grade([50, 50, 50], [None, None, None]).grade is None  # counts not recorded


def test_an_indicator_is_inadequate_only_when_red_is_sustained_and_worse_than_england(database):
    assert _icpc_grade([90, 90, 60], [30, 30, 30]).grade == "requires_improvement"  # one red month
    assert _icpc_grade([90, 60, 60], [30, 30, 30]).grade == "inadequate"  # sustained, below England's 81.4
    assert _icpc_grade([90, 90, 90], [30, 30, 30]).grade == "good"


def test_an_indicator_on_target_with_no_england_figure_is_not_good(database):
    # Graded against both the standard and England (docs/scoring_rules.md, section 5): a local
    # target met says nothing about how the council compares with the national picture.
    with acting_for(make_council().id):
        indicators.ensure_default_indicators()
        s47 = _indicator("s47_enquiries_in_timescale")  # target 90, no England figure
        assert s47.england_average is None
        for month in (1, 2, 3):
            indicators.record_value(s47, dt.date(2025, month, 1), 96, **_counts(96))
        (signal,) = indicator_signals(load_framework("ilacs-2023"), dt.date(2025, 6, 30))
    assert signal.grade == "requires_improvement" and not signal.flags


def test_signals_take_a_bounded_number_of_queries(database):
    from sqlalchemy import event

    council = make_council()
    with acting_for(council.id):
        indicators.ensure_default_indicators()
        for indicator in indicators.all_indicators():
            for month in range(1, 13):
                db.session.add(
                    IndicatorValue(
                        indicator_id=indicator.id,
                        period=dt.date(2024, month, 1),
                        value=50,
                        source="test",
                        recorded_at=clock.now(),
                    )
                )
        db.session.flush()
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            indicator_signals(load_framework("sif-2013"), dt.date(2025, 1, 1))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) <= 3


def test_an_import_still_running_can_be_checked_without_javascript(client_request, leader):
    with acting_for(leader.council_id):
        job = AnnexAImport(
            filename="annex-a.xlsx",
            month=dt.date(2025, 3, 1),
            cp_visit_working_days=10,
            requested_by=leader.email,
            created_at=clock.now(),
        )
        db.session.add(job)
        db.session.commit()
    page = client_request.get("performance.annex_a_import", import_id=job.id)
    button = page.select_one("a.govuk-button")
    assert text(button) == "Check progress"
    assert button["href"] == url("performance.annex_a_import", import_id=job.id)


def test_a_heading_the_import_cannot_place_is_mapped_once_and_read_next_time(client_request, leader, tmp_path):
    from openpyxl import Workbook

    from evidence.performance.models import AnnexAHeadingMapping

    book = Workbook()
    sheet = book.active
    sheet.title = "List 3"
    sheet.append(["Child Unique ID", "Referral received on", "Number of Referrals in Last 12 Months"])
    sheet.append(["C1", "03/03/2025", 1])
    sheet.append(["C2", "31/03/2025", 0])  # the workbook covers March (annex_a/period.py)
    path = tmp_path / "local.xlsx"
    book.save(path)
    form = {"month": "3", "year": "2025", "cp_visit_working_days": "10"}

    def upload():
        response = _upload(
            client_request, "performance.annex_a", ("workbook", "local.xlsx"), path.read_bytes(), 302, **form
        )
        return client_request.follow(response)

    first = upload()
    # With its one date column unplaced the workbook gives no month; the failed import offers
    # the mapping that lets the next upload work.
    assert "The workbook has no dates the import can read" in page_text(first)
    link = first.select_one("a[href$='/headings']")
    assert link is not None and text(link) == "Say which columns they are"
    with acting_for(leader.council_id):
        job_id = db.session.scalars(select(AnnexAImport)).one().id
    page = client_request.get("performance.annex_a_headings", import_id=job_id)
    labels = [text(label) for label in page.select("label")]
    assert "List 3 (Referrals), column B: \u2018Referral received on\u2019" in labels
    # A column the template's list does not have is refused, and nothing is kept
    client_request.post(
        "performance.annex_a_headings", import_id=job_id, _data={"heading_0": "Date of Birthday"}, _expected_status=200
    )
    with acting_for(leader.council_id):
        assert _count(AnnexAHeadingMapping) == 0
    client_request.post(
        "performance.annex_a_headings",
        import_id=job_id,
        _data={"heading_0": "Date of referral"},
        _expected_redirect=url("performance.annex_a_import", import_id=job_id),
    )
    with acting_for(leader.council_id):
        mapping = db.session.scalars(select(AnnexAHeadingMapping)).one()
        assert (mapping.list_number, mapping.column, mapping.mapped_by) == (3, "Date of referral", leader.email)
    assert _events("annex_a_mapping.saved")

    second = upload()
    assert "Say which columns they are" not in page_text(second)
    with acting_for(leader.council_id):
        stored = _indicator("re_referrals_12_months").values[0]
        assert (stored.numerator, stored.denominator) == (1, 2)


def _add(client_request, indicator, _expected_status=200, **data):
    data.setdefault("version", "0")  # a month the page showed empty (versions.NEW)
    return client_request.post(
        "performance.add_value", indicator_id=indicator.id, _data=data, _expected_status=_expected_status
    )


def test_a_month_after_this_one_is_refused(client_request, leader):
    client_request.get("performance.index")
    with acting_for(leader.council_id):
        indicator = _indicator("assessments_45_working_days")
    today = clock.today()
    next_month = (today.replace(day=28) + dt.timedelta(days=7)).replace(day=1)
    page = _add(client_request, indicator, month=next_month.month, year=next_month.year, value="80")
    assert error_summary(page) == [f"The month cannot be after this month ({today:%B %Y})"]
    with acting_for(leader.council_id):
        assert _count(IndicatorValue) == 0


@pytest.mark.parametrize(
    "numerator, denominator, value, message",
    [
        (5, 4, "80", "The numerator must be between 0 and the denominator, which must be more than 0"),
        (2, 4, "80", "The value does not agree with the numerator and denominator: 2 of 4 is 50.0%"),
    ],
)
def test_the_numerator_and_denominator_must_fit_the_value(
    client_request, leader, numerator, denominator, value, message
):
    client_request.get("performance.index")
    with acting_for(leader.council_id):
        indicator = _indicator("assessments_45_working_days")
    page = _add(
        client_request, indicator, month=3, year=2025, value=value, numerator=numerator, denominator=denominator
    )
    assert error_summary(page) == [message]
    with acting_for(leader.council_id):
        assert _count(IndicatorValue) == 0


def test_a_rounded_share_agrees(client_request, leader):
    client_request.get("performance.index")
    with acting_for(leader.council_id):
        indicator = _indicator("assessments_45_working_days")
    _add(client_request, indicator, month=3, year=2025, value="33", numerator=1, denominator=3, _expected_status=302)
    with acting_for(leader.council_id):
        assert _count(IndicatorValue) == 1


def test_a_month_with_a_value_shows_old_and_new_and_saves_only_on_confirmation(client_request, leader):
    client_request.get("performance.index")
    with acting_for(leader.council_id):
        indicator = _indicator("assessments_45_working_days")
    _add(client_request, indicator, month=3, year=2025, value="75", numerator=3, denominator=4, _expected_status=302)
    page = _add(client_request, indicator, month=3, year=2025, value="50", numerator=2, denominator=4)
    assert text(page.select_one("h1")) == "Replace the value for March 2025?"
    assert table_rows(page)[:3] == [["Value", "75.0%", "50.0%"], ["Numerator", "3", "2"], ["Denominator", "4", "4"]]
    with acting_for(leader.council_id):
        assert [v.value for v in db.session.scalars(select(IndicatorValue))] == [75.0]
    hidden = {field["name"]: field["value"] for field in page.select("form input[type=hidden]")}
    assert hidden["replace"] == "yes" and hidden["value"] == "50"
    _add(client_request, indicator, _expected_status=302, **hidden)
    with acting_for(leader.council_id):
        db.session.expire_all()
        assert [v.value for v in db.session.scalars(select(IndicatorValue))] == [50.0]
    assert len(_events("indicator_value.changed")) == 1


def test_a_bad_replacement_is_refused_before_it_is_offered(client_request, leader):
    client_request.get("performance.index")
    with acting_for(leader.council_id):
        indicator = _indicator("assessments_45_working_days")
    _add(client_request, indicator, month=3, year=2025, value="75", _expected_status=302)
    page = _add(client_request, indicator, month=3, year=2025, value="150")
    assert error_summary(page) == ["A percentage cannot be more than 100"]


def test_the_indicators_sort_by_name_month_or_against_target_through_links_in_the_header(client_request, leader):
    client_request.get("performance.index")
    client_request.post("performance.add_standard_indicators")
    with acting_for(leader.council_id):
        assessments = _indicator("assessments_45_working_days")  # target 85, amber down to 80
    client_request.post(
        "performance.add_value",
        indicator_id=assessments.id,
        _data={"month": 3, "year": 2025, "value": "70", "version": "0"},
    )
    names = lambda page: [row[0] for row in table_rows(page, "Indicators")]  # noqa: E731
    own = names(client_request.get("performance.index"))
    page = client_request.get("performance.index", sort="indicator", dir="asc")
    assert names(page) == sorted(own, key=str.lower)
    head = page.select_one("thead th a[href*='sort=indicator']").find_parent("th")
    assert head["aria-sort"] == "ascending"
    assert "Sorted by indicator, A to Z." in page_text(page)
    off_target_first = names(client_request.get("performance.index", sort="against_target", dir="asc"))
    assert off_target_first[0].startswith("Assessments completed within 45 working days")
    newest_first = names(client_request.get("performance.index", sort="latest"))
    assert newest_first[0].startswith("Assessments completed within 45 working days")  # the one with a value
    assert names(client_request.get("performance.index", sort="target", dir="asc")) == own  # not sortable
