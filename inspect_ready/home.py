"""The home page: what each role comes to the service for."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import text

from councils.models import Role
from evidence.case_audits import open_escalations_for
from inspect_ready.extensions import db
from inspect_ready.permissions import allow_anyone, allow_signed_in

home = Blueprint("home", __name__)


@home.route("/")
@allow_signed_in
def index():
    escalations = []
    if current_user.role in (Role.HEAD_OF_SERVICE, Role.SENIOR_LEADER):
        escalations = db.session.scalars(open_escalations_for(current_user)).all()
    return render_template("home/index.html", user=current_user, escalations=escalations, today=date.today())


@home.route("/health")
@allow_anyone
def health():
    """For load balancers and monitoring: the app answers and the database is reachable."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
