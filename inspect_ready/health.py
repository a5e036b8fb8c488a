"""For load balancers and monitoring: the app answers and the database is reachable.

Kept apart from the journeys in views/: it is for machines, and it is the one page that
talks to the database directly.
"""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import text

from councils.db import db
from inspect_ready.permissions import allow_anyone

bp = Blueprint("health", __name__)


@bp.route("/health")
@allow_anyone
def check():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
