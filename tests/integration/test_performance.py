"""Performance pages: indicators, values, corrective actions, spreadsheets and the Annex A import."""

import datetime as dt
import html
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from councils import clock
from councils.audit_log import AuditEvent
from councils.models import Role, ServiceArea
from councils.tenancy import acting_for
from evidence.action_plan.models import Action
from evidence.performance import indicators
from evidence.performance.annex_a.synthetic import generate_workbook
from evidence.performance.models import AnnexAImport, ImportStatus, Indicator, IndicatorValue
from evidence.performance.signals import indicator_signals
from inspect_ready.extensions import db
from judgement_framework import load_framework, score
from tests.support import factories
from tests.support.factories import make_user, sign_in_as


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


def test_a_council_without_indicators_is_offered_the_standard_set(client):
    council = factories.make_council()
    sign_in_as(client, make_user(council, Role.SENIOR_LEADER))
    page = client.get("/performance/").get_data(as_text=True)
    assert "Your council has no indicators yet" in page and "Add the standard indicators" in page
    with acting_for(council.id):
        assert _count(Indicator) == 0  # looking never writes
    response = client.post("/performance/standard-indicators")
    assert response.status_code == 302
    page = client.get("/performance/").get_data(as_text=True)
    assert "Assessments completed within 45 working days" in page
    with acting_for(council.id):
        assert _count(Indicator) == len(indicators.default_set())
        assert _indicator("re_referrals_12_months").england_average == 22.6
    assert len(_events("indicator.defaults_added")) == 1
    client.post("/performance/standard-indicators")  # a second press adds nothing
    with acting_for(council.id):
        assert _count(Indicator) == len(indicators.default_set())


def test_entering_values_shows_rag_and_direction(client, leader):
    client.get("/performance/")
    with acting_for(leader.council_id):
        indicator = _indicator("assessments_45_working_days")  # target 85, amber down to 80
    for month, value in ((1, "90"), (2, "82"), (3, "70")):
        response = client.post(
            f"/performance/indicators/{indicator.id}/values/new", data={"month": month, "year": 2025, "value": value}
        )
        assert response.status_code == 302
        client.get(response.headers["Location"])  # shows (and so clears) the success message
    page = client.get("/performance/").get_data(as_text=True)
    assert "70.0%" in page and "Off target" in page and "Worsening" in page
    detail = client.get(f"/performance/indicators/{indicator.id}").get_data(as_text=True)
    assert '<svg viewBox="0 0 640 300" role="img"' in detail
    assert '<title id="chart-title">' in detail and "Figures by month" in detail
    assert detail.count("No corrective action") == 2  # amber February and red March
    assert len(_events("indicator_value.recorded")) == 3


def test_a_bad_value_changes_nothing(client, leader):
    client.get("/performance/")
    with acting_for(leader.council_id):
        indicator = _indicator("assessments_45_working_days")
    response = client.post(
        f"/performance/indicators/{indicator.id}/values/new", data={"month": 13, "year": 2025, "value": "150"}
    )
    assert response.status_code == 200 and "The month must be a number from 1 to 12" in response.get_data(as_text=True)
    response = client.post(
        f"/performance/indicators/{indicator.id}/values/new", data={"month": 3, "year": 2025, "value": "150"}
    )
    assert "A percentage cannot be more than 100" in response.get_data(as_text=True)
    with acting_for(leader.council_id):
        assert _count(IndicatorValue) == 0


def test_a_corrective_action_for_an_off_target_month(client, leader):
    client.get("/performance/")
    with acting_for(leader.council_id):
        indicator = _indicator("icpc_15_working_days")
        red = indicators.record_value(indicator, dt.date(2025, 3, 1), 50)
        green = indicators.record_value(indicator, dt.date(2025, 4, 1), 95)
        db.session.commit()
    url = f"/performance/values/{red.id}/actions/new"
    assert client.get(url).status_code == 200
    missing = client.post(url, data={"what": "", "owner_id": "", "due_date": ["", "", ""], "success_measure": ""})
    assert "Enter what will be done" in missing.get_data(as_text=True)
    due = dt.date.today() + dt.timedelta(days=30)
    action = {
        "what": "Decide on ICPCs by day 5",
        "owner_id": str(leader.id),
        "due_date": [str(due.day), str(due.month), str(due.year)],
        "success_measure": "ICPCs back on target",
    }
    response = client.post(url, data=action)
    assert response.status_code == 302
    page = client.get(f"/performance/indicators/{indicator.id}").get_data(as_text=True)
    assert "Decide on ICPCs by day 5" in page and f"{leader.name}, due {due.day} {due:%B %Y}: not started" in page
    on_target = client.post(f"/performance/values/{green.id}/actions/new", data=action)
    assert "Corrective actions are for months that are off target" in on_target.get_data(as_text=True)
    with acting_for(leader.council_id):
        assert _count(Action) == 1
    assert _events("action.created")[0].after["indicator_value_id"] == red.id


