"""Forms of performance data: a value, targets, a corrective action, a values file, an Annex A workbook."""

from __future__ import annotations

import datetime as dt

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput, GovTextInput
from wtforms import DecimalField, HiddenField, IntegerField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from inspect_ready.forms.actions import ActionForm
from inspect_ready.forms.fields import date_input


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
    # Set by the confirmation page: the person has seen the month's old value beside the new.
    replace = HiddenField()
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
    baseline_date = date_input("Baseline date (optional)", required=False)
    comparator_value = DecimalField("Comparator group value (optional)", widget=GovTextInput(), validators=[Optional()])
    comparator_note = StringField(
        "Comparator group (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    submit = SubmitField("Save targets", widget=GovSubmitInput())


class CorrectiveActionForm(ActionForm):
    """An action of the plan for an off-target month: its judgement area comes from the indicator."""

    area_id = None
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
