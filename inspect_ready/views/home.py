"""The home page: what each role comes to the service for."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from councils import clock
from councils.models import Role
from evidence.action_plan import actions
from evidence.case_audits.audits import escalations_at_a_glance
from evidence.inspection_workspace.calls import latest_notice
from evidence.inspection_workspace.countdown import countdown
from evidence.library.items import framework_of
from evidence.mock_inspections import inspections, my_work
from evidence.reviews.setup import review_count_of
from evidence.self_evaluation.self_evaluations import latest_self_evaluation, section_counts
from evidence.standing import live_outcome, stale_count_of
from evidence.themes import TOP
from inspect_ready.permissions import allow_signed_in
from inspect_ready.views.gaps import themes_for
from judgement_framework import load_framework

bp = Blueprint("home", __name__)
ESCALATIONS_SHOWN = 10
OVERDUE_SHOWN = 10
REVIEWS_SHOWN = 10


@bp.route("/")
@allow_signed_in
def index():
    user = current_user
    standing, escalations = None, None
    if user.role in (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE):
        standing = _standing(user)
        escalations = escalations_at_a_glance(user, clock.today(), ESCALATIONS_SHOWN)
    work = my_work.work_of(user.id, clock.today(), REVIEWS_SHOWN)
    return render_template(
        "home/index.html",
        user=user,
        standing=standing,
        escalations=escalations,
        work=work,
        review_count=review_count_of(user.id) if len(work) == REVIEWS_SHOWN else len(work),
        today=clock.today(),
        call=_call(user),
    )


def _call(user) -> dict | None:
    """The latest call whose report is not yet published, with its countdown, for a senior leader."""
    notice = latest_notice() if user.role is Role.SENIOR_LEADER else None
    if notice is None or notice.published_on is not None:
        return None
    return {"notice": notice, "countdown": countdown(notice.kind.value, notice.first_day, clock.today())}


def _standing(user) -> dict:
    """Where the council stands today, from all the evidence it holds."""
    today = clock.today()
    framework = framework_of(user.council)
    outcome, signals = live_outcome(user.council, today, framework=framework)
    themes = themes_for(framework, outcome, signals)
    if user.role is Role.HEAD_OF_SERVICE:  # their own service's themes first, ranking kept
        themes.sort(key=lambda theme: user.service_area not in theme.services)
    overdue, overdue_count = actions.overdue_on(today, OVERDUE_SHOWN)
    latest = inspections.latest_recorded()
    self_evaluation = latest_self_evaluation()
    sections, unagreed = section_counts(self_evaluation) if self_evaluation else (0, 0)
    return {
        "framework": framework,
        "outcome": outcome,
        "top_themes": themes[:TOP],
        "theme_count": len(themes),
        "gap_count": len(outcome.gaps),
        "stale_count": stale_count_of(outcome, signals),
        "overdue": overdue,
        "overdue_count": overdue_count,
        "latest": latest,
        "latest_framework": load_framework(latest.data["framework_id"]) if latest else None,
        "self_evaluation": self_evaluation,
        "self_evaluation_sections": sections,
        "self_evaluation_unagreed": unagreed,
    }