def test_changing_targets_is_audited(client, leader):
    client.get("/performance/")
    with acting_for(leader.council_id):
        indicator = _indicator("care_leavers_eet")
    response = client.post(
        f"/performance/indicators/{indicator.id}/targets",
        data={
            "target": "65",
            "tolerance": "4",
            "baseline_value": "48",
            "baseline_date": ["1", "5", "2015"],
            "comparator_value": "",
            "comparator_note": "",
        },
    )
    assert response.status_code == 302
    assert (indicator.target, indicator.baseline_date) == (65, dt.date(2015, 5, 1))
    event = _events("indicator.targets_changed")[0]
    assert event.before["target"] == 60 and event.after["target"] == 65


def test_targets_must_be_real_numbers(client, leader):
    client.get("/performance/")
    with acting_for(leader.council_id):
        indicator = _indicator("care_leavers_eet")
    for bad in ("Infinity", "NaN"):
        data = {
            "target": bad,
            "tolerance": "4",
            "baseline_value": "",
            "baseline_date": ["", "", ""],
            "comparator_value": "",
            "comparator_note": "",
        }
        page = client.post(f"/performance/indicators/{indicator.id}/targets", data=data).get_data(as_text=True)
        assert "govuk-error-summary" in page, bad
    assert indicator.target == 60
    assert _events("indicator.targets_changed") == []


def _upload(client, url, name, content, **fields):
    return client.post(
        url, data={**fields, name[0]: (io.BytesIO(content), name[1])}, content_type="multipart/form-data"
    )


def test_values_from_a_csv_preview_then_save(client, leader):
    csv = b'indicator,period,value,numerator,denominator\nassessments_45_working_days,2025-01,80,80,100\n"Care leavers in education, employment or training",01/2025,55,,\n'
    client.get("/performance/")
    preview = _upload(client, "/performance/values/import", ("values_file", "values.csv"), csv)
    page = preview.get_data(as_text=True)
    assert "2 values ready to save" in page
    with acting_for(leader.council_id):
        assert _count(IndicatorValue) == 0
    records = page.split('name="records" value="')[1].split('"')[0]
    response = client.post("/performance/values/import/confirm", data={"records": html.unescape(records)})
    assert response.status_code == 302
    with acting_for(leader.council_id):
        assert _count(IndicatorValue) == 2


def test_a_values_file_with_bad_rows_saves_nothing(client, leader):
    csv = b"indicator,period,value\nassessments_45_working_days,2025-01,80\nno_such_thing,2025-01,5\nassessments_45_working_days,2025-13,80\nassessments_45_working_days,2025-01,81\n"
    client.get("/performance/")
    page = _upload(client, "/performance/values/import", ("values_file", "values.csv"), csv).get_data(as_text=True)
    assert "3 rows have problems" in page
    assert "Row 3: no indicator called &#39;no_such_thing&#39;" in page
    assert "Row 4: period &#39;2025-13&#39; is not a month" in page
    assert "Row 5: repeats row 2" in page
    assert 'name="records"' not in page
    forged = client.post(
        "/performance/values/import/confirm",
        data={"records": '[{"row": 2, "indicator": "x", "period": "2025-01", "value": "1"}]'},
    )
    assert forged.status_code == 302
    with acting_for(leader.council_id):
        assert _count(IndicatorValue) == 0


def test_an_annex_a_import_stores_figures_and_shows_the_result(app, client, leader, tmp_path):
    path = generate_workbook(tmp_path / "annex-a.xlsx", rows=600, period_end=dt.date(2025, 3, 31))
    form = {"month": "3", "year": "2025", "cp_visit_working_days": "10"}
    response = _upload(client, "/performance/annex-a", ("workbook", "annex-a.xlsx"), path.read_bytes(), **form)
    assert response.status_code == 302
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Figures for March 2025" in result and "figures saved as the indicators' values for March 2025" in result
    with acting_for(leader.council_id):
        job = db.session.scalars(select(AnnexAImport)).one()
        assert job.status is ImportStatus.SUCCEEDED and job.progress == 100
        stored = _indicator("assessments_45_working_days").values[0]
        assert stored.period == dt.date(2025, 3, 1) and stored.source == "annex_a" and stored.denominator > 0
    assert not any((Path(app.instance_path) / "annex_a_uploads").glob("*.xlsx")), "the workbook was kept"
    fragment = client.get(f"/performance/annex-a/{job.id}/progress", headers={"HX-Request": "true"})
    assert fragment.status_code == 204 and fragment.headers["HX-Redirect"].endswith(f"/performance/annex-a/{job.id}")
    assert client.get(f"/performance/annex-a/{job.id}/progress").status_code == 302
    assert _events("annex_a_import.succeeded")


