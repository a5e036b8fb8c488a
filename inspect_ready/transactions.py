"""One request, one transaction, committed in one place.

Views never commit. A request that ends well (a page or a redirect, status below 400) has its
changes committed after the view returns; any other ends with a rollback, so a refused or
failed request keeps nothing. A service refuses bad input by raising `InputError`; a view
runs the service inside `errors_on(form)`, which undoes what the service had begun and puts
the message on the form's field, then the view shows the form again:

    if form.validate_on_submit():
        with errors_on(form):
            item = items.create_item(...)
            flash("Evidence added.", "success")
            return redirect(url_for("library.detail", item_id=item.id))
    return render_template("library/form.html", form=form)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from flask import Flask, Response, flash
from flask_wtf import FlaskForm

from councils.db import db
from councils.errors import InputError
from councils.versions import StaleSave
from inspect_ready import stale_saves


def init_app(app: Flask) -> None:
    app.after_request(_commit_or_roll_back)
    stale_saves.init_app(app)


def _commit_or_roll_back(response: Response) -> Response:
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


@contextmanager
def errors_on(form: FlaskForm, saved: Callable[[], dict] | None = None) -> Iterator[None]:
    """Run a service command for a form: its InputError is shown on the field it names (or
    the form's first field) and nothing it had changed is kept.

    For a record two people can edit, `saved` gives the form's data for the record as now
    saved (its `version` included): a stale save shows that version beside the person's own
    (inspect_ready/stale_saves.py)."""
    try:
        yield
    except InputError as error:
        db.session.rollback()
        if isinstance(error, StaleSave) and saved is not None:
            stale_saves.show_both(form, error, saved())
        else:
            show_error(form, error)


@contextmanager
def errors_flashed(prefix: str = "") -> Iterator[None]:
    """The same for a button with no form fields: the message is shown at the top of the next page."""
    try:
        yield
    except InputError as error:
        db.session.rollback()
        for problem in error.every:
            flash(f"{prefix}{problem}", "error")


def show_error(form: FlaskForm, error: InputError, *, beside_field_errors: bool = True) -> None:
    """Each of the error's problems on the field it names (or the form's first field).

    `beside_field_errors=False` leaves out a problem on a field that already has one of its
    own: a service check run on a form with field errors sees that field as empty, so its
    "enter the date" would repeat the field's "must be a real date"."""
    for problem in error.every:
        named = getattr(form, getattr(problem, "field", None) or "", None)
        field = named or next(field for field in form if field.name != "csrf_token")
        if field.errors and not beside_field_errors:
            continue
        if str(problem) not in field.errors:  # a form's own check may have said it already
            field.errors = list(field.errors) + [str(problem)]


def valid(form: FlaskForm, *checks: Callable[[], object]) -> bool:
    """validate_on_submit, with the service's own checks (which write nothing) run too, so the
    error summary lists the fields' problems and the service's (an end date before the start,
    an owner who has left) together, rather than the service's only once the fields pass."""
    if not form.is_submitted():
        return False
    passed = form.validate()
    for check in checks:
        try:
            check()
        except InputError as error:
            show_error(form, error, beside_field_errors=False)
            passed = False
    return passed


def roll_back() -> None:
    """Undo the request's changes now, so the page shows what is saved beside a refusal."""
    db.session.rollback()


def commit_now() -> None:
    """Commit before the response, for a change another process must see at once (a job's
    row before the job is queued) or that must outlive a refusal (the audit log's record of
    a refused request)."""
    db.session.commit()
