"""Read-only pages that show each framework exactly as the scorer uses it."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, render_template
from flask_login import current_user

from inspect_ready.permissions import allow_signed_in
from judgement_framework import Framework, list_frameworks, load_framework

bp = Blueprint("frameworks", __name__, url_prefix="/frameworks")


def known_framework(framework_id: str) -> Framework:
    """A framework by id, only among those listed: a URL must never name a file path."""
    if framework_id not in {summary.id for summary in list_frameworks()}:
        abort(404)
    return load_framework(framework_id)


def last_day(in_force_to: dt.date | None) -> dt.date | None:
    """The last day a framework was in force: its file's in_force_to is the first day it was not."""
    return in_force_to - dt.timedelta(days=1) if in_force_to else None


@bp.route("/")
@allow_signed_in
def index():
    return render_template(
        "frameworks/index.html",
        summaries=list_frameworks(),
        chosen=current_user.council.framework_id,
        last_day=last_day,
    )


@bp.route("/<framework_id>")
@allow_signed_in
def show(framework_id: str):
    framework = known_framework(framework_id)
    children: dict[str | None, list] = {}
    for area in framework.areas:
        children.setdefault(area.parent, []).append(area)
    return render_template(
        "frameworks/show.html",
        framework=framework,
        children=children,
        chosen=current_user.council.framework_id == framework.id,
        last_day=last_day(framework.in_force_to),
    )
