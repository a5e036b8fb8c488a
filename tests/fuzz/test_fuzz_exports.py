"""Any text in a download's rows (control characters, lone surrogates, U+FFFE, very long
runs, text a spreadsheet would run) makes an XLSX file that opens, with each cell's text as
it was less only what XML cannot hold, and never as a formula; the CSV alike keeps it."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from inspect_ready import create_app
from inspect_ready.exports import csv_download, xlsx_download
from tests.fuzz.conftest import EXAMPLES, fuzz_settings
from tests.fuzz.values import NASTY_TEXT

APP = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
LONG = ["x", "=1+", "🙂", "a\r\nb\rc\x00\x0b\ufffe\uffff\ud800"]
TEXT = st.one_of(
    st.integers(0, len(NASTY_TEXT) - 1).map(lambda index: NASTY_TEXT[index]),
    st.text(max_size=40),
    st.text(alphabet=st.characters(exclude_categories=()), max_size=60),  # lone surrogates too
    st.tuples(st.integers(0, len(LONG) - 1), st.integers(50, 9000)).map(lambda pair: LONG[pair[0]] * pair[1]),
)
HOLDS = {"\t", "\n", "\r"}


def _kept(text: str) -> str:
    """What a spreadsheet can hold of the text: XML 1.0's characters, at most 32,767."""
    kept = "".join(
        c for c in text if c in HOLDS or "\x20" <= c <= "\ud7ff" or "\ue000" <= c <= "\ufffd" or c >= "\U00010000"
    )
    return kept[:32767]


@fuzz_settings(EXAMPLES * 4)
@given(st.lists(st.lists(TEXT, min_size=2, max_size=2), min_size=1, max_size=5))
def test_any_text_makes_an_xlsx_that_opens_and_keeps_it_as_text(rows):
    with APP.test_request_context():
        data = b"".join(xlsx_download("file.xlsx", "Rows", ["One", "Two"], rows).response)
    sheet = load_workbook(io.BytesIO(data)).active
    for cells, row in zip(sheet.iter_rows(min_row=2, max_row=len(rows) + 1, max_col=2), rows, strict=True):
        for cell, text in zip(cells, row, strict=True):
            formula_like = text.startswith(("=", "+", "-", "@", "\t", "\r"))
            assert cell.value == (_kept(("'" if formula_like else "") + text) or None)
            assert cell.value is None or cell.data_type == "s"


@fuzz_settings(EXAMPLES * 4)
@given(st.lists(st.lists(TEXT, min_size=2, max_size=2), min_size=1, max_size=5))
def test_any_text_makes_a_csv_that_reads_back(rows):
    with APP.test_request_context():
        text = "".join(csv_download("file.csv", ["One", "Two"], rows).response)
    read = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert len(read) == len(rows) + 1
    for got, row in zip(read[1:], rows, strict=True):
        assert got == [("'" + t) if t.startswith(("=", "+", "-", "@", "\t", "\r")) else t for t in row]
