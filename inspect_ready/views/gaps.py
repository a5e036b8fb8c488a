"""The live gap list: what stands between the council and a good inspection today, as themes
to fix first, each with the gaps inside it."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from councils import clock
from councils.models import Role, ServiceArea
from evidence.action_plan import actions
from evidence.case_audits.audits import cases_by_record
from evidence.library.items import framework_of
from evidence.standing import filter_gaps, live_outcome
from evidence.themes import ThemeFilters, filter_themes, ranked_themes
from inspect_ready.exports import gap_download
from inspect_ready.extensions import htmx
from inspect_ready.pages import page_of_list
from inspect_ready.permissions import allow
from judgement_framework.gaps import KIND_LABELS, KINDS

bp = Blueprint("gaps", __name__, url_prefix="/gaps")
LEADERS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)
THEMES_PER_PAGE = 10
GAPS_PER_THEME_CARD = 3
GAPS_PER_PAGE = 25
HAS_ACTION = {"yes": True, "no": False}


def gap_filters(*, service_area: bool = True) -> dict:
    """Filters from the query string; unknown kinds and services are ignored rather than failing
    the page (a judgement the framework lacks is answered by `filter_problems`)."""
    filters = {
        "area_id": request.args.get("area_id") or None,
        "kind": request.args.get("kind") if request.args.get("kind") in KINDS else None,
    }
    if service_area:
        chosen = request.args.get("service_area", "")
        filters["service_area"] = ServiceArea(chosen) if chosen in {s.value for s in ServiceArea} else None
    return filters


def theme_filters(framework, *, service_area: bool = True) -> tuple[ThemeFilters, dict, list[dict]]:
    """The theme list's filters, the same as query-string values for links, and any problems."""
    chosen = gap_filters(service_area=service_area)
    errors = []
    if chosen["area_id"] and chosen["area_id"] not in framework.area_by_id:
        errors.append({"text": f"Choose a judgement of {framework.title}", "href": "#area_id"})
        chosen["area_id"] = None
    has_action = HAS_ACTION.get(request.args.get("has_action", ""))
    search = (request.args.get("q") or "").strip()[:200]
    filters = ThemeFilters(has_action=has_action, search=search, **chosen)
    args = {
        key: value
        for key, value in request.args.items()
        if key in ("area_id", "kind", "service_area", "has_action", "q") and value
    }
    return filters, args, errors


def themes_for(framework, outcome, signals, *, closed_areas=frozenset()) -> list:
    """Every theme of an outcome's gaps, ranked, with which gaps already have an action."""
    return ranked_themes(
        framework,
        outcome,
        signals,
        cases_of=cases_by_record,
        gaps_with_action=actions.gaps_with_an_action(),
        closed_areas=closed_areas,
    )


def linked_actions(themes) -> dict:
    """The actions of the gaps a page shows: those on its theme cards, not every gap."""
    shown = [gap.id for theme in themes for gap in theme.gaps[:GAPS_PER_THEME_CARD]]
    return actions.actions_for_gaps(shown)


def _live():
    council = current_user.council
    framework = framework_of(council)
    outcome, signals = live_outcome(council, clock.today(), framework=framework)
    return framework, outcome, signals, themes_for(framework, outcome, signals)


def _first_for_me(themes):
    """A head of service's own themes first, keeping the ranking within each group."""
    if current_user.role is Role.HEAD_OF_SERVICE:
        return sorted(themes, key=lambda t: current_user.service_area not in t.services)
    return themes


@bp.route("/")
@allow(*LEADERS)
def index():
    framework, outcome, _signals, themes = _live()
    filters, args, errors = theme_filters(framework)
    chosen = _first_for_me(filter_themes(themes, filters))
    page = page_of_list(chosen, THEMES_PER_PAGE)
    template = "gaps/_results.html" if htmx else "gaps/index.html"
    return render_template(
        template,
        kinds=KINDS,
        kind_labels=KIND_LABELS,
        service_areas=list(ServiceArea),
        framework=framework,
        outcome=outcome,
        filters=filters,
        args=args,
        errors=errors,
        page=page,
        gap_total=sum(len(t.gaps) for t in chosen),
        linked=linked_actions(page.items),
        list_endpoint="gaps.index",
        theme_endpoint="gaps.theme",
        endpoint_args={},
    )


@bp.route("/themes/<theme_id>")
@allow(*LEADERS)
def theme(theme_id: str):
    framework, _outcome, signals, themes = _live()
    found = next((t for t in themes if t.id == theme_id), None)
    if found is None:
        abort(404)
    return render_theme(found, framework, signals, back=("gaps.index", {}))


def render_theme(found, framework, signals, *, back, action_args=None):
    """One theme's gaps, a page at a time, with the services and actions of each."""
    page = page_of_list(filter_gaps(found.gaps, signals), GAPS_PER_PAGE)
    return render_template(
        "gaps/theme.html",
        theme=found,
        framework=framework,
        page=page,
        linked=actions.actions_for_gaps([gap.id for gap, _ in page.items]),
        back=back,
        action_args=action_args or {},
    )


@bp.route("/export.<any(csv, xlsx):file_format>")
@allow(*LEADERS)
def export(file_format: str):
    framework, _outcome, signals, themes = _live()
    filters, _args, _errors = theme_filters(framework)
    chosen = filter_themes(themes, filters)
    name = f"gap-list-{clock.today().isoformat()}"
    return export_themes(file_format, name, framework, chosen, signals)


def export_themes(file_format: str, name: str, framework, themes, signals):
    """Every gap of the chosen themes, theme by theme in rank order, each row naming its theme."""
    rows = filter_gaps([gap for theme in themes for gap in theme.gaps], signals)
    return gap_download(file_format, name, framework, rows, actions.gaps_with_an_action(), themes)
