"""The live gap list: what stands between the council and a good inspection today."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from councils import clock
from councils.models import Role, ServiceArea
from evidence.action_plan import actions
from evidence.library.items import framework_of
from evidence.standing import filter_gaps, live_outcome
from inspect_ready.exports import gap_download
from inspect_ready.extensions import htmx
from inspect_ready.permissions import allow
from judgement_framework.gaps import KINDS

bp = Blueprint("gaps", __name__, url_prefix="/gaps")
LEADERS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)


def gap_filters(*, service_area: bool = True) -> dict:
    """Filters from the query string; unknown values are ignored rather than failing the page."""
    filters = {
        "area_id": request.args.get("area_id") or None,
        "kind": request.args.get("kind") if request.args.get("kind") in KINDS else None,
    }
    if service_area:
        chosen = request.args.get("service_area", "")
        filters["service_area"] = ServiceArea(chosen) if chosen in {s.value for s in ServiceArea} else None
    return filters


def _gap_list() -> dict:
    council = current_user.council
    framework = framework_of(council)
    outcome, signals = live_outcome(council, clock.today(), framework=framework)
    filters = gap_filters()
    first_for = current_user.service_area if current_user.role is Role.HEAD_OF_SERVICE else None
    rows = filter_gaps(outcome.gaps, signals, first_for=first_for, **filters)
    linked = actions.actions_for_gaps([gap.id for gap, _ in rows])
    return {"framework": framework, "outcome": outcome, "filters": filters, "rows": rows, "linked": linked}


@bp.route("/")
@allow(*LEADERS)
def index():
    template = "gaps/_results.html" if htmx else "gaps/index.html"
    return render_template(template, kinds=KINDS, service_areas=list(ServiceArea), **_gap_list())


@bp.route("/export.<any(csv, xlsx):file_format>")
@allow(*LEADERS)
def export(file_format: str):
    found = _gap_list()
    name = f"gap-list-{clock.today().isoformat()}"
    return gap_download(file_format, name, found["framework"], found["rows"], found["linked"])
