import csv
import io
from datetime import date

from openpyxl import load_workbook

from inspect_ready import create_app
from inspect_ready.exports import csv_download, safe_cell, xlsx_download


def test_text_that_a_spreadsheet_would_run_is_escaped():
    for dangerous in ("=SUM(A1:A9)", "+1+1", "-2+3", "@cmd", "\t=1", "\r=1"):
        assert safe_cell(dangerous) == "'" + dangerous
    for harmless in ("Good", "Re-referrals", "", " =not first"):
        assert safe_cell(harmless) == harmless
    assert safe_cell(-5) == -5 and safe_cell(date(2026, 1, 2)) == date(2026, 1, 2) and safe_cell(None) is None


def test_csv_and_xlsx_downloads_hold_escaped_text():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    rows = [['=HYPERLINK("http://evil")', 3, date(2026, 5, 1)]]
    with app.test_request_context():
        response = csv_download("plan.csv", ["What", "Count", "Due"], rows)
        text = response.get_data(as_text=True).lstrip("\ufeff")
        assert list(csv.reader(io.StringIO(text)))[1][0] == '\'=HYPERLINK("http://evil")'
        assert 'filename="plan.csv"' in response.headers["Content-Disposition"]
        response = xlsx_download("plan.xlsx", "Plan", ["What", "Count", "Due"], rows)
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet["A2"].value == '\'=HYPERLINK("http://evil")'
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 3


def test_an_xlsx_download_reads_like_a_colleagues_spreadsheet():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    long_text = "Plans are not updated after core groups, so children's plans drift. " * 3
    rows = [["Re-audit neglect cases", date(2026, 5, 1), long_text], ["Short", date(2026, 6, 2), "x"]]
    with app.test_request_context():
        response = xlsx_download("plan.xlsx", "Plan", ["What will be done", "Due", "Notes"], rows)
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert [cell.font.bold for cell in sheet[1]] == [True, True, True]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABC"}
    assert widths["A"] >= len("Re-audit neglect cases")  # wide enough to read the longest
    assert widths["C"] <= 60 and sheet["C2"].alignment.wrap_text  # long text wraps instead
    assert sheet["B2"].is_date and sheet["B2"].number_format == "d mmm yyyy"
    assert not sheet["A3"].font.bold


def test_every_gap_kind_reads_as_words():
    from judgement_framework.gaps import KINDS, kind_label

    for kind in KINDS:
        label = kind_label(kind)
        assert "_" not in label and label[0].isupper()
def test_a_control_character_in_stored_text_does_not_stop_the_xlsx_export():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    rows = [["Re-audit\x01 strategy\x0b discussions\x1f", "=\x02cmd"]]
    with app.test_request_context():
        response = xlsx_download("plan.xlsx", "Plan", ["What", "Note"], rows)
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet["A2"].value == "Re-audit strategy discussions"
    assert sheet["B2"].value == "'=cmd"
