"""Performance: indicators, their trends and targets, corrective actions, and the Annex A import."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovFileInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import DateField, DecimalField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from councils.models import Role
from evidence import indicator_values_file as values_file
from evidence import indicators
from evidence.annex_a import imports
from evidence.annex_a.measures import MEASURE_TITLES
from evidence.indicators import Indicator, IndicatorValue
from inspect_ready import chart, jobs
from inspect_ready.extensions import db
from inspect_ready.forms import show_error
from inspect_ready.pages import find_or_404
from inspect_ready.permissions import allow

performance = Blueprint("performance", __name__, url_prefix="/performance")

READERS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE, Role.PEER_REVIEWER)
EDITORS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)


def _last_month() -> dt.date:
    return (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


class MonthFields(FlaskForm):
    month = IntegerField(
        "Month",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the month as a number, like 3"),
            NumberRange(1, 12, "The month must be a number from 1 to 12"),
        ],
    )
    year = IntegerField(
        "Year",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the year, like 2026"),
            NumberRange(2000, 2100, "The year must be a real year, like 2026"),
        ],
    )

    def chosen_month(self) -> dt.date:
        return dt.date(self.year.data, self.month.data, 1)


class ValueForm(MonthFields):
    value = DecimalField("Value", widget=GovTextInput(), validators=[InputRequired("Enter the value as a number")])
    numerator = IntegerField("Numerator (optional)", widget=GovTextInput(), validators=[Optional()])
    denominator = IntegerField("Denominator (optional)", widget=GovTextInput(), validators=[Optional()])
    submit = SubmitField("Save value", widget=GovSubmitInput())


class TargetForm(FlaskForm):
    target = DecimalField("Target", widget=GovTextInput(), validators=[InputRequired("Enter the target as a number")])
    tolerance = DecimalField(
        "Tolerance",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the tolerance as a number"),
            NumberRange(0, message="The tolerance cannot be negative"),
        ],
        description="How far short of the target still counts as near target (amber).",
    )
    baseline_value = DecimalField("Baseline value (optional)", widget=GovTextInput(), validators=[Optional()])
    baseline_date = DateField(
        "Baseline date (optional)", widget=GovDateInput(), format="%d %m %Y", validators=[Optional()]
    )
    comparator_value = DecimalField("Comparator group value (optional)", widget=GovTextInput(), validators=[Optional()])
    comparator_note = StringField(
        "Comparator group (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    submit = SubmitField("Save targets", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    who = StringField(
        "Who", widget=GovTextInput(), validators=[DataRequired("Enter who will take the action"), Length(max=120)]
    )
    what = TextAreaField(
        "What they will do", widget=GovTextArea(), validators=[DataRequired("Enter what they will do")]
    )
    by_when = DateField(
        "By when",
        widget=GovDateInput(),
        format="%d %m %Y",
        validators=[InputRequired("Enter the date it will be done by, like 31 3 2026")],
    )
    submit = SubmitField("Save corrective action", widget=GovSubmitInput())


class ValuesFileForm(FlaskForm):
    values_file = FileField(
        "Spreadsheet of values", widget=GovFileInput(), validators=[DataRequired("Choose a CSV or Excel file")]
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class AnnexAForm(MonthFields):
    workbook = FileField(
        "Annex A workbook", widget=GovFileInput(), validators=[DataRequired("Choose the Annex A workbook")]
    )
    cp_visit_working_days = IntegerField(
        "Local standard for child protection visits, in working days",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the local standard in working days"),
            NumberRange(1, 60, "The standard must be between 1 and 60 working days"),
        ],
    )
    submit = SubmitField("Import", widget=GovSubmitInput())


def _number(value) -> float | None:
    return None if value is None else float(value)


@performance.route("/")
@allow(*READERS)
def index():
    if indicators.ensure_default_indicators():
        db.session.commit()
    area = current_user.service_area if current_user.role is Role.HEAD_OF_SERVICE else None
    return render_template("performance/index.html", summaries=indicators.summaries(area))


@performance.route("/indicators/<int:indicator_id>")
@allow(*READERS)
def indicator(indicator_id: int):
    found = find_or_404(Indicator, indicator_id)
    series = list(found.values)
    return render_template(
        "performance/indicator.html",
        indicator=found,
        series=series,
        chart=chart.trend(found, series),
        may_edit=current_user.role in EDITORS,
    )


@performance.route("/indicators/<int:indicator_id>/values/new", methods=["GET", "POST"])
@allow(*EDITORS)
def add_value(indicator_id: int):
    found = find_or_404(Indicator, indicator_id)
    month = _last_month()
    form = ValueForm(data=None if request.method == "POST" else {"month": month.month, "year": month.year})
    if form.validate_on_submit():
        try:
            indicators.record_value(
                found,
                form.chosen_month(),
                _number(form.value.data),
                numerator=form.numerator.data,
                denominator=form.denominator.data,
            )
        except indicators.IndicatorError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"Value for {form.chosen_month():%B %Y} saved.", "success")
            return redirect(url_for("performance.indicator", indicator_id=found.id))
    return render_template("performance/add_value.html", form=form, indicator=found)


@performance.route("/indicators/<int:indicator_id>/targets", methods=["GET", "POST"])
@allow(*EDITORS)
def targets(indicator_id: int):
    found = find_or_404(Indicator, indicator_id)
    form = TargetForm(obj=None if request.method == "POST" else found)
    if form.validate_on_submit():
        try:
            indicators.set_targets(
                found,
                target=float(form.target.data),
                tolerance=float(form.tolerance.data),
                baseline_value=_number(form.baseline_value.data),
                baseline_date=form.baseline_date.data,
                comparator_value=_number(form.comparator_value.data),
                comparator_note=form.comparator_note.data,
            )
        except indicators.IndicatorError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash("Targets saved.", "success")
            return redirect(url_for("performance.indicator", indicator_id=found.id))
    return render_template("performance/targets.html", form=form, indicator=found)


@performance.route("/values/<int:value_id>/actions/new", methods=["GET", "POST"])
@allow(*EDITORS)
def add_action(value_id: int):
    value_row = find_or_404(IndicatorValue, value_id)
    form = ActionForm()
    if form.validate_on_submit():
        try:
            indicators.add_corrective_action(
                value_row,
                who=form.who.data,
                what=form.what.data,
                by_when=form.by_when.data,
                recorded_by=current_user.email,
            )
        except indicators.IndicatorError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"Corrective action for {value_row.period:%B %Y} saved.", "success")
            return redirect(
                url_for("performance.indicator", indicator_id=value_row.indicator_id, _anchor=f"month-{value_row.id}")
            )
    return render_template("performance/add_action.html", form=form, value=value_row, indicator=value_row.indicator)


@performance.route("/values/import", methods=["GET", "POST"])
@allow(*EDITORS)
def import_values():
    form = ValuesFileForm()
    if form.validate_on_submit():
        upload = form.values_file.data
        try:
            records = values_file.read_values_file(upload.filename or "", upload.read())
        except values_file.ValuesFileError as error:
            show_error(form, error)
        else:
            preview = values_file.check_rows(records)
            return render_template("performance/values_preview.html", preview=preview, records=json.dumps(records))
    return render_template("performance/import_values.html", form=form)


@performance.route("/values/import/confirm", methods=["POST"])
@allow(*EDITORS)
def confirm_values():
    try:
        records = json.loads(request.form.get("records", ""))
        preview = values_file.check_rows(records)
        saved = values_file.save(preview)
    except (ValueError, KeyError, TypeError, AttributeError):
        db.session.rollback()
        flash("Nothing was saved: the values could not be read. Upload the file again.", "important")
        return redirect(url_for("performance.import_values"))
    db.session.commit()
    flash(f"{saved} values saved.", "success")
    return redirect(url_for("performance.index"))


@performance.route("/annex-a", methods=["GET", "POST"])
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
        try:
            job = imports.queue_import(
                filename=upload.filename or "",
                month=form.chosen_month(),
                cp_visit_working_days=form.cp_visit_working_days.data,
                requested_by=current_user.email,
            )
        except imports.AnnexAImportError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            path = jobs.upload_folder() / f"{uuid.uuid4().hex}.xlsx"
            upload.save(path)
            db.session.commit()
            job_id = job.id
            jobs.import_annex_a(job.council_id, job_id, str(path))
            return redirect(url_for("performance.annex_a_import", import_id=job_id))
    return render_template("performance/annex_a.html", form=form, measures=MEASURE_TITLES.values())


@performance.route("/annex-a/<int:import_id>")
@allow(*READERS)
def annex_a_import(import_id: int):
    job = find_or_404(imports.AnnexAImport, import_id)
    return render_template("performance/annex_a_import.html", job=job)


@performance.route("/annex-a/<int:import_id>/progress")
@allow(*READERS)
def annex_a_progress(import_id: int):
    job = find_or_404(imports.AnnexAImport, import_id)
    if job.status.finished and request.headers.get("HX-Request"):
        # The whole page changes from progress to result: ask htmx to load it.
        return "", 204, {"HX-Redirect": url_for("performance.annex_a_import", import_id=job.id)}
    if not request.headers.get("HX-Request"):
        return redirect(url_for("performance.annex_a_import", import_id=job.id))
    return render_template("performance/_progress.html", job=job)
