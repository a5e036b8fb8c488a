"""Where the council stands, judgement by judgement: why the evidence gives each its grade."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from councils import clock
from councils.models import Role
from evidence.library.items import framework_of
from evidence.mock_inspections.inspections import latest_recorded
from evidence.standing import live_outcome
from evidence.why_the_grade import why_the_grade
from inspect_ready.permissions import allow

bp = Blueprint("standing", __name__, url_prefix="/standing")


@bp.route("/judgements/<area_id>")
@allow(Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)
def judgement(area_id: str):
    council = current_user.council
    framework = framework_of(council)
    area = framework.area_by_id.get(area_id)
    if area is None or area.kind == "overall":
        abort(404)
    outcome, signals = live_outcome(council, clock.today(), framework=framework)
    # The last mock inspection's moderated grade, beside the evidence grade, when it was made
    # under this framework (a grade of another framework's judgement says nothing here).
    recorded = latest_recorded()
    moderated = None
    if recorded is not None and recorded.data.get("framework_id") == framework.id:
        moderated = next((a["final_grade"] for a in recorded.data["areas"] if a["area_id"] == area_id), None)
    return render_template(
        "standing/judgement.html",
        framework=framework,
        area=area,
        why=why_the_grade(framework, area_id, outcome, signals),
        recorded=recorded if moderated else None,
        moderated=moderated,
    )
