"""A document as the file a person downloads: Word or PDF, named for the council, what it is
and the day it was made."""

from __future__ import annotations

from flask import Response

from inspect_ready.documents import pdf, word
from inspect_ready.documents.model import Document, file_name
from inspect_ready.exports import download

FORMATS = {"docx": (word.docx, word.MIME_TYPE), "pdf": (pdf.pdf, pdf.MIME_TYPE)}


def document_download(document: Document, file_format: str) -> Response:
    render, mime_type = FORMATS[file_format]
    return download(render(document), file_name(document, file_format), mime_type)
