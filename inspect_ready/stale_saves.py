"""The page a stale save gets, for every form of a record two people can edit.

A service refuses a save based on an older version with `StaleSave` (councils/versions.py).
`errors_on(form, saved=...)` then shows the form again with the person's own input, now based
on the saved version, and above it the version saved by someone else, read through the same
form so it is shown in the form's own words (labels, chosen options, dates). Saving again is
then a choice made having seen both. The page answers 409 Conflict, and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Flask, Response, g
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectFieldBase, SubmitField
from wtforms.csrf.core import CSRFTokenField

from councils.versions import StaleSave


@dataclass(frozen=True)
class TheirVersion:
    message: str
    rows: list[tuple[str, str]]  # (the field's label, what they saved, in words)

    @property
    def summary_rows(self) -> list[dict]:
        return [{"key": {"text": label}, "value": {"text": words}} for label, words in self.rows]


def init_app(app: Flask) -> None:
    app.context_processor(lambda: {"their_version": g.get("their_version")})
    app.after_request(_conflict)


def _conflict(response: Response) -> Response:
    if g.get("their_version") is not None and response.status_code == 200:
        response.status_code = 409
    return response


def show_both(form: FlaskForm, stale: StaleSave, saved: dict) -> None:
    """Put the saved version beside the person's form; their form now carries its version."""
    theirs = type(form)(formdata=None, data=saved, prefix=form._prefix, meta={"csrf": False})
    rows = []
    for field in form:
        if isinstance(field, HiddenField | SubmitField | CSRFTokenField):
            continue
        shown = theirs[field.short_name]
        if hasattr(field, "choices"):
            shown.choices = field.choices
        rows.append((field.label.text, _words(shown)))
    form.version.data = str(saved["version"])
    g.their_version = TheirVersion(str(stale), rows)


def _words(field) -> str:
    if isinstance(field, BooleanField):
        return "Yes" if field.data else "No"
    if isinstance(field, SelectFieldBase):
        chosen = [str(label) for _, label, selected, *_ in field.iter_choices() if selected]
        return "; ".join(chosen) or "None chosen"
    if isinstance(field.data, dt.date):
        return f"{field.data:%-d %B %Y}"
    if isinstance(field.data, float):
        return f"{field.data:g}"  # 40, not 40.0
    return "Not given" if field.data in (None, "") else str(field.data)