def test_an_untidy_annex_a_workbook_is_reported_row_by_row(client, leader, tmp_path):
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
    cic.append(["C1", "01/01/2024", "01/03/2025", 1, None])
    path = tmp_path / "untidy.xlsx"
    book.save(path)
    form = {"month": "3", "year": "2025", "cp_visit_working_days": "10"}
    response = _upload(client, "/performance/annex-a", ("workbook", "untidy.xlsx"), path.read_bytes(), **form)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "List 4 (Assessments): not found in the workbook" in page
    assert "column &#39;Date Started to be Looked After&#39; not found" in page
    assert "Not computed: List 8 (Children in Care) has no column &#39;Date Started to be Looked After&#39;" in page
    assert "Row 3: the Child Unique ID repeats row 2" in page
    assert "Row 4: &#39;31/02/2025&#39; is not a real date" in page
    with acting_for(leader.council_id):
        # Only List 7's figures with a plan in the month: C1's first plan, visited in time.
        values = sorted(
            (v.indicator.code, v.numerator, v.denominator) for v in db.session.scalars(select(IndicatorValue))
        )
        assert values == [("cp_plan_second_or_subsequent", 0, 1), ("cp_visits_in_standard", 1, 1)]


def test_a_file_that_is_not_a_workbook_fails_and_changes_nothing(client, leader):
    client.get("/performance/")
    form = {"month": "3", "year": "2025", "cp_visit_working_days": "10"}
    response = _upload(client, "/performance/annex-a", ("workbook", "annex-a.xlsx"), b"not a workbook at all", **form)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        "The import failed" in page
        and "could not be read as an Excel workbook" in page
        and "Nothing was changed." in page
    )
    with acting_for(leader.council_id):
        assert _count(IndicatorValue) == 0
        assert db.session.scalars(select(AnnexAImport)).one().status is ImportStatus.FAILED


def test_the_annex_a_form_checks_its_fields(client, leader):
    assert client.get("/performance/annex-a").status_code == 200
    response = _upload(
        client,
        "/performance/annex-a",
        ("workbook", "annex-a.txt"),
        b"x",
        month="3",
        year="2025",
        cp_visit_working_days="10",
    )
    assert "The file must be an Excel workbook" in response.get_data(as_text=True)
    with acting_for(leader.council_id):
        assert _count(AnnexAImport) == 0


def test_peer_reviewers_read_but_do_not_change(client):
    council = make_council()
    reviewer = make_user(council, Role.PEER_REVIEWER)
    db.session.commit()
    sign_in_as(client, reviewer)
    page = client.get("/performance/").get_data(as_text=True)
    assert "Import an Annex A workbook" not in page
    with acting_for(council.id):
        indicator = _indicator("cic_visits_in_time")
    assert "Enter a value" not in client.get(f"/performance/indicators/{indicator.id}").get_data(as_text=True)
    assert client.get(f"/performance/indicators/{indicator.id}/values/new").status_code == 403


def test_heads_of_service_see_their_own_service_first(client):
    council = make_council()
    head = make_user(council, Role.HEAD_OF_SERVICE, service_area=ServiceArea.CARE_LEAVERS)
    db.session.commit()
    sign_in_as(client, head)
    page = client.get("/performance/").get_data(as_text=True)
    assert page.index("Care leavers the council is in touch with") < page.index(
        "Assessments completed within 45 working days"
    )


def test_indicators_become_signals_and_gaps(database):
    council = make_council()
    with acting_for(council.id):
        indicators.ensure_default_indicators()
        falling = _indicator("cic_visits_in_time")  # target 95, amber to 90
        for month, value in enumerate((96, 94, 91, 85), start=1):
            indicators.record_value(falling, dt.date(2025, month, 1), value)
        good = _indicator("re_referrals_12_months")  # lower is better, target 20
        indicators.record_value(good, dt.date(2025, 4, 1), 18)
        framework = load_framework("ilacs-2026")
        signals = indicator_signals(framework, dt.date(2025, 4, 30))
        earlier = indicator_signals(framework, dt.date(2025, 1, 31))
    by_id = {s.id: s for s in signals}
    red = by_id[f"indicator:{falling.id}:in_care"]
    assert (
        red.grade == "inadequate"
        and red.flags == {"off_target", "worsening"}
        and red.criterion_ids == ("ic.visits_reviews",)
    )
    assert f"indicator:{falling.id}:looked_after" not in by_id  # a SIF area, not in ILACS 2026
    assert by_id[f"indicator:{good.id}:help_protection"].grade == "good"
    assert earlier[0].grade == "good" and not earlier[0].flags
    gaps = score(framework, signals, [], as_of=dt.date(2025, 4, 30)).gaps
    sentences = [g.sentence for g in gaps if g.kind in ("indicator_off_target", "indicator_worsening")]
    assert any("Children in care visited within timescale" in s and "off target" in s for s in sentences)
    assert any("Children in care visited within timescale" in s and "getting worse" in s for s in sentences)


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
