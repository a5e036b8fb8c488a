"""The live gap list: what stands between the council and a good inspection today."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request
from flask_login import current_user

from councils.models import Role, ServiceArea
from evidence.action_plan import actions
from evidence.library.items import framework_of
from evidence.standing import filter_gaps, live_outcome
from inspect_ready.exports import csv_download, xlsx_download
from inspect_ready.permissions import allow
from judgement_framework.gaps import KINDS

bp = Blueprint("gaps", __name__, url_prefix="/gaps")
LEADERS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)
EXPORT_HEADER = [
    "Severity",
    "Kind",
    "Judgement area",
    "Criterion",
    "Gap",
    "Suggested next step",
    "Service areas",
    "Actions",
    "Gap id",
]


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
    outcome, signals = live_outcome(council, dt.date.today(), framework=framework)
    filters = gap_filters()
    first_for = current_user.service_area if current_user.role is Role.HEAD_OF_SERVICE else None
    rows = filter_gaps(outcome.gaps, signals, first_for=first_for, **filters)
    linked = actions.actions_for_gaps([gap.id for gap, _ in rows])
    return {"framework": framework, "outcome": outcome, "filters": filters, "rows": rows, "linked": linked}


@bp.route("/")
@allow(*LEADERS)
def index():
    template = "gaps/_results.html" if request.headers.get("HX-Request") == "true" else "gaps/index.html"
    return render_template(template, kinds=KINDS, service_areas=list(ServiceArea), **_gap_list())


@bp.route("/export.<any(csv, xlsx):file_format>")
@allow(*LEADERS)
def export(file_format: str):
    found = _gap_list()
    titles = {area.id: area.title for area in found["framework"].areas}
    data = [
        [
            gap.severity,
            gap.kind.replace("_", " "),
            titles.get(gap.area_id, gap.area_id),
            gap.criterion_id or "",
            gap.sentence,
            gap.next_step,
            ", ".join(sorted(s.label for s in services)) or "Whole council",
            len(found["linked"].get(gap.id, [])),
            gap.id,
        ]
        for gap, services in found["rows"]
    ]
    name = f"gap-list-{dt.date.today().isoformat()}"
    if file_format == "csv":
        return csv_download(f"{name}.csv", EXPORT_HEADER, data)
    return xlsx_download(f"{name}.xlsx", "Gap list", EXPORT_HEADER, data)
