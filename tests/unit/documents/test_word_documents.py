"""The model as Word: opened back with python-docx, it has Word's own heading styles, tables
with a repeating header row, the marking and council in the header, page fields in the footer."""

import datetime as dt

from docx.oxml.ns import qn

from inspect_ready.documents.model import Bullets, CaseReference, Document, Link, Paragraph, Section, Table
from inspect_ready.documents.word import docx
from tests.support.documents import footer_xml, header_text, word, word_text

DOCUMENT = Document(
    "Autumn review",
    "Review report",
    "Northshire",
    dt.date(2026, 12, 1),
    (
        Paragraph("Peer review of Northshire.\nSecond line."),
        Section(
            "Judgements",
            (
                Table("Grades", ("Judgement", "Grade"), (("Leadership", "Good"), ("Help and protection", "Requires"))),
                Section("Leadership", (Bullets(("Plans drift", "Visits late")), Paragraph("And 3 more.", note=True))),
            ),
        ),
        Section("Fix first", (Bullets(("First", "Second"), numbered=True),)),
        Section("Read more", (Paragraph(("See ", Link("the guidance", "https://www.gov.uk/"), ".")),)),
    ),
)


def test_headings_use_words_own_styles_so_the_navigation_pane_lists_them():
    document = word(docx(DOCUMENT))
    styled = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert styled == [
        ("Title", "Autumn review"),
        ("Heading 1", "Judgements"),
        ("Heading 2", "Leadership"),
        ("Heading 1", "Fix first"),
        ("Heading 1", "Read more"),
    ]
    assert [p.style.name for p in document.paragraphs if p.text in ("Plans drift", "First")] == [
        "List Bullet",
        "List Number",
    ]
    assert "Peer review of Northshire.\nSecond line." in word_text(document)


def test_tables_have_a_style_and_a_header_row_repeated_on_every_page():
    [table] = word(docx(DOCUMENT)).tables
    assert table.style.name == "Table Grid"
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Judgement", "Grade"],
        ["Leadership", "Good"],
        ["Help and protection", "Requires"],
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr is None or table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    assert all(run.bold for run in table.rows[0].cells[0].paragraphs[0].runs)


def test_the_header_footer_and_properties_carry_council_marking_date_and_pages():
    document = word(docx(DOCUMENT))
    assert header_text(document) == "OFFICIAL\nNorthshire"
    footer = footer_xml(document)
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    footer_words = "\n".join(p.text for p in document.sections[0].footer.paragraphs)
    assert "Northshire. Made 1 December 2026. Page" in footer_words and "OFFICIAL" in footer_words
    properties = document.core_properties
    assert (properties.title, properties.author, properties.category) == ("Autumn review", "Northshire", "OFFICIAL")
    assert properties.created.date() == dt.date(2026, 12, 1)


def test_a_case_reference_marks_the_word_file_official_sensitive():
    sensitive = Document(
        "T", "", "Northshire", dt.date(2026, 12, 1), (Paragraph(("Child ", CaseReference("CP-1001"))),)
    )
    document = word(docx(sensitive))
    assert header_text(document).startswith("OFFICIAL-SENSITIVE\n")
    assert "Child CP-1001" in word_text(document)


def test_a_link_is_a_real_hyperlink():
    document = word(docx(DOCUMENT))
    [relationship] = [r for r in document.part.rels.values() if r.reltype.endswith("/hyperlink")]
    assert relationship.target_ref == "https://www.gov.uk/" and relationship.is_external
    assert "the guidance" in document.element.body.xml and "<w:hyperlink" in document.element.body.xml


def test_a_line_ending_from_a_browser_is_one_break_in_word():
    typed = Document("T", "", "C", dt.date(2026, 12, 1), (Paragraph("First line\r\nSecond line"),))
    assert "First line\nSecond line" in word_text(word(docx(typed)))
