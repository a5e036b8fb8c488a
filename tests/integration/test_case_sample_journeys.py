"""The case tracking sample built without typing 25 children one at a time: imported from a
file (checked row by row, all or nothing), chosen from the council's audited cases, corrected
in place; teams and ethnicity chosen from lists; ages that fit the kind of case."""

import csv
import io

import openpyxl
import pytest
from sqlalchemy import func, select

from councils.audit_log import AuditEvent
from councils.db import db
from evidence.case_audits.models import CaseAudit
from evidence.mock_inspections.models import TrackedCase
from tests.integration.test_mock_inspections import _record_all_good, _start, team  # noqa: F401
from tests.support.factories import make_audit
from tests.support.pages import error_summary, page_text, table_rows, text

HEADER = ["reference", "age", "kind_of_case", "team", "ethnicity", "disabled", "gender", "judgements"]
GOOD_ROWS = [
    [
        "CP-300101",
        "5 to 9",
        "Child protection",
        "Safeguarding East",
        "WBRI",
        "no",
        "Girl",
        "The experiences and progress of children who need help and protection",
    ],
    ["CL-300102", "18 and over", "Care leaver", "Leaving Care", "Pakistani", "yes", "Boy", ""],
    ["EH-300103", "Under 1", "early_help", "safeguarding east", "", "", "Other or not recorded", ""],
]


@pytest.fixture()
def audited(team):  # noqa: F811
    """The council's audits name two teams: the teams a sample's cases are chosen from."""
    make_audit(team["council"])
    make_audit(team["council"], case_reference="CL-400201", case_type="care_leaver", team="Leaving Care")
    db.session.commit()
    return team


