"""Create forms are sent once. Each form page carries a new one-time token, and what the form
made is recorded under it, with a fingerprint of the form's address and what it held, when it
is sent. A later post finds that record:

- by its token: the same page sent again (a double press, the browser re-sending a post);
- by its fingerprint, for a short while: the back button fetches the page again (every page
  is no-store) with a new token, and the browser puts back what the person had typed, so
  "submit" would make the same thing a second time. The person is shown what was made and
  may still make another on purpose.

Records are the person's own (looked up with their id) and are forgotten after a month.
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
# How long the same form, sent again with the same content, is taken for a repeat.
REPEAT_WITHIN = dt.timedelta(minutes=30)

ALREADY_SENT = "This form was already sent, so nothing new was made"


def usable(token: str | None) -> str | None:
    """The token if it is one a form page could have offered, else None."""
    return token if token and TOKEN_PATTERN.fullmatch(token) else None


def by_token(user_id: int, token: str) -> FormSubmission | None:
    """What the person's form with this token made, if it was sent before."""
    return db.session.scalar(
        select(FormSubmission).where(FormSubmission.user_id == user_id, FormSubmission.token == token)
    )


def by_content(user_id: int, fingerprint: str) -> FormSubmission | None:
    """What the person's same form, holding the same, made a moment ago, if it did."""
    return db.session.scalar(
        select(FormSubmission)
        .where(
            FormSubmission.user_id == user_id,
            FormSubmission.fingerprint == fingerprint,
            FormSubmission.sent_at >= clock.now() - REPEAT_WITHIN,
        )
        .order_by(FormSubmission.sent_at.desc())
        .limit(1)
    )


def record(user_id: int, token: str, fingerprint: str, made_path: str, made_what: str) -> None:
    """Note what the form made. Sent twice at once, the second meets the unique key and is
    refused, so what it made is rolled back with it."""
    now = clock.now()
    db.session.execute(
        delete(FormSubmission).where(FormSubmission.user_id == user_id, FormSubmission.sent_at < now - KEPT_FOR)
    )
    with first_save("form", error=InputError(ALREADY_SENT)):
        db.session.add(
            FormSubmission(
                user_id=user_id,
                token=token,
                fingerprint=fingerprint,
                made_path=made_path[:300],
                made_what=made_what[:300],
                sent_at=now,
            )
        )
