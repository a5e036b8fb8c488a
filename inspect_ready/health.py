"""For load balancers and monitoring: the app answers, the database answers, and its schema
is the one this code was written for (the Alembic head revision).

A database that is empty or a migration behind answers queries but fails the pages, so it
is unhealthy too: 503, saying why in words, never a stack trace.

Kept apart from the journeys in views/: it is for machines, and it is the one page that
talks to the database directly.
"""

from __future__ import annotations

import logging
from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from councils.db import db
from inspect_ready.permissions import allow_anyone

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.route("/health")
@allow_anyone
def check():
    try:
        db.session.execute(text("SELECT 1"))
        current = set(MigrationContext.configure(db.session.connection()).get_current_heads())
    except SQLAlchemyError as error:
        log.warning("Health check: the database did not answer (%s)", type(error).__name__)
        return _unhealthy("The database is not answering.")
    expected = head_revisions(current_app.extensions["migrate"].directory)
    if not current:
        return _unhealthy("The database has no tables yet: run `flask db upgrade`.")
    if current != expected:
        return _unhealthy("The database is not at the schema this version needs: run `flask db upgrade`.")
    return {"status": "ok"}


@cache
def head_revisions(migrations_folder: str) -> frozenset[str]:
    """The revisions the code's migrations end at (read once: they change only with the code)."""
    return frozenset(ScriptDirectory(migrations_folder).get_heads())


def _unhealthy(problem: str):
    return {"status": "unavailable", "problem": problem}, 503