def _csv(rows, header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _upload(client_request, review, content, name="sample.csv", status=200):
    return client_request.post(
        "mock_inspections.import_sample",
        inspection_id=review.id,
        _data={"file": (io.BytesIO(content), name)},
        _expected_status=status,
    )


def _cases():
    return db.session.scalar(select(func.count(TrackedCase.id)))


def _events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_file_is_checked_row_by_row_and_nothing_is_saved_while_a_row_is_wrong(client_request, audited):
    review = _start(client_request, audited)
    bad = GOOD_ROWS + [
        ["CL-300104", "Under 1", "Care leaver", "Leaving Care", "", "no", "Girl", ""],
        ["CP-300105", "5 to 9", "Child protection", "Front Door", "", "no", "Girl", ""],
        ["CP-300106", "5 to 9", "Child protection", "Leaving Care", "Polish", "no", "Girl", ""],
        ["CP-300107", "5 to 9", "Child protection", "Leaving Care", "", "perhaps", "Girl", ""],
        ["CP-300101", "5 to 9", "Child protection", "Leaving Care", "", "no", "Girl", ""],
        ["Jane Smith", "5 to 9", "Child protection", "Leaving Care", "", "no", "Girl", ""],
    ]
    page = _upload(client_request, review, _csv(bad))
    problems = table_rows(page, "Problems by row")
    assert [row[:2] for row in problems] == [
        ["5", "age"],
        ["6", "team"],
        ["7", "ethnicity"],
        ["8", "disabled"],
        ["9", "reference"],
        ["10", "reference"],
    ]
    assert problems[0][2] == "A care leaver is 16 to 25: choose 16 to 17 or 18 and over"
    assert problems[1][2].startswith("'Front Door' is not a team in the council's case audits: choose one of")
    assert "nothing has been saved" in page_text(page)
    assert not page.select("form[action$='/sample/import/confirm']")
    # A confirmation with no checked file behind it saves nothing either.
    client_request.post("mock_inspections.confirm_sample_import", inspection_id=review.id)
    assert _cases() == 0 and not _events("tracked_case.imported")


def test_a_good_file_is_previewed_then_saved_whole_and_logged(client_request, audited):
    review = _start(client_request, audited)
    page = _upload(client_request, review, _csv(GOOD_ROWS))
    assert [row[:4] for row in table_rows(page, "The cases to add")] == [
        ["CP-300101", "5 to 9", "Child protection", "Safeguarding East"],
        ["CL-300102", "18 and over", "Care leaver", "Leaving Care"],
        ["EH-300103", "Under 1", "Early help", "Safeguarding East"],
    ]
    assert _cases() == 0  # the preview saves nothing
    client_request.post("mock_inspections.confirm_sample_import", inspection_id=review.id)
    saved = {c.reference: c for c in db.session.scalars(select(TrackedCase))}
    assert saved["CP-300101"].ethnicity == "White British" and saved["CP-300101"].area_ids == ["help_protection"]
    assert saved["CL-300102"].disability is True and saved["EH-300103"].team == "Safeguarding East"
    [event] = _events("tracked_case.imported")
    assert event.after == {"references": ["CP-300101", "CL-300102", "EH-300103"]}
    # The checked rows are taken once: confirming again adds nothing.
    client_request.post("mock_inspections.confirm_sample_import", inspection_id=review.id)
    assert _cases() == 3


def test_an_xlsx_file_imports_as_a_csv_does(client_request, audited):
    review = _start(client_request, audited)
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in GOOD_ROWS:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    page = _upload(client_request, review, buffer.getvalue(), name="sample.xlsx")
    assert len(table_rows(page, "The cases to add")) == 3


def _paste(client_request, review, text, status=200):
    return client_request.post(
        "mock_inspections.import_sample", inspection_id=review.id, _data={"pasted": text}, _expected_status=status
    )


def _tabs(rows) -> str:
    """Rows as Excel puts them on the clipboard: cells split by tabs, lines ended by CRLF."""
    return "".join("\t".join(row) + "\r\n" for row in rows)


@pytest.mark.parametrize("with_header", [True, False])
def test_rows_pasted_from_excel_are_checked_previewed_and_saved_as_a_file_is(client_request, audited, with_header):
    review = _start(client_request, audited)
    page = _paste(client_request, review, _tabs(([HEADER] if with_header else []) + GOOD_ROWS))
    assert "Rows pasted from a spreadsheet" in page_text(page)
    assert [row[:4] for row in table_rows(page, "The cases to add")] == [
        ["CP-300101", "5 to 9", "Child protection", "Safeguarding East"],
        ["CL-300102", "18 and over", "Care leaver", "Leaving Care"],
        ["EH-300103", "Under 1", "Early help", "Safeguarding East"],
    ]
    assert _cases() == 0
    client_request.post("mock_inspections.confirm_sample_import", inspection_id=review.id)
    saved = {c.reference: c for c in db.session.scalars(select(TrackedCase))}
    assert saved["CP-300101"].ethnicity == "White British" and saved["CL-300102"].disability is True
    [event] = _events("tracked_case.imported")
    assert event.after == {"references": ["CP-300101", "CL-300102", "EH-300103"]}


def test_pasted_rows_with_a_wrong_row_save_nothing_and_name_the_line(client_request, audited):
    review = _start(client_request, audited)
    wrong = ["CL-300104", "Under 1", "Care leaver", "Leaving Care", "", "no", "Girl", ""]
    page = _paste(client_request, review, _tabs(GOOD_ROWS + [wrong]))
    assert [row[:2] for row in table_rows(page, "Problems by row")] == [["4", "age"]]  # its line in the paste
    assert "The pasted rows have 1 problem: nothing has been saved" in page_text(page)
    page = _paste(client_request, review, _tabs([HEADER] + GOOD_ROWS + [wrong]))
    assert [row[:2] for row in table_rows(page, "Problems by row")] == [["5", "age"]]
    assert not page.select("form[action$='/sample/import/confirm']")
    client_request.post("mock_inspections.confirm_sample_import", inspection_id=review.id)
    assert _cases() == 0


@pytest.mark.parametrize(
    ("pasted", "message"),
    [
        ("reference\tage\r\nCP-1\t5 to 9\r\n", "The pasted rows are missing the columns: kind_of_case, team, gender"),
        ("\t".join(HEADER) + "\r\n", "The pasted rows have no cases under the header"),
        ("\t".join(GOOD_ROWS[0] + ["one too many"]), "A pasted row has 9 cells"),
    ],
)
def test_pasted_rows_that_cannot_be_read_say_why_on_the_pasted_field(client_request, audited, pasted, message):
    review = _start(client_request, audited)
    page = _paste(client_request, review, pasted, status=400)
    [error] = error_summary(page)
    assert error.startswith(message)
    assert page.select_one("#pasted-error") is not None
    assert not page.select(".govuk-notification-banner:not(.govuk-notification-banner--success)")
    assert text(page.select_one("title")).count("Error:") == 1
    assert _cases() == 0


def test_a_file_and_pasted_rows_together_are_refused(client_request, audited):
    review = _start(client_request, audited)
    page = client_request.post(
        "mock_inspections.import_sample",
        inspection_id=review.id,
        _data={"file": (io.BytesIO(_csv(GOOD_ROWS)), "sample.csv"), "pasted": _tabs(GOOD_ROWS)},
        _expected_status=400,
    )
    assert error_summary(page) == ["Upload a file or paste the rows, not both"]
    page = _paste(client_request, review, "", status=400)
    assert error_summary(page) == ["Choose a CSV or XLSX file, or paste the rows"]
    assert page.select_one("#file-error") is not None


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"reference,age\nCP-1,5 to 9\n", "sample.csv", "The file is missing the columns: kind_of_case, team, gender"),
        (_csv([]), "sample.csv", "The file has no cases under the header"),
        (b"PK\x03\x04 not really a workbook", "sample.xlsx", ""),
        (b"a,b\n", "sample.pdf", "The file must be a CSV or XLSX file"),
    ],
)
def test_a_file_that_cannot_be_read_says_why_on_the_file_field(client_request, audited, content, name, message):
    review = _start(client_request, audited)
    page = _upload(client_request, review, content, name=name, status=400)
    [error] = error_summary(page)
    assert error.startswith(message)
    assert page.select_one("#file-error") is not None
    assert _cases() == 0


