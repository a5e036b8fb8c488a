"""What every page shares: the navigation for the signed-in role, and template helpers."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, abort, current_app, request, url_for
from flask_login import current_user

from councils.db import db
from councils.models import Role
from councils.tenancy import find
from inspect_ready.input_checks import page_number
from inspect_ready.permissions import allow_anyone, may_use


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    # Roles the view lets in but who have no use for it from the navigation.
    not_for: frozenset[Role] = frozenset()


# A peer reviewer reviews other councils: their own council's evidence, audits and
# performance would show them empty pages. They reach a reviewed council's evidence through
# the review they are on.
NOT_FOR_REVIEWERS = frozenset({Role.PEER_REVIEWER})

# In the order people use them. An item shows only to roles its view allows.
NAVIGATION = [
    NavItem("Home", "home.index"),
    NavItem("Evidence", "library.index", NOT_FOR_REVIEWERS),
    NavItem("Case audits", "audits.index", NOT_FOR_REVIEWERS),
    NavItem("Performance", "performance.index", NOT_FOR_REVIEWERS),
    NavItem("Reviews", "reviews.index"),
    NavItem("Mock inspections", "mock_inspections.index"),
    NavItem("Gaps", "gaps.index"),
    NavItem("Action plan", "actions.index"),
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


def navigation_for(user) -> list[dict]:
    items = []
    for item in NAVIGATION:
        view = current_app.view_functions.get(item.endpoint)
        if view is None or not may_use(user, view) or user.role in item.not_for:
            continue
        href = url_for(item.endpoint)
        active = request.endpoint == item.endpoint or (item.endpoint != "home.index" and request.path.startswith(href))
        items.append({"text": item.label, "href": href, "active": active})
    return items


def _page_globals() -> dict:
    return {
        "service_name": current_app.config["SERVICE_NAME"],
        "navigation": navigation_for(current_user) if current_user.is_authenticated else [],
    }


def page_of(query, per_page: int):
    """One page of a query's rows, the page number from the request's ?page= (past the
    last page: an empty page, not an error)."""
    return db.paginate(query, page=page_number(request.args.get("page")), per_page=per_page, error_out=False)


def find_or_404(model, record_id: int):
    """The signed-in council's record, or the not-found page: another council's ids are
    answered exactly as ids that do not exist, so they reveal nothing."""
    record = find(model, record_id)
    if record is None:
        abort(404)
    return record
