"""Checked rows of an upload, kept between its preview and its confirmation.

One way for every import that shows what it will save before saving it. The rows are the
council's data, so they stay on the server (never in the cookie or the page): in a file of
the instance folder named by a random token, which only the uploader's session holds, under
the name of the import. Confirming takes the rows once; a second confirmation, or one from
another session, finds nothing.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from flask import current_app, session
from flask_login import current_user


def _folder() -> Path:
    return Path(current_app.instance_path) / "previews"


def _file(kind: str, token: str) -> Path:
    return _folder() / f"{current_user.council_id}-{current_user.id}-{kind}-{token}.json"


def keep(kind: str, rows: list) -> None:
    """Keep the checked rows of an import of `kind` for the person's confirmation."""
    token = secrets.token_hex(16)
    _folder().mkdir(parents=True, exist_ok=True)
    path = _file(kind, token)
    # Readable by the service's own user alone: the rows hold case references.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(rows, file)
    session[f"preview:{kind}"] = token


def take(kind: str) -> list | None:
    """The rows kept for this person's import of `kind`, once; None if there are none."""
    token = session.pop(f"preview:{kind}", None)
    if not token or not str(token).isalnum():
        return None
    path = _file(kind, token)
    if not path.exists():
        return None
    rows = json.loads(path.read_text())
    path.unlink()
    return rows