def test_the_template_file_has_the_columns_the_import_reads(client_request, audited):
    review = _start(client_request, audited)
    response = client_request.get_response("mock_inspections.sample_import_template", inspection_id=review.id)
    assert response.headers["Content-Disposition"] == "attachment; filename=case-sample-template.csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == HEADER and len(rows) == 2
    # Its example is in the council's own words, so the template as downloaded imports.
    page = _upload(client_request, review, response.get_data())
    assert [row[3] for row in table_rows(page, "The cases to add")] == ["Leaving Care"]


def test_a_case_is_corrected_in_place_and_the_change_logged(client_request, audited):
    review = _start(client_request, audited)
    case = {
        "reference": "CP-300201",
        "age_band": "5 to 9",
        "case_type": "child_protection",
        "gender": "Girl",
        "team": "Safeguarding East",
        "ethnicity": "Indian",
        "area_ids": ["help_protection"],
    }
    client_request.post("mock_inspections.sample", inspection_id=review.id, _data=case)
    tracked = db.session.scalars(select(TrackedCase)).one()
    page = client_request.get("mock_inspections.edit_case", inspection_id=review.id, case_id=tracked.id)
    assert page.select_one("#age_band option[selected]")["value"] == "5 to 9"
    assert [o["value"] for o in page.select("#team option")] == ["", "Leaving Care", "Safeguarding East"]
    page = client_request.post(
        "mock_inspections.edit_case",
        inspection_id=review.id,
        case_id=tracked.id,
        _data={**case, "case_type": "care_leaver"},
        _expected_status=200,
    )
    assert error_summary(page) == ["A care leaver is 16 to 25: choose 16 to 17 or 18 and over"]
    assert text(page.select_one("#age_band-error")).endswith("choose 16 to 17 or 18 and over")
    db.session.expire_all()
    assert db.session.get(TrackedCase, tracked.id).case_type == "child_protection"
    changed = {**case, "age_band": "16 to 17", "team": "Leaving Care", "ethnicity": "Black African", "disability": "y"}
    client_request.post("mock_inspections.edit_case", inspection_id=review.id, case_id=tracked.id, _data=changed)
    db.session.expire_all()
    saved = db.session.get(TrackedCase, tracked.id)
    assert (saved.age_band, saved.team, saved.ethnicity, saved.disability) == (
        "16 to 17",
        "Leaving Care",
        "Black African",
        True,
    )
    [event] = _events("tracked_case.changed")
    assert event.before["team"] == "Safeguarding East" and event.after["team"] == "Leaving Care"


