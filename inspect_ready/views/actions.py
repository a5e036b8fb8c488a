"""The action plan: actions made from gaps and a performance clinic's corrective actions, tracked by
owner and status for the improvement board."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from councils import accounts, clock
from councils.ids import record_id
from councils.models import Role
from councils.tenancy import find
from evidence.action_plan import actions
from evidence.action_plan.models import Action, ActionStatus
from evidence.library.items import framework_of
from evidence.mock_inspections import inspections
from evidence.performance import indicators
from evidence.reviews.models import Review, ReviewKind
from evidence.standing import live_outcome
from inspect_ready import once
from inspect_ready.exports import csv_download, xlsx_download
from inspect_ready.forms.actions import ActionForm, EditActionForm, NoteForm, action_data
from inspect_ready.forms.fields import people_choices, version_of
from inspect_ready.pages import find_or_404
from inspect_ready.permissions import allow
from inspect_ready.sorting import ASCENDING, Column, sort_of, sorted_by, text_column
from inspect_ready.transactions import errors_on, valid

bp = Blueprint("actions", __name__, url_prefix="/actions")
LEADERS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)
# The columns of each judgement's table of actions people sort by to compare them.
SORTS = {
    "action": text_column("Action"),
    "owner": text_column("Owner"),
    "due": Column("Due", ASCENDING, "overdue and soonest first", "latest first"),
    "status": text_column("Status"),
}
EXPORT_HEADER = [
    "Action",
    "Judgement area",
    "Owner",
    "Due",
    "Status",
    "Overdue",
    "Success measure",
    "Gap",
    "Evidence of completion",
    "Latest progress note",
    "Indicator month it answers",
]


def _choices(form: ActionForm, framework) -> None:
    form.owner_id.choices = people_choices(accounts.people(roles=accounts.STAFF), "Choose an owner")
    if "area_id" in form:
        form.area_id.choices = [SelectChoice(area.id, area.title) for area in framework.areas]


@bp.route("/")
@allow(*LEADERS)
def index():
    framework = framework_of(current_user.council)
    today = clock.today()
    status = request.args.get("status")
    owner = request.args.get("owner", "")
    indicator = request.args.get("indicator", "")  # "any": every corrective action; or one indicator's id
    found = actions.plan(
        today=today,
        owner_id=record_id(owner),
        status=ActionStatus(status) if status in {s.value for s in ActionStatus} else None,
        area_id=request.args.get("area_id") or None,
        corrective=indicator == "any",
        indicator_id=record_id(indicator),
    )
    sort = sort_of(SORTS, "due")
    found = sorted_by(
        found,
        sort,
        {
            "action": lambda a: a.what.lower(),
            "owner": lambda a: a.owner.name.lower() if a.owner else None,
            # The plan's own order: overdue first, then by due date.
            "due": lambda a: (not a.is_overdue(today), a.due_date),
            "status": lambda a: a.status.label,
        },
    )
    by_area: dict[str, list[Action]] = {}
    for action in found:
        by_area.setdefault(action.area_id, []).append(action)
    people = accounts.people(active=None)  # owners of past actions too
    return render_template(
        "actions/index.html",
        framework=framework,
        by_area=by_area,
        today=today,
        people=people,
        statuses=list(ActionStatus),
        indicators=indicators.all_indicators(),
        count=len(found),
        sort=sort,
    )


@bp.route("/new", methods=["GET", "POST"])
@allow(*LEADERS)
def new():
    review = _mock_inspection(request.args.get("review", ""))
    framework = framework_of(review or current_user.council)
    gap = _gap(request.args.get("gap"), review)
    form = ActionForm()
    _choices(form, framework)
    if request.method == "GET" and gap:
        form.what.data, form.area_id.data = gap.next_step, gap.area_id
    if (page := once.sent_before(form)) is not None:
        return page
    if valid(form, lambda: actions.check(**_checked(form), new=True)):
        with errors_on(form):
            action = actions.create(
                framework,
                what=form.what.data or "",
                owner_id=form.owner_id.data,
                due_date=form.due_date.data,
                success_measure=form.success_measure.data or "",
                area_id=form.area_id.data,
                gap=gap,
                today=clock.today(),
                review_id=review.id if review else None,
            )
            once.made(form, url_for("actions.show", action_id=action.id), f"the action ‘{action.what}’")
            flash("Action added to the plan.", "success")
            return redirect(url_for("actions.show", action_id=action.id))
    return render_template("actions/new.html", form=form, gap=gap, framework=framework, review=review)


def _checked(form: ActionForm) -> dict:
    """The form's action as the action plan's checks take it."""
    return {
        "what": form.what.data or "",
        "owner_id": form.owner_id.data,
        "due_date": form.due_date.data,
        "success_measure": form.success_measure.data or "",
        "today": clock.today(),
    }


def _mock_inspection(review_id: str) -> Review | None:
    """The council's mock inspection an action's gap comes from, if any."""
    if not review_id:
        return None
    chosen = record_id(review_id)
    review = find(Review, chosen) if chosen is not None else None
    if review is None or review.kind is not ReviewKind.MOCK_INSPECTION:
        abort(404)
    return review


def _gap(gap_id: str | None, review: Review | None):
    """The gap an action is made from, as the scorer sees it now (None if it has closed)."""
    if not gap_id:
        return None
    if review:
        gaps = inspections.grading(review, current_user.council).evidence.gaps
    else:
        gaps = live_outcome(current_user.council)[0].gaps
    return next((gap for gap in gaps if gap.id == gap_id), None)


@bp.route("/<int:action_id>")
@allow(*LEADERS)
def show(action_id: int):
    action = find_or_404(Action, action_id)
    framework = framework_of(current_user.council)
    return render_template(
        "actions/show.html", action=action, framework=framework, note_form=NoteForm(), today=clock.today()
    )


@bp.route("/<int:action_id>/notes", methods=["POST"])
@allow(*LEADERS)
def add_note(action_id: int):
    action = find_or_404(Action, action_id)
    form = NoteForm()
    if (page := once.sent_before(form)) is not None:
        return page
    if form.validate_on_submit():
        with errors_on(form):
            actions.add_note(action, current_user._get_current_object(), form.text.data or "")
            once.made(form, url_for("actions.show", action_id=action.id), f"a progress note on ‘{action.what}’")
            flash("Progress note added.", "success")
            return redirect(url_for("actions.show", action_id=action.id))
    framework = framework_of(current_user.council)
    return render_template(
        "actions/show.html", action=action, framework=framework, note_form=form, today=clock.today(), form=form
    )


@bp.route("/<int:action_id>/edit", methods=["GET", "POST"])
@allow(*LEADERS)
def edit(action_id: int):
    action = find_or_404(Action, action_id)
    framework = framework_of(current_user.council)
    form = EditActionForm(data=None if request.method == "POST" else action_data(action))
    del form.area_id  # the area stays as the action was made
    _choices(form, framework)
    if valid(form, lambda: actions.check(**_checked(form), new=form.due_date.data != action.due_date)):
        with errors_on(form, saved=lambda: action_data(action)):
            actions.update(
                action,
                what=form.what.data or "",
                owner_id=form.owner_id.data,
                due_date=form.due_date.data,
                success_measure=form.success_measure.data or "",
                status=ActionStatus(form.status.data),
                completion_evidence=form.completion_evidence.data or "",
                today=clock.today(),
                version=version_of(form),
            )
            flash("Action updated.", "success")
            return redirect(url_for("actions.show", action_id=action.id))
    return render_template("actions/edit.html", form=form, action=action, framework=framework)


@bp.route("/export.<any(csv, xlsx):file_format>")
@allow(*LEADERS)
def export(file_format: str):
    framework = framework_of(current_user.council)
    titles = {area.id: area.title for area in framework.areas}
    today = clock.today()
    rows = [
        [
            a.what,
            titles.get(a.area_id, a.area_id),
            a.owner.name,
            a.due_date,
            a.status.label,
            "Yes" if a.is_overdue(today) else "No",
            a.success_measure,
            a.gap_sentence or "",
            a.completion_evidence or "",
            a.notes[0].text if a.notes else "",
            _answers(a),
        ]
        for a in actions.plan(today=today)
    ]
    name = f"action-plan-{today.isoformat()}"
    if file_format == "csv":
        return csv_download(f"{name}.csv", EXPORT_HEADER, rows)
    return xlsx_download(f"{name}.xlsx", "Action plan", EXPORT_HEADER, rows)


def _answers(action: Action) -> str:
    value = action.indicator_value
    return f"{value.indicator.name}, {value.period:%B %Y}" if value else ""
