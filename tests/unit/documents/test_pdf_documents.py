"""The model as PDF: the same words as the Word file, and on every page the marking, the
council, the day made and "Page N of M"."""

import datetime as dt

import pytest

from inspect_ready import create_app
from inspect_ready.documents.model import CaseReference, Document, Paragraph, Section, Table
from inspect_ready.documents.pdf import html, pdf
from tests.support.documents import pdf_pages

# Enough rows to run onto a second page, so the page numbers and the repeated header show.
ROWS = tuple((f"Row {n}", f"Grade {n}") for n in range(70))
DOCUMENT = Document(
    "Autumn review",
    "Review report",
    "Northshire",
    dt.date(2026, 12, 1),
    (Paragraph("Peer review of Northshire."), Section("Judgements", (Table("Grades", ("Judgement", "Grade"), ROWS),))),
)


@pytest.fixture(scope="module")
def app():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context():
        yield app


def test_every_page_carries_the_marking_council_date_and_page_number(app):
    pages = pdf_pages(pdf(DOCUMENT))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "OFFICIAL" in page and "OFFICIAL-SENSITIVE" not in page
        assert "Northshire" in page and "Made 1 December 2026" in page
    whole = "\n".join(pages)
    assert "Row 0" in whole and "Row 69" in whole and "Judgements" in whole


def test_the_table_header_repeats_on_every_page(app):
    pages = pdf_pages(pdf(DOCUMENT))
    assert all("Judgement Grade" in page for page in pages)


def test_a_case_reference_marks_every_page_official_sensitive(app):
    rows = tuple(((f"Child {n} ", CaseReference(f"CP-{1000 + n}")), "Seen") for n in range(70))
    sensitive = Document("T", "", "Northshire", dt.date(2026, 12, 1), (Table("", ("Child", "Visit"), rows),))
    pages = pdf_pages(pdf(sensitive))
    assert len(pages) >= 2 and all("OFFICIAL-SENSITIVE" in page for page in pages)


def test_headings_nest_as_the_sections_do(app):
    nested = Document("T", "", "C", dt.date(2026, 12, 1), (Section("One", (Section("Two", ()),)),))
    made = html(nested)
    assert "<h1>T</h1>" in made and "<h2>One</h2>" in made and "<h3>Two</h3>" in made


def test_text_is_escaped_and_fetches_nothing(app):
    hostile = Document("<b>T</b>", "", "C", dt.date(2026, 12, 1), (Paragraph('<img src="https://example.com/x.png">'),))
    made = html(hostile)
    assert "<img" not in made and "&lt;img" in made
    assert pdf(hostile).startswith(b"%PDF")


def test_very_long_text_renders_on_numbered_pages(app):
    long = Document(
        "T",
        "",
        "C",
        dt.date(2026, 12, 1),
        (Paragraph("word " * 4000 + "x" * 20000), Table("", ("A",), (("y" * 2000,),))),
    )
    pages = pdf_pages(pdf(long))
    assert len(pages) > 5 and all(f"of {len(pages)}" in page for page in pages)
