"""Performance: indicators, their trends and targets, corrective actions, and the Annex A import."""

from __future__ import annotations

import datetime as dt
import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from councils import accounts, clock
from councils.models import Role
from evidence.action_plan import actions
from evidence.library.items import framework_of
from evidence.performance import indicators, values_file
from evidence.performance.annex_a import imports
from evidence.performance.annex_a.measures import MEASURE_TITLES
from evidence.performance.models import Indicator, IndicatorValue
from inspect_ready import chart, jobs, previews
from inspect_ready.forms.fields import people_choices
from inspect_ready.forms.performance import AnnexAForm, CorrectiveActionForm, TargetForm, ValueForm, ValuesFileForm
from inspect_ready.pages import find_or_404
from inspect_ready.permissions import allow
from inspect_ready.transactions import commit_now, errors_flashed, errors_on

VALUES_IMPORT = "indicator_values"
bp = Blueprint("performance", __name__, url_prefix="/performance")

READERS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE, Role.PEER_REVIEWER)
EDITORS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)


def _last_month() -> dt.date:
    return (clock.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _number(value) -> float | None:
    return None if value is None else float(value)


@bp.route("/")
@allow(*READERS)
def index():
    area = current_user.service_area if current_user.role is Role.HEAD_OF_SERVICE else None
    return render_template(
        "performance/index.html", summaries=indicators.summaries(area), standard_count=len(indicators.default_set())
    )


@bp.route("/indicators/<int:indicator_id>")
@allow(*READERS)
def indicator(indicator_id: int):
    found = find_or_404(Indicator, indicator_id)
    series = list(found.values)
    return render_template(
        "performance/indicator.html",
        indicator=found,
        series=series,
        chart=chart.trend(found, series),
        corrective=actions.corrective_actions(found),
        may_edit=current_user.role in EDITORS,
    )


@bp.route("/indicators/<int:indicator_id>/values/new", methods=["GET", "POST"])
@allow(*EDITORS)
def add_value(indicator_id: int):
    found = find_or_404(Indicator, indicator_id)
    month = _last_month()
    form = ValueForm(data=None if request.method == "POST" else {"month": month.month, "year": month.year})
    if form.validate_on_submit():
        with errors_on(form):
            existing = indicators.value_for_month(found, form.chosen_month())
            if existing is not None and form.replace.data != "yes":
                # Nothing is saved until the person has seen the old value beside the new one.
                indicators.check_month(form.chosen_month(), clock.today())
                indicators.check_value(
                    found, _number(form.value.data), form.numerator.data, form.denominator.data
                )
                return render_template(
                    "performance/confirm_value.html", form=form, indicator=found, existing=existing
                )
            indicators.record_value(
                found,
                form.chosen_month(),
                _number(form.value.data),
                numerator=form.numerator.data,
                denominator=form.denominator.data,
            )
            flash(f"Value for {form.chosen_month():%B %Y} saved.", "success")
            return redirect(url_for("performance.indicator", indicator_id=found.id))
    return render_template("performance/add_value.html", form=form, indicator=found)


@bp.route("/indicators/<int:indicator_id>/targets", methods=["GET", "POST"])
@allow(*EDITORS)
def targets(indicator_id: int):
    found = find_or_404(Indicator, indicator_id)
    form = TargetForm(obj=None if request.method == "POST" else found)
    if form.validate_on_submit():
        with errors_on(form):
            indicators.set_targets(
                found,
                target=float(form.target.data),
                tolerance=float(form.tolerance.data),
                baseline_value=_number(form.baseline_value.data),
                baseline_date=form.baseline_date.data,
                comparator_value=_number(form.comparator_value.data),
                comparator_note=form.comparator_note.data,
            )
            flash("Targets saved.", "success")
            return redirect(url_for("performance.indicator", indicator_id=found.id))
    return render_template("performance/targets.html", form=form, indicator=found)


@bp.route("/values/<int:value_id>/actions/new", methods=["GET", "POST"])
@allow(*EDITORS)
def add_action(value_id: int):
    """A corrective action for an off-target month: an action of the plan, owned by a person."""
    value_row = find_or_404(IndicatorValue, value_id)
    form = CorrectiveActionForm()
    form.owner_id.choices = people_choices(accounts.people(roles=accounts.STAFF), "Choose an owner")
    if request.method == "GET":
        form.success_measure.data = actions.corrective_success_measure(value_row.indicator)
    if form.validate_on_submit():
        with errors_on(form):
            actions.create_corrective(
                framework_of(current_user.council),
                value_row,
                what=form.what.data or "",
                owner_id=form.owner_id.data,
                due_date=form.due_date.data,
                success_measure=form.success_measure.data or "",
                today=clock.today(),
            )
            flash(f"Corrective action for {value_row.period:%B %Y} saved and added to the action plan.", "success")
            return redirect(
                url_for("performance.indicator", indicator_id=value_row.indicator_id, _anchor=f"month-{value_row.id}")
            )
    return render_template("performance/add_action.html", form=form, value=value_row, indicator=value_row.indicator)


@bp.route("/standard-indicators", methods=["POST"])
@allow(*EDITORS)
def add_standard_indicators():
    # A GET never writes: a council without indicators is offered the standard set.
    count = indicators.ensure_default_indicators()
    if count:
        flash(f"{count} standard indicators added. Set your council's targets on each.", "success")
    else:
        flash("Your council already has its indicators.", "info")
    return redirect(url_for("performance.index"))


@bp.route("/values/import", methods=["GET", "POST"])
@allow(*EDITORS)
def import_values():
    form = ValuesFileForm()
    if form.validate_on_submit():
        upload = form.values_file.data
        with errors_on(form):
            records = values_file.read_values_file(upload.filename or "", upload.read())
            preview = values_file.check_rows(records)
            if preview.ok:
                previews.keep(VALUES_IMPORT, records)
            return render_template("performance/values_preview.html", preview=preview)
    return render_template("performance/import_values.html", form=form)


@bp.route("/values/import/confirm", methods=["POST"])
@allow(*EDITORS)
def confirm_values():
    records = previews.take(VALUES_IMPORT)
    if records is None:
        flash("The checked file has expired. Upload it again.", "error")
        return redirect(url_for("performance.import_values"))
    with errors_flashed():
        # Checked again: a target or indicator may have changed since the preview.
        saved = values_file.save(values_file.check_rows(records))
        flash(f"{saved} values saved.", "success")
        return redirect(url_for("performance.index"))
    return redirect(url_for("performance.import_values"))


@bp.route("/annex-a", methods=["GET", "POST"])
@allow(*EDITORS)
def annex_a():
    month = _last_month()
    form = AnnexAForm(
        data=None
        if request.method == "POST"
        else {"month": month.month, "year": month.year, "cp_visit_working_days": imports.last_visit_standard()}
    )
    if form.validate_on_submit():
        upload = form.workbook.data
        with errors_on(form):
            job = imports.queue_import(
                filename=upload.filename or "",
                month=form.chosen_month(),
                cp_visit_working_days=form.cp_visit_working_days.data,
                requested_by=current_user.email,
            )
            path = jobs.upload_folder() / f"{uuid.uuid4().hex}.xlsx"
            upload.save(path)
            commit_now()  # the job's row must be in the database before the worker looks for it
            job_id = job.id
            jobs.import_annex_a(job.council_id, job_id, str(path))
            return redirect(url_for("performance.annex_a_import", import_id=job_id))
    return render_template("performance/annex_a.html", form=form, measures=MEASURE_TITLES.values())


@bp.route("/annex-a/<int:import_id>")
@allow(*READERS)
def annex_a_import(import_id: int):
    job = find_or_404(imports.AnnexAImport, import_id)
    return render_template("performance/annex_a_import.html", job=job)


@bp.route("/annex-a/<int:import_id>/progress")
@allow(*READERS)
def annex_a_progress(import_id: int):
    job = find_or_404(imports.AnnexAImport, import_id)
    if job.status.finished and request.headers.get("HX-Request"):
        # The whole page changes from progress to result: ask htmx to load it.
        return "", 204, {"HX-Redirect": url_for("performance.annex_a_import", import_id=job.id)}
    if not request.headers.get("HX-Request"):
        return redirect(url_for("performance.annex_a_import", import_id=job.id))
    return render_template("performance/_progress.html", job=job)
