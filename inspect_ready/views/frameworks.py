"""Read-only pages that show each framework exactly as the scorer uses it."""

from __future__ import annotations

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


@bp.route("/")
@allow_signed_in
def index():
    return render_template(
        "frameworks/index.html", summaries=list_frameworks(), chosen=current_user.council.framework_id
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
    )
