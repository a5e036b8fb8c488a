"""One-time tokens of create forms: each form page carries a new token, and what the form
made is recorded under it when it is sent. The same token sent again (the back button and
submit, a double press, a second tab holding the same page) finds that record, so the view
shows what was made rather than making it a second time.

A token is the person's own (looked up with their id) and is forgotten after a month, when
no page holding it is still open.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import delete, select

from councils import clock
from councils.db import db
from councils.errors import InputError
from councils.models import FormSubmission
from councils.versions import first_save

# What a form page offers (secrets.token_urlsafe); anything else is no token.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
KEPT_FOR = dt.timedelta(days=31)

ALREADY_SENT = "This form was already sent, so nothing new was made"


def usable(token: str | None) -> str | None:
    """The token if it is one a form page could have offered, else None."""
    return token if token and TOKEN_PATTERN.fullmatch(token) else None


def earlier(user_id: int, token: str) -> FormSubmission | None:
    """What the person's form with this token made, if it was sent before."""
    return db.session.scalar(
        select(FormSubmission).where(FormSubmission.user_id == user_id, FormSubmission.token == token)
    )


def record(user_id: int, token: str, made_path: str, made_what: str) -> None:
    """Note what the form made. Sent twice at once, the second meets the unique key and is
    refused, so its own record is rolled back with it."""
    now = clock.now()
    db.session.execute(
        delete(FormSubmission).where(FormSubmission.user_id == user_id, FormSubmission.sent_at < now - KEPT_FOR)
    )
    with first_save("form", error=InputError(ALREADY_SENT)):
        db.session.add(
            FormSubmission(
                user_id=user_id, token=token, made_path=made_path[:300], made_what=made_what[:300], sent_at=now
            )
        )
