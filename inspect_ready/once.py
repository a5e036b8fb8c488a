"""A create form is sent once (councils/submissions.py explains how): the same form sent
again is shown what it made instead of making a second mock inspection, action or audit.

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

import hashlib
import json

from flask import Response, make_response, render_template, request
from flask_login import current_user

from councils import submissions

# Not part of what the form holds: the page's own tokens, and the choice to make another.
NOT_CONTENT = ("csrf_token", "once", "again")


def _token(form) -> str | None:
    """The token the page sent: as posted, never the field's default (a new token each time a
    form is made), so a post without one is left unprotected rather than given one."""
    if request.method != "POST" or form.once.name not in request.form:
        return None
    return submissions.usable(request.form[form.once.name])


def _fingerprint() -> str:
    held = sorted((name, value) for name, value in request.form.items(multi=True) if name not in NOT_CONTENT)
    return hashlib.sha256(json.dumps([request.path, held]).encode()).hexdigest()


def sent_before(form) -> Response | None:
    """For a form sent already (its token used, or the same form holding the same a moment
    ago): the page saying so, linking to what it made (409 Conflict: nothing is made). None
    for a form sent for the first time, or made again on purpose."""
    token = _token(form)
    if token is None:
        return None
    earlier = submissions.by_token(current_user.id, token)
    repeat = earlier is None
    if repeat and request.form.get("again") != "yes":
        earlier = submissions.by_content(current_user.id, _fingerprint())
    if earlier is None:
        return None
    fields = [(name, value) for name, value in request.form.items(multi=True) if name not in ("csrf_token", "again")]
    page = render_template(
        "already_sent.html",
        earlier=earlier,
        repeat=repeat,
        fields=fields,
        action=request.full_path.rstrip("?"),
    )
    return make_response(page, 409)


def made(form, path: str, what: str) -> None:
    """Record what the form made under its token, in the same transaction as the making."""
    token = _token(form)
    if token:
        submissions.record(current_user.id, token, _fingerprint(), path, what)
