"""The home page: what each role comes to the service for."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import text

from inspect_ready.extensions import db
from inspect_ready.permissions import allow_anyone, allow_signed_in

home = Blueprint("home", __name__)


@home.route("/")
@allow_signed_in
def index():
    return render_template("home/index.html", user=current_user)


@home.route("/health")
@allow_anyone
def health():
    """For load balancers and monitoring: the app answers and the database is reachable."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
