"""What every page shares: the navigation for the signed-in role, and template helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import Flask, abort, current_app, g, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from councils import standing_cache
from councils.db import db
from councils.tenancy import find
from evidence.reviews.visit_themes import theme_title
from inspect_ready.audit_entries import when_words
from inspect_ready.input_checks import page_number
from inspect_ready.permissions import allow_anyone, may_use


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str


# In the order people use them. An item shows only to roles its view allows.
NAVIGATION = [
    NavItem("Home", "home.index"),
    NavItem("Evidence", "library.index"),
    NavItem("Case audits", "audits.index"),
    NavItem("Performance", "performance.index"),
    NavItem("Reviews", "reviews.index"),
    NavItem("Mock inspections", "mock_inspections.index"),
    NavItem("Inspection workspace", "inspection_workspace.index"),
    NavItem("Gaps", "gaps.index"),
    NavItem("Action plan", "actions.index"),
    NavItem("Self-evaluation", "self_evaluation.index"),
    NavItem("Engagement meeting", "engagement_meeting.index"),
    NavItem("Frameworks", "frameworks.index"),
    NavItem("Search", "search.index"),
    NavItem("Users", "admin.users"),
    NavItem("Council settings", "admin.settings"),
    NavItem("Audit log", "admin.audit_log"),
]


def init_app(app: Flask) -> None:
    # Static files are public by nature; declaring it keeps the permissions test exhaustive.
    app.view_functions["static"] = allow_anyone(app.view_functions["static"])
    app.context_processor(_page_globals)
    app.add_template_filter(govuk_date)
    app.add_template_filter(when_words, "govuk_time")
    app.add_template_global(criterion_text)
    app.add_template_global(signal_url)
    app.add_template_filter(theme_title, "visit_focus")


# Where each kind of signal's record is shown; findings are reached through their review.
SIGNAL_PAGES = {"evidence": ("library.detail", "item_id"), "indicator": ("performance.indicator", "indicator_id")}


def signal_url(signal_id: str) -> str | None:
    """The page of the record behind a scorer's signal ("evidence:12:leaders"), if it has one."""
    source, _, rest = signal_id.partition(":")
    number = rest.partition(":")[0]
    if source not in SIGNAL_PAGES or not number.isdigit():
        return None
    endpoint, argument = SIGNAL_PAGES[source]
    return url_for(endpoint, **{argument: int(number)})


def criterion_text(framework, criterion_id: str | None) -> str:
    """A criterion as people read it (its prompt), never its id; one the framework no longer
    holds says so."""
    if not criterion_id:
        return ""
    area_id = framework.criterion_area.get(criterion_id)
    if area_id is None:
        return "A criterion this framework no longer holds"
    return next(c.prompt for c in framework.area_by_id[area_id].criteria if c.id == criterion_id)


def govuk_date(value) -> str:
    """A date as GOV.UK writes it ("1 December 2026"): the one date format of every page.
    A date and time shows its date; an ISO date kept as text (an import's preview) its date;
    nothing shows as nothing."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.day} {value:%B %Y}"


def navigation_for(user) -> list[dict]:
    items = []
    for item in NAVIGATION:
        view = current_app.view_functions.get(item.endpoint)
        if view is None or not may_use(user, view):
            continue
        href = url_for(item.endpoint)
        active = request.endpoint == item.endpoint or (item.endpoint != "home.index" and request.path.startswith(href))
        items.append({"text": item.label, "href": href, "active": active})
    return items


def _page_globals() -> dict:
    # Every template a request renders asks (a form's widgets are templates of their own):
    # the navigation is worked out once a request.
    if "navigation" not in g:
        g.navigation = navigation_for(current_user) if current_user.is_authenticated else []
    return {"service_name": current_app.config["SERVICE_NAME"], "navigation": g.navigation}


def drawn_once(kept: object, template: str, **context) -> Markup:
    """A fragment drawn from a value the standing cache keeps (a council's map, its standing),
    drawn once per process while that very value is kept, not on every request. Only for a
    fragment that depends on nothing but `kept` (and the context, itself fixed by `kept`):
    no person, no form token, no query string. The fragment is escaped as it is drawn."""
    name = f"drawn {template} at {request.script_root}"
    return standing_cache.derived(kept, name, lambda: Markup(render_template(template, **context)))


def page_of(query, per_page: int, total: int | None = None):
    """One page of a query's rows, the page number from the request's ?page=: not a page
    number, the first page; past the last page (an old link to a list that has shrunk), the
    last page, so every number asked for shows rows and says which page they are. `total`:
    the rows the query finds, where the caller already knows it (a count kept between
    changes), so it is not counted again."""

    def paginate(number: int):
        page = db.paginate(query, page=number, per_page=per_page, error_out=False, count=total is None)
        if total is not None:
            page.total = total
        return page

    page = paginate(page_number(request.args.get("page")))
    if page.page > 1 and page.page > page.pages:
        page = paginate(max(1, page.pages))
    return page


@dataclass(frozen=True)
class ListPage:
    """One page of a list already in memory, answering as a query's page does."""

    items: list
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_of_list(items: list, per_page: int) -> ListPage:
    """One page of `items`, the number from ?page= as `page_of` reads it (not a number: the
    first page; past the end: the last)."""
    pages = max(1, -(-len(items) // per_page))
    number = min(page_number(request.args.get("page")), pages)
    start = (number - 1) * per_page
    return ListPage(items[start : start + per_page], number, pages, len(items))


def find_or_404(model, record_id: int):
    """The signed-in council's record, or the not-found page: another council's ids are
    answered exactly as ids that do not exist, so they reveal nothing."""
    record = find(model, record_id)
    if record is None:
        abort(404)
    return record