def test_the_form_refuses_a_team_and_an_ethnicity_not_on_the_lists(client_request, audited):
    review = _start(client_request, audited)
    case = {
        "reference": "CP-300301",
        "age_band": "5 to 9",
        "case_type": "child_protection",
        "gender": "Girl",
        "team": "Nowhere Team",
        "ethnicity": "Indian",
    }
    page = client_request.post("mock_inspections.sample", inspection_id=review.id, _data=case, _expected_status=200)
    assert error_summary(page)[0].startswith("'Nowhere Team' is not a team in the council's case audits")
    page = client_request.post(
        "mock_inspections.sample",
        inspection_id=review.id,
        _data={**case, "team": "Leaving Care", "ethnicity": "Martian"},
        _expected_status=200,
    )
    assert error_summary(page) == [
        "Choose the child's ethnicity from the 2011 census categories, or leave it not recorded"
    ]
    page = client_request.post(
        "mock_inspections.sample",
        inspection_id=review.id,
        _data={**case, "team": "Leaving Care", "case_type": "care_leaver", "age_band": "Under 1"},
        _expected_status=200,
    )
    assert error_summary(page) == ["A care leaver is 16 to 25: choose 16 to 17 or 18 and over"]
    assert _cases() == 0


def test_an_empty_sample_does_not_say_every_child_has_the_same_ethnicity(client_request, audited):
    review = _start(client_request, audited)
    page = client_request.get("mock_inspections.sample", inspection_id=review.id)
    shortfalls = [text(item) for item in page.select("main .govuk-list--bullet li")]
    assert "The sample has 0 cases; inspectors track 25 to 30." in shortfalls
    assert "Every child in the sample has the same recorded ethnicity." not in shortfalls


def test_the_sample_is_built_from_the_councils_audited_cases(client_request, audited):
    review = _start(client_request, audited)
    audits = {a.case_reference: a for a in db.session.scalars(select(CaseAudit))}
    leaver = audits["CL-400201"]
    page = client_request.get("mock_inspections.sample_from_audits", inspection_id=review.id)
    assert [row[1:4] for row in table_rows(page)] == [
        ["CL-400201", "Care leaver", "Leaving Care"],
        ["CP-204871", "Child protection", "Safeguarding East"],
    ]
    # Chosen without an age, and with an age no care leaver has: told on each field, nothing saved.
    page = client_request.post(
        "mock_inspections.sample_from_audits",
        inspection_id=review.id,
        _data={
            "audit_ids": [str(a.id) for a in audits.values()],
            f"age_band-{leaver.id}": "5 to 9",
            f"gender-{leaver.id}": "Girl",
        },
        _expected_status=400,
    )
    errors = error_summary(page)
    assert "CL-400201: A care leaver is 16 to 25: choose 16 to 17 or 18 and over" in errors
    assert "CP-204871: Choose the child's age band" in errors
    assert page.select_one(f'a[href="#age_band-{leaver.id}"]') is not None
    assert _cases() == 0
    page = client_request.post(
        "mock_inspections.sample_from_audits", inspection_id=review.id, _data={}, _expected_status=400
    )
    assert error_summary(page) == ["Choose at least one audited case to add"]
    client_request.post(
        "mock_inspections.sample_from_audits",
        inspection_id=review.id,
        _data={
            "audit_ids": [str(leaver.id)],
            f"age_band-{leaver.id}": "18 and over",
            f"gender-{leaver.id}": "Boy",
            f"ethnicity-{leaver.id}": "Chinese",
            f"disability-{leaver.id}": "Yes",
        },
    )
    saved = db.session.scalars(select(TrackedCase)).one()
    assert (saved.reference, saved.case_type, saved.team, saved.ethnicity, saved.disability) == (
        "CL-400201",
        "care_leaver",
        "Leaving Care",
        "Chinese",
        True,
    )
    assert saved.area_ids  # the judgements its kind of case informs, as an audit's form ticks them
    [event] = _events("tracked_case.from_audits")
    assert event.after == {"references": ["CL-400201"]}
    page = client_request.get("mock_inspections.sample_from_audits", inspection_id=review.id)
    assert [row[1] for row in table_rows(page)] == ["CP-204871"]


