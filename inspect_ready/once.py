"""A create form is sent once: its one-time token (`fields.once_field`) is recorded with what
it made (councils/submissions.py), and the same form sent again is shown that instead of
making a second mock inspection, action or audit.

    form = ActionForm()
    if (page := once.sent_before(form)) is not None:
        return page
    if valid(form, ...):
        with errors_on(form):
            action = actions.create(...)
            once.made(form, url_for("actions.show", action_id=action.id), f"the action ‘{action.what}’")
            return redirect(...)

A post without a token (a script, a page from before tokens) is not protected, not refused:
every form page the service shows carries one.
"""

from __future__ import annotations

from flask import Response, make_response, render_template, request
from flask_login import current_user

from councils import submissions


def _token(form) -> str | None:
    return submissions.usable(form.once.data) if request.method == "POST" else None


def sent_before(form) -> Response | None:
    """For a form whose token was used already: the page saying so, linking to what it made
    (409 Conflict: nothing is made). None for a form sent for the first time."""
    token = _token(form)
    earlier = submissions.earlier(current_user.id, token) if token else None
    if earlier is None:
        return None
    page = render_template("already_sent.html", earlier=earlier, again=request.full_path.rstrip("?"))
    return make_response(page, 409)


def made(form, path: str, what: str) -> None:
    """Record what the form made under its token, in the same transaction as the making."""
    token = _token(form)
    if token:
        submissions.record(current_user.id, token, path, what)
