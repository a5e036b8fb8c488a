"""Search: one box for the council's evidence, case audits, actions and gaps."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from councils import clock
from councils.models import Role
from evidence import search
from evidence.library.items import framework_of
from evidence.standing import live_outcome
from inspect_ready.permissions import allow

bp = Blueprint("search", __name__, url_prefix="/search")

# Those who work with all four kinds of record.
SEARCHERS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)
MAX_LENGTH = 200


@bp.route("/")
@allow(*SEARCHERS)
def index():
    # Control characters cannot be searched for or shown back; they are dropped.
    query = "".join(c if c.isprintable() else " " for c in request.args.get("q", "")).strip()
    error = None
    if len(query) > MAX_LENGTH:
        error = {"text": f"Search words must be {MAX_LENGTH} characters or fewer", "href": "#q"}
    words = search.words_of(query) if query and not error else []
    results = None
    if words:
        council = current_user.council
        framework = framework_of(council)
        outcome, _ = live_outcome(council, clock.today(), framework=framework)
        results = {
            "evidence": search.evidence(words),
            "audits": search.audits(words),
            "actions": search.actions(words),
            "gaps": search.gaps(outcome.gaps, words),
        }
        titles = {area.id: area.title for area in framework.areas}
    else:
        titles = {}
    return render_template(
        "search/index.html",
        query=query,
        results=results,
        titles=titles,
        errors=[error] if error else [],
        per_section=search.PER_SECTION,
    )