def test_a_recorded_mock_inspections_sample_cannot_change_by_any_route(client_request, audited):
    review = _start(client_request, audited)
    case = {
        "reference": "CP-300401",
        "age_band": "5 to 9",
        "case_type": "child_protection",
        "gender": "Girl",
        "team": "Leaving Care",
    }
    client_request.post("mock_inspections.sample", inspection_id=review.id, _data=case)
    tracked = db.session.scalars(select(TrackedCase)).one()
    # A file checked before the outcome was recorded cannot be confirmed after it.
    _upload(client_request, review, _csv(GOOD_ROWS))
    _record_all_good(client_request, review)
    client_request.post("mock_inspections.confirm_sample_import", inspection_id=review.id)
    page = _upload(client_request, review, _csv(GOOD_ROWS), status=400)
    assert error_summary(page) == [
        "The outcome of this mock inspection has been recorded: its case sample can no longer change"
    ]
    page = client_request.post(
        "mock_inspections.edit_case",
        inspection_id=review.id,
        case_id=tracked.id,
        _data={**case, "age_band": "10 to 15"},
        _expected_status=200,
    )
    assert error_summary(page) == [
        "The outcome of this mock inspection has been recorded: its case sample can no longer change"
    ]
    audit = db.session.scalars(select(CaseAudit).where(CaseAudit.case_reference == "CP-204871")).one()
    page = client_request.post(
        "mock_inspections.sample_from_audits",
        inspection_id=review.id,
        _data={"audit_ids": [str(audit.id)], f"age_band-{audit.id}": "5 to 9", f"gender-{audit.id}": "Boy"},
        _expected_status=400,
    )
    assert error_summary(page) == [
        "The outcome of this mock inspection has been recorded: its case sample can no longer change"
    ]
    db.session.expire_all()
    assert _cases() == 1 and db.session.get(TrackedCase, tracked.id).age_band == "5 to 9"
    assert not _events("tracked_case.imported") and not _events("tracked_case.changed")
    assert not _events("tracked_case.from_audits")
    page = client_request.get("mock_inspections.sample", inspection_id=review.id)
    assert not page.select("a[href$='/edit']")  # nothing offers a change


def test_an_ethnicity_typed_before_the_list_is_kept_on_the_edit_form_never_cleared(client_request, audited):
    review = _start(client_request, audited)
    legacy = TrackedCase(
        council_id=audited["council"].id,
        review_id=review.id,
        reference="CP-300501",
        age_band="5 to 9",
        case_type="child_protection",
        team="Leaving Care",
        ethnicity="Polish",
        disability=False,
        gender="Boy",
        area_ids=[],
    )
    db.session.add(legacy)
    db.session.commit()
    page = client_request.get("mock_inspections.edit_case", inspection_id=review.id, case_id=legacy.id)
    assert page.select_one("#ethnicity option[selected]")["value"] == "Polish"
    data = {
        "reference": "CP-300501",
        "age_band": "5 to 9",
        "case_type": "child_protection",
        "gender": "Boy",
        "team": "Leaving Care",
        "ethnicity": "Polish",
    }
    page = client_request.post(
        "mock_inspections.edit_case", inspection_id=review.id, case_id=legacy.id, _data=data, _expected_status=200
    )
    assert error_summary(page) == [
        "Choose the child's ethnicity from the 2011 census categories, or leave it not recorded"
    ]
    db.session.expire_all()
    assert db.session.get(TrackedCase, legacy.id).ethnicity == "Polish"
