"""Checked rows of an upload, kept between its preview and its confirmation.

One way for every import that shows what it will save before saving it. The rows are the
council's data, so they stay on the server (never in the cookie or the page): in a file of
the instance folder named by a random token, which only the uploader's session holds, under
the name of the import. Confirming takes the rows once; a second confirmation, or one from
another session, finds nothing. Rows not confirmed within an hour are deleted (whenever
any import is checked or confirmed), and the folder and files are the service's alone.
"""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path

from flask import current_app, session
from flask_login import current_user

# How long checked rows wait for their confirmation before they are deleted.
KEPT_SECONDS = 3600


def _folder() -> Path:
    return Path(current_app.instance_path) / "previews"


def _private_folder() -> Path:
    folder = _folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)  # mkdir's mode is narrowed by the umask, and an older folder kept its own
    return folder


def _expired(path: Path, now: float) -> bool:
    try:
        return now - path.stat().st_mtime > KEPT_SECONDS
    except FileNotFoundError:
        return False


def delete_expired() -> int:
    """Delete every preview older than an hour, whoever's it was; how many were deleted."""
    folder, now, deleted = _folder(), time.time(), 0
    if not folder.is_dir():
        return 0
    for path in folder.glob("*.json"):
        if _expired(path, now):
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def _file(kind: str, token: str) -> Path:
    return _folder() / f"{current_user.council_id}-{current_user.id}-{kind}-{token}.json"


def keep(kind: str, rows: list) -> None:
    """Keep the checked rows of an import of `kind` for the person's confirmation."""
    token = secrets.token_hex(16)
    _private_folder()
    delete_expired()
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
    delete_expired()  # an hour-old preview is gone before it could be taken
    path = _file(kind, token)
    if not path.exists():
        return None
    rows = json.loads(path.read_text())
    path.unlink()
    return rows
