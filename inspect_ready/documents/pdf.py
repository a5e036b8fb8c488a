"""A document as PDF, with WeasyPrint, from one HTML template of the same model as the Word
file. The page's margin boxes carry the marking (top and bottom), the council, the day made
and "Page N of M". The PDF maker may read only the app's static files, never the network."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from flask import current_app, render_template
from markupsafe import Markup

from inspect_ready.documents.model import Document, parts

MIME_TYPE = "application/pdf"
STATIC = Path(__file__).resolve().parent.parent / "static"


class ReportFetchRefused(ValueError):
    pass


def local_static_only(url: str, *_args, **_kwargs) -> dict:
    """WeasyPrint's url_fetcher: only the app's own static files, so a document never reaches
    out to the network (councils run this on closed networks), whatever its text says."""
    prefix = current_app.static_url_path.rstrip("/") + "/"
    path = re.sub(r"^https?://[^/]+", "", url) if url.startswith(("http://", "https://")) else url
    if not path.startswith(prefix):
        raise ReportFetchRefused(f"the document may only use the app's own files, not {url}")
    file = (STATIC / path[len(prefix) :]).resolve()
    if STATIC not in file.parents or not file.is_file():
        raise ReportFetchRefused(f"no such static file: {url}")
    return {"string": file.read_bytes(), "filename": file.name}


def stylesheet() -> Markup:
    """The document's CSS, to embed in a <style> element: our own static file, so marked safe
    (escaping would turn its quotes into entities, which CSS does not decode)."""
    return Markup((STATIC / "report.css").read_text())


# A run of this many characters without a space gets a zero-width space after it: a place the
# line may break. Without one, WeasyPrint's search for a break in a very long "word" (a
# pasted link, a row of dashes) grows with the square of its length.
_UNBROKEN = re.compile(r"[^\s\u200b]{60}(?=[^\s\u200b])")


def breakable(value: str) -> str:
    return _UNBROKEN.sub(lambda run: run.group() + "\u200b", value)


def pdf_parts(text) -> tuple:
    return tuple(
        breakable(part) if isinstance(part, str) else replace(part, text=breakable(part.text)) for part in parts(text)
    )


def html(document: Document) -> str:
    return render_template("documents/document.html", document=document, parts=pdf_parts, stylesheet=stylesheet())


def pdf(document: Document) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only the PDF needs

    return HTML(string=html(document), url_fetcher=local_static_only, base_url="/").write_pdf()
