"""Reading downloaded documents back: a Word file's text, header and footer, a PDF's pages."""

from __future__ import annotations

import io

import docx
from pypdf import PdfReader


def word(data: bytes):
    return docx.Document(io.BytesIO(data))


def word_text(document) -> str:
    """The body's paragraphs and table cells, in order enough for `in` checks."""
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def header_text(document) -> str:
    return "\n".join(p.text for p in document.sections[0].header.paragraphs)


def footer_xml(document) -> str:
    return document.sections[0].footer._element.xml


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]
