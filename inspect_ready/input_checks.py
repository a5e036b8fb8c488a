"""Checks every request passes before a view sees it: input no database can store, and ids
no column can hold, answered with a page in words instead of a server error.

PostgreSQL refuses a NUL character in text, and other control characters (what a damaged
paste or a fuzzer sends, never what a person types) break the XML of every XLSX export
that would later include them. They are refused wherever they arrive (the address, the
query string, a form field or a file's name), once here rather than in each form. Tab, line
feed and carriage return are ordinary text and pass.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.routing import IntegerConverter

from councils.ids import MAX_ID
from councils.storable import unstorable

# The page number's ceiling: far past any real list, and an offset every database holds.
MAX_PAGE = 100_000


class RecordIdConverter(IntegerConverter):
    """`<int:...>` in every route: an id larger than the integer column is no record (404),
    not a number the database refuses."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = RecordIdConverter
    app.before_request(_refuse_unstorable_characters)


def _sent_text():
    yield request.path
    for key, value in request.args.items(multi=True):
        yield key
        yield value
    for key, value in request.form.items(multi=True):
        yield key
        yield value
    for key, upload in request.files.items(multi=True):
        yield key
        yield upload.filename or ""


def _refuse_unstorable_characters():
    if any(unstorable(text) for text in _sent_text()):
        return (
            render_template(
                "errors/error.html",
                title="What you sent has a character that cannot be saved",
                advice=(
                    "A box, a file name or the web address had a hidden control character in it "
                    "(for example, one copied from another program), so nothing was saved. "
                    "Go back, type the text again or rename the file, and try again."
                ),
                status=400,
            ),
            400,
        )
    return None


def page_number(text: str | None) -> int:
    """The ?page= asked for: 1 when it is not a page number, at most MAX_PAGE (past the
    last page shows an empty page, as a page just past it does)."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit():
        return 1
    return max(1, min(int(text), MAX_PAGE))
