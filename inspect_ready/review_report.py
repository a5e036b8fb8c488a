"""A review's report as a PDF (WeasyPrint) or a Word document: made from the same HTML as
the printable page, and never fetching anything over the network."""

from __future__ import annotations

import re
from pathlib import Path

from flask import current_app
from markupsafe import Markup

STATIC = Path(__file__).resolve().parent / "static"


class ReportFetchRefused(ValueError):
    pass


def local_static_only(url: str, *_args, **_kwargs) -> dict:
    """WeasyPrint's url_fetcher: only the app's own static files, so a report never reaches
    out to the network (councils run this on closed networks), whatever its text says."""
    prefix = current_app.static_url_path.rstrip("/") + "/"
    path = re.sub(r"^https?://[^/]+", "", url) if url.startswith(("http://", "https://")) else url
    if not path.startswith(prefix):
        raise ReportFetchRefused(f"the report may only use the app's own files, not {url}")
    file = (STATIC / path[len(prefix) :]).resolve()
    if STATIC not in file.parents or not file.is_file():
        raise ReportFetchRefused(f"no such static file: {url}")
    return {"string": file.read_bytes(), "filename": file.name}


def pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only the PDF needs

    return HTML(string=html, url_fetcher=local_static_only, base_url="/").write_pdf()


def stylesheet() -> Markup:
    """The report's CSS, to embed in a <style> element: our own static file, so marked safe
    (escaping would turn its quotes into entities, which CSS does not decode)."""
    return Markup((STATIC / "report.css").read_text())


def file_name(review) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", review.title.lower()).strip("-")[:60] or "review"
    return f"{slug}-report"
