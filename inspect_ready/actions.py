"""The action plan: actions made from gaps, tracked by owner and status for the improvement board."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextArea
from sqlalchemy import select
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import Length

from councils.ids import record_id
from councils.models import Role, User
from councils.tenancy import find
from evidence import actions as action_plan
from evidence import mock_inspections
from evidence.actions import Action, ActionError, ActionStatus
from evidence.library import framework_of
from evidence.readiness import live_outcome
from evidence.review_models import Review, ReviewKind
from inspect_ready.exports import csv_download, xlsx_download
from inspect_ready.extensions import db
from inspect_ready.forms import DayMonthYearField, show_error
from inspect_ready.pages import find_or_404
from inspect_ready.permissions import allow

actions = Blueprint("actions", __name__, url_prefix="/actions")
LEADERS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)
STATUS_CHOICES = [SelectChoice(status.value, status.label) for status in ActionStatus]
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
]


class ActionForm(FlaskForm):
    what = TextAreaField("What will be done", widget=GovTextArea(), validators=[Length(max=500)])
    # The service checks the owner (one of this council's active people), so the message is one.
    owner_id = SelectField("Owner", widget=GovSelect(), coerce=record_id, validate_choice=False)
    due_date = DayMonthYearField("Due date", widget=GovDateInput(), description="For example, 31 3 2027")
    success_measure = TextAreaField(
        "How you will know it has worked",
        widget=GovTextArea(),
        validators=[Length(max=500)],
        description="A measure the improvement board can check, such as an audit grade or an indicator value.",
    )
    area_id = SelectField("Judgement area", widget=GovSelect())
    submit = SubmitField("Save action", widget=GovSubmitInput())


class EditActionForm(ActionForm):
    status = RadioField("Status", widget=GovRadioInput(), choices=STATUS_CHOICES)
    completion_evidence = TextAreaField(
        "Evidence that it is done",
        widget=GovTextArea(),
        validators=[Length(max=2000)],
        description="Needed when the status is done: name the audit, data or evidence item that shows it.",
    )


class NoteForm(FlaskForm):
    text = TextAreaField("Progress note", widget=GovTextArea(), validators=[Length(max=2000)])
    submit = SubmitField("Add note", widget=GovSubmitInput())


def _choices(form: ActionForm, framework) -> None:
    people = db.session.scalars(
        select(User).where(User.active.is_(True), User.role != Role.PEER_REVIEWER).order_by(User.name)
    )
    form.owner_id.choices = [SelectChoice("", "Choose an owner")] + [SelectChoice(str(p.id), p.name) for p in people]
    if "area_id" in form:
        form.area_id.choices = [SelectChoice(area.id, area.title) for area in framework.areas]


@actions.route("/")
@allow(*LEADERS)
def index():
    framework = framework_of(current_user.council)
    today = dt.date.today()
    status = request.args.get("status")
    owner = request.args.get("owner", "")
    found = action_plan.plan(
        today=today,
        owner_id=record_id(owner),
        status=ActionStatus(status) if status in {s.value for s in ActionStatus} else None,
        area_id=request.args.get("area_id") or None,
    )
    by_area: dict[str, list[Action]] = {}
    for action in found:
        by_area.setdefault(action.area_id, []).append(action)
    people = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template(
        "actions/index.html",
        framework=framework,
        by_area=by_area,
        today=today,
        people=people,
        statuses=list(ActionStatus),
        count=len(found),
    )


@actions.route("/new", methods=["GET", "POST"])
@allow(*LEADERS)
def new():
    review = _mock_inspection(request.args.get("review", ""))
    framework = framework_of(review or current_user.council)
    gap = _gap(request.args.get("gap"), review)
    form = ActionForm()
    _choices(form, framework)
    if request.method == "GET" and gap:
        form.what.data, form.area_id.data = gap.next_step, gap.area_id
    if form.validate_on_submit():
        try:
            action = action_plan.create(
                framework,
                what=form.what.data or "",
                owner_id=form.owner_id.data,
                due_date=form.due_date.data,
                success_measure=form.success_measure.data or "",
                area_id=form.area_id.data,
                gap=gap,
                today=dt.date.today(),
                review_id=review.id if review else None,
            )
        except ActionError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash("Action added to the plan.", "success")
            return redirect(url_for("actions.show", action_id=action.id))
    return render_template("actions/new.html", form=form, gap=gap, framework=framework, review=review)


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
        gaps = mock_inspections.grading(review, current_user.council).evidence.gaps
    else:
        gaps = live_outcome(current_user.council)[0].gaps
    return next((gap for gap in gaps if gap.id == gap_id), None)


@actions.route("/<int:action_id>")
@allow(*LEADERS)
def show(action_id: int):
    action = find_or_404(Action, action_id)
    framework = framework_of(current_user.council)
    return render_template(
        "actions/show.html", action=action, framework=framework, note_form=NoteForm(), today=dt.date.today()
    )


@actions.route("/<int:action_id>/notes", methods=["POST"])
@allow(*LEADERS)
def add_note(action_id: int):
    action = find_or_404(Action, action_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            action_plan.add_note(action, current_user._get_current_object(), form.text.data or "")
        except ActionError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash("Progress note added.", "success")
            return redirect(url_for("actions.show", action_id=action.id))
    framework = framework_of(current_user.council)
    return render_template(
        "actions/show.html", action=action, framework=framework, note_form=form, today=dt.date.today(), form=form
    )


@actions.route("/<int:action_id>/edit", methods=["GET", "POST"])
@allow(*LEADERS)
def edit(action_id: int):
    action = find_or_404(Action, action_id)
    framework = framework_of(current_user.council)
    form = EditActionForm(obj=None if request.method == "POST" else action)
    del form.area_id  # the area stays as the action was made
    _choices(form, framework)
    if request.method == "GET":
        form.owner_id.data, form.status.data = action.owner_id, action.status.value
    if form.validate_on_submit():
        try:
            action_plan.update(
                action,
                what=form.what.data or "",
                owner_id=form.owner_id.data,
                due_date=form.due_date.data,
                success_measure=form.success_measure.data or "",
                status=ActionStatus(form.status.data),
                completion_evidence=form.completion_evidence.data or "",
                today=dt.date.today(),
            )
        except ActionError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash("Action updated.", "success")
            return redirect(url_for("actions.show", action_id=action.id))
    return render_template("actions/edit.html", form=form, action=action, framework=framework)


@actions.route("/export.<any(csv, xlsx):file_format>")
@allow(*LEADERS)
def export(file_format: str):
    framework = framework_of(current_user.council)
    titles = {area.id: area.title for area in framework.areas}
    today = dt.date.today()
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
        ]
        for a in action_plan.plan(today=today)
    ]
    name = f"action-plan-{today.isoformat()}"
    if file_format == "csv":
        return csv_download(f"{name}.csv", EXPORT_HEADER, rows)
    return xlsx_download(f"{name}.xlsx", "Action plan", EXPORT_HEADER, rows)
