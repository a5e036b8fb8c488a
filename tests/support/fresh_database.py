"""A database of its own for a test that migrates up and down (the suite's shared one stays
at the head): a new SQLite file, or on PostgreSQL a new database beside the suite's."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from inspect_ready import create_app
from inspect_ready.config import database_url


@contextmanager
def fresh_app(tmp_path: Path) -> Iterator:
    """An app on an empty database, for `flask_migrate.upgrade(revision=...)` in its context."""
    suite_url = os.environ.get("DATABASE_URL")
    if not suite_url:
        yield create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.sqlite'}"})
        return
    url = make_url(database_url(suite_url))
    name = f"inspect_ready_fresh_{uuid.uuid4().hex[:8]}_test"
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    app = create_app({"SQLALCHEMY_DATABASE_URI": url.set(database=name).render_as_string(hide_password=False)})
    try:
        yield app
    finally:
        from councils.db import db

        with app.app_context():
            db.engine.dispose()
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        server.dispose()
