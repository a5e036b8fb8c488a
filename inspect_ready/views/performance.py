"""Performance: indicators, their trends and targets, corrective actions, and the Annex A import."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from councils import accounts, clock, versions
from councils.models import Role
from evidence.action_plan import actions
from evidence.library.items import framework_of
from evidence.performance import indicators, values_file
from evidence.performance.annex_a import heading_mappings, imports
from evidence.performance.annex_a.measures import figure_descriptions
from evidence.performance.annex_a.readiness import Readiness
from evidence.performance.models import ImportStatus, Indicator, IndicatorValue, JobKind, Rag
from inspect_ready import chart, exports, jobs, once, previews
from inspect_ready.forms.fields import people_choices, version_of
from inspect_ready.forms.performance import (
    AnnexAForm,
    ConfirmImportForm,
    CorrectiveActionForm,
    ReadinessForm,
    TargetForm,
    ValueForm,
    ValuesFileForm,
    heading_mapping_form,
)
from inspect_ready.pages import find_or_404
from inspect_ready.permissions import COUNCIL_STAFF, allow
from inspect_ready.sorting import ASCENDING, DESCENDING, Column, sort_of, sorted_by, text_column
from inspect_ready.transactions import commit_now, errors_flashed, errors_on, valid

VALUES_IMPORT = "indicator_values"
bp = Blueprint("performance", __name__, url_prefix="/performance")

# The council's own people read, as with evidence and case audits (an administrator checks
# what a logged change was); leaders change.
READERS = tuple(COUNCIL_STAFF)
EDITORS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)


# The columns of the indicators table people sort by to compare them.
SORTS = {
    "indicator": text_column("Indicator"),
    "latest": Column("Latest", DESCENDING, "oldest month first", "newest month first"),
    "against_target": Column("Against target", ASCENDING, "off target first", "on target first"),
}


def _last_month() -> dt.date:
    return (clock.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _number(value) -> float | None:
    return None if value is None else float(value)


@bp.route("/")
@allow(*READERS)
def index():
    area = current_user.service_area if current_user.role is Role.HEAD_OF_SERVICE else None
    sort = sort_of(SORTS, None)  # by default a head of service's own indicators first
    rag_order = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
    summaries = sorted_by(
        indicators.summaries(area),
        sort,
        {
            "indicator": lambda s: s.indicator.name.lower(),
            "latest": lambda s: s.latest.period if s.latest else None,
            "against_target": lambda s: rag_order[s.rag] if s.rag else None,
        },
    )
    return render_template(
        "performance/index.html", summaries=summaries, sort=sort, standard_count=len(indicators.default_set())
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
    # The page is for entering a value: it starts empty, based on the default month's version.
    initial = None if request.method == "POST" else _value_data(found, month)
    form = ValueForm(data=initial and {name: initial[name] for name in ("month", "year", "version")})
    if form.validate_on_submit():
        with errors_on(form, saved=lambda: _value_data(found, form.chosen_month())):
            existing = indicators.value_for(found, form.chosen_month())
            if existing is not None and form.replace.data != "yes":
                # Nothing is saved until the person has seen the old value beside the new one.
                indicators.check_month(form.chosen_month(), clock.today())
                indicators.check_value(found, _number(form.value.data), form.numerator.data, form.denominator.data)
                return render_template("performance/confirm_value.html", form=form, indicator=found, existing=existing)
            indicators.record_value(
                found,
                form.chosen_month(),
                _number(form.value.data),
                numerator=form.numerator.data,
                denominator=form.denominator.data,
                version=version_of(form),
            )
            flash(f"Value for {form.chosen_month():%B %Y} saved.", "success")
            return redirect(url_for("performance.indicator", indicator_id=found.id))
    return render_template("performance/add_value.html", form=form, indicator=found)


def _value_data(indicator, month: dt.date) -> dict:
    """The month's saved value as the value form holds it: the version the form is based on
    (versions.NEW when the month has none yet)."""
    saved = indicators.value_for(indicator, month)
    data = {"month": month.month, "year": month.year, "version": str(saved.version if saved else versions.NEW)}
    if saved:
        data |= {"value": saved.value, "numerator": saved.numerator, "denominator": saved.denominator}
    return data


@bp.route("/indicators/<int:indicator_id>/targets", methods=["GET", "POST"])
@allow(*EDITORS)
def targets(indicator_id: int):
    found = find_or_404(Indicator, indicator_id)
    form = TargetForm(data=None if request.method == "POST" else _target_data(found))
    if form.validate_on_submit():
        with errors_on(form, saved=lambda: _target_data(found)):
            indicators.set_targets(
                found,
                target=float(form.target.data),
                tolerance=float(form.tolerance.data),
                baseline_value=_number(form.baseline_value.data),
                baseline_date=form.baseline_date.data,
                comparator_value=_number(form.comparator_value.data),
                comparator_note=form.comparator_note.data,
                version=version_of(form),
            )
            flash("Targets saved.", "success")
            return redirect(url_for("performance.indicator", indicator_id=found.id))
    return render_template("performance/targets.html", form=form, indicator=found)


def _target_data(indicator) -> dict:
    fields = ["target", "tolerance", "baseline_value", "baseline_date", "comparator_value", "comparator_note"]
    return {name: getattr(indicator, name) for name in fields} | {"version": str(indicator.version)}


@bp.route("/values/<int:value_id>/actions/new", methods=["GET", "POST"])
@allow(*EDITORS)
def add_action(value_id: int):
    """A corrective action for an off-target month: an action of the plan, owned by a person."""
    value_row = find_or_404(IndicatorValue, value_id)
    form = CorrectiveActionForm()
    form.owner_id.choices = people_choices(accounts.people(roles=accounts.STAFF), "Choose an owner")
    if request.method == "GET":
        form.success_measure.data = actions.corrective_success_measure(value_row.indicator)
    if (page := once.sent_before(form)) is not None:
        return page
    checked = {
        "what": form.what.data or "",
        "owner_id": form.owner_id.data,
        "due_date": form.due_date.data,
        "success_measure": form.success_measure.data or "",
        "today": clock.today(),
    }
    if valid(form, lambda: actions.check(**checked, new=True)):
        with errors_on(form):
            action = actions.create_corrective(framework_of(current_user.council), value_row, **checked)
            month_page = url_for(
                "performance.indicator", indicator_id=value_row.indicator_id, _anchor=f"month-{value_row.id}"
            )
            once.made(form, month_page, f"the corrective action ‘{action.what}’")
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
            content = upload.read()
            job = imports.queue_import(
                filename=upload.filename or "",
                month=form.chosen_month(),
                cp_visit_working_days=form.cp_visit_working_days.data,
                requested_by=current_user.email,
                requested_by_id=current_user.id,
                content=content,
            )
            jobs.workbook_path(job.council_id, job.id).write_bytes(content)
            commit_now()  # the job's row must be in the database before the worker looks for it
            job_id = job.id
            jobs.queue_annex_a_import(job)
            return redirect(url_for("performance.annex_a_import", import_id=job_id))
    return render_template("performance/annex_a.html", form=form, measures=figure_descriptions())


@bp.route("/annex-a/<int:import_id>")
@allow(*READERS)
def annex_a_import(import_id: int):
    job = find_or_404(imports.AnnexAImport, import_id)
    if job.kind is JobKind.CHECK:
        return redirect(_job_page(job))
    waiting = job.status is ImportStatus.AWAITING_CONFIRMATION
    return render_template(
        "performance/annex_a_import.html",
        job=job,
        comparison=imports.comparison(job) if waiting else None,
        form=ConfirmImportForm() if waiting and current_user.role in EDITORS else None,
        readiness=_stored_readiness(job),
        stopped=jobs.has_stopped(job),
    )


@bp.route("/annex-a/<int:import_id>/headings", methods=["GET", "POST"])
@allow(*EDITORS)
def annex_a_headings(import_id: int):
    """The headings an import could not place, for the person to say which column each is."""
    job = find_or_404(imports.AnnexAImport, import_id)
    unplaced = (job.result or {}).get("unplaced", [])
    columns = {item["list"]: heading_mappings.template_columns(item["list"]) for item in unplaced}
    form = heading_mapping_form(unplaced, columns)
    if form.validate_on_submit():
        choices = [
            (item["list"], item["heading"], form[f"heading_{i}"].data or None) for i, item in enumerate(unplaced)
        ]
        with errors_on(form):
            kept = heading_mappings.save_mappings(choices, mapped_by=current_user.email)
            flash(f"{kept} column{'s' if kept != 1 else ''} mapped; the next import will use them.", "success")
            return redirect(url_for("performance.annex_a_import", import_id=job.id))
    fields = [form[f"heading_{i}"] for i in range(len(unplaced))]
    return render_template("performance/annex_a_headings.html", job=job, form=form, fields=fields)


@bp.route("/annex-a/<int:import_id>/confirm", methods=["POST"])
@allow(*EDITORS)
def confirm_annex_a(import_id: int):
    job = find_or_404(imports.AnnexAImport, import_id)
    form = ConfirmImportForm()
    if form.validate_on_submit():
        with errors_flashed():
            if form.confirm.data:
                saved = imports.confirm_import(job, by=current_user.email)
                flash(f"{saved} figures saved for {job.month:%B %Y}.", "success")
            else:
                imports.decline_import(job)
                flash(f"The figures {job.month:%B %Y} had are kept; the import's were not saved.", "success")
    return redirect(url_for("performance.annex_a_import", import_id=job.id))


@bp.route("/annex-a/history")
@allow(*READERS)
def annex_a_history():
    return render_template("performance/annex_a_history.html", jobs=imports.history())


def _stored_readiness(job) -> Readiness | None:
    data = (job.result or {}).get("readiness")
    return Readiness.from_dict(data) if data else None


def _rows_to_fix_download(report: Readiness, filename: str):
    header = ["List", "Row", "Child (pseudonymised)", "Check", "Column", "What to fix"]
    rows = ([r.list_title, r.row, r.child, r.check, r.column, r.problem] for r in report.rows_to_fix)
    return exports.xlsx_download(filename, "Rows to fix", header, rows)


@bp.route("/annex-a/readiness")
@allow(*READERS)
def annex_a_readiness():
    """The page a data team opens the day before the call, from the latest import."""
    job = imports.latest_readiness()
    return _readiness_page(ReadinessForm(), _stored_readiness(job) if job else None, job)


@bp.route("/annex-a/readiness", methods=["POST"])
@allow(*EDITORS)
def check_annex_a_readiness():
    """A workbook uploaded here is checked by the job worker, as an import is (a big workbook
    takes longer than a web request should), and deleted once read: nothing is imported."""
    form = ReadinessForm()
    if form.validate_on_submit():
        upload = form.workbook.data
        with errors_on(form):
            content = upload.read()
            job = imports.queue_check(
                filename=upload.filename or "",
                requested_by=current_user.email,
                requested_by_id=current_user.id,
                content=content,
            )
            jobs.workbook_path(job.council_id, job.id).write_bytes(content)
            commit_now()  # the job's row must be in the database before the worker looks for it
            job_id = job.id
            jobs.queue_annex_a_import(job)
            return redirect(url_for("performance.annex_a_check", check_id=job_id))
    job = imports.latest_readiness()
    return _readiness_page(form, _stored_readiness(job) if job else None, job), 400 if form.errors else 200


@bp.route("/annex-a/readiness/<int:check_id>")
@allow(*READERS)
def annex_a_check(check_id: int):
    job = find_or_404(imports.AnnexAImport, check_id)
    if job.kind is not JobKind.CHECK:
        return redirect(url_for("performance.annex_a_import", import_id=job.id))
    return render_template(
        "performance/annex_a_check.html",
        job=job,
        readiness=_stored_readiness(job),
        stopped=jobs.has_stopped(job),
    )


def _readiness_page(form: ReadinessForm, report: Readiness | None, job):
    return render_template(
        "performance/annex_a_readiness.html",
        form=form,
        report=report,
        job=job,
        kept=job.result["readiness"] if job else {},
        may_upload=current_user.role in EDITORS,
    )


def _job_page(job) -> str:
    if job.kind is JobKind.CHECK:
        return url_for("performance.annex_a_check", check_id=job.id)
    return url_for("performance.annex_a_import", import_id=job.id)


@bp.route("/annex-a/<int:import_id>/rows-to-fix.xlsx")
@allow(*READERS)
def annex_a_rows_to_fix(import_id: int):
    job = find_or_404(imports.AnnexAImport, import_id)
    report = _stored_readiness(job)
    if report is None:
        flash("This import has no readiness report.", "error")
        return redirect(_job_page(job))
    # A check is named by the day it was made; an import by the month its figures are for.
    day = f"{job.created_at:%Y-%m-%d}" if job.kind is JobKind.CHECK else f"{job.month:%Y-%m}"
    return _rows_to_fix_download(report, f"annex-a-rows-to-fix-{day}.xlsx")


@bp.route("/annex-a/<int:import_id>/progress")
@allow(*READERS)
def annex_a_progress(import_id: int):
    job = find_or_404(imports.AnnexAImport, import_id)
    if (job.status.finished or jobs.has_stopped(job)) and request.headers.get("HX-Request"):
        # The whole page changes from progress to result: ask htmx to load it.
        return "", 204, {"HX-Redirect": _job_page(job)}
    if not request.headers.get("HX-Request"):
        return redirect(_job_page(job))
    return render_template("performance/_progress.html", job=job)
