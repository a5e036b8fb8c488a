"""A document as Word (.docx), with python-docx: Word's own Title and Heading styles (so the
navigation pane lists the sections), tables in a table style whose header row repeats on
every page, the council's name and the marking in the page header, and the marking, the day
made and "Page X of Y" (Word's PAGE and NUMPAGES fields) in the footer."""

from __future__ import annotations

import datetime as dt
import io

from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from inspect_ready.documents.model import (
    Block,
    Bullets,
    Document,
    Link,
    Paragraph,
    Section,
    Table,
    Text,
    clean,
    parts,
    plain,
)
from inspect_ready.pages import govuk_date

MIME_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LINK_COLOUR = RGBColor(0x1D, 0x70, 0xB8)  # GOV.UK's link blue
NOTE_SIZE = Pt(9)


def docx(document: Document) -> bytes:
    word = WordDocument()
    _page(word, document)
    _properties(word, document)
    _text(word.add_paragraph(style="Title"), document.title)
    if document.subtitle:
        _text(word.add_paragraph(style="Subtitle"), document.subtitle)
    _text(word.add_paragraph(), f"{document.council}. Made {govuk_date(document.made_on)}.")
    _blocks(word, document.content, level=1)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _page(word, document: Document) -> None:
    section = word.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)  # A4, as councils print
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.left_margin = section.right_margin = Cm(2)
    marking = document.marking.value
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(marking).bold = True
    council = section.header.add_paragraph(clean(document.council))
    council.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.add_run(clean(f"{document.council}. Made {govuk_date(document.made_on)}. Page "))
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    bottom = section.footer.add_paragraph()
    bottom.alignment = WD_ALIGN_PARAGRAPH.CENTER
    bottom.add_run(marking).bold = True


def _field(paragraph, instruction: str) -> None:
    """A simple field Word fills in as it lays out the pages (PAGE, NUMPAGES); the text inside
    is what shows until it does."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _properties(word, document: Document) -> None:
    properties = word.core_properties
    # Word keeps each property to 255 characters.
    properties.title = clean(document.title)[:255]
    properties.subject = clean(document.subtitle)[:255]
    properties.author = properties.last_modified_by = clean(document.council)[:255]
    properties.category = document.marking.value
    made = dt.datetime.combine(document.made_on, dt.time())
    properties.created = properties.modified = made
    properties.revision = 1


def _blocks(word, blocks: tuple[Block, ...], level: int) -> None:
    for block in blocks:
        if isinstance(block, Section):
            _text(word.add_heading(level=min(level, 9)), block.heading)
            _blocks(word, block.content, level + 1)
        elif isinstance(block, Paragraph):
            _text(word.add_paragraph(), block.text, size=NOTE_SIZE if block.note else None)
        elif isinstance(block, Bullets):
            style = "List Number" if block.numbered else "List Bullet"
            for item in block.items:
                _text(word.add_paragraph(style=style), item)
        else:
            _table(word, block)


def _table(word, table: Table) -> None:
    if table.caption:
        _text(word.add_paragraph(style="Caption"), table.caption)
    columns = max([len(table.header), *(len(row) for row in table.rows)])
    grid = word.add_table(rows=1, cols=columns)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    head = grid.rows[0]
    # The header row repeats at the top of every page the table runs onto.
    head._tr.get_or_add_trPr().append(_on(OxmlElement("w:tblHeader")))
    for cell, title in zip(head.cells, table.header, strict=False):
        _text(cell.paragraphs[0], title, bold=True)
    for row in table.rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            _text(cell.paragraphs[0], value)


def _on(element):
    element.set(qn("w:val"), "true")
    return element


def _text(paragraph, text: Text, *, bold: bool = False, size=None) -> None:
    """The parts of a text as runs; a line break in the text is a line break in Word."""
    for part in parts(text):
        if isinstance(part, Link):
            _link(paragraph, part)
            continue
        words = part if isinstance(part, str) else plain((part,))
        for number, line in enumerate(words.split("\n")):
            if number:
                paragraph.add_run().add_break()
            if line:
                run = paragraph.add_run(line)
                run.bold = bold or None
                if size:
                    run.font.size = size


def _link(paragraph, link: Link) -> None:
    """A hyperlink: python-docx has no call for one, so it is written as Word writes it."""
    relationship = paragraph.part.relate_to(link.url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), relationship)
    run = paragraph.add_run(link.text)
    run.font.color.rgb = LINK_COLOUR
    run.font.underline = True
    paragraph._p.remove(run._r)
    hyperlink.append(run._r)
    paragraph._p.append(hyperlink)
