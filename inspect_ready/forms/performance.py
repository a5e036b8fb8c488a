"""Forms of performance data: a value, targets, a corrective action, a values file, an Annex A
workbook, the Annex A headings a council maps, its readiness check and the confirmation of its figures."""

from __future__ import annotations

import datetime as dt

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import HiddenField, SelectChoice, SelectField, StringField, SubmitField

from inspect_ready.forms import date_ranges
from inspect_ready.forms.actions import ActionForm
from inspect_ready.forms.fields import Form, NumberField, WholeNumberField, date_input, version_field
from inspect_ready.forms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


class MonthFields(Form):
    month = WholeNumberField(
        "Month",
        widget=GovTextInput(),
        not_a_number="The month must be a number from 1 to 12",
        too_large="The month must be a number from 1 to 12",
        validators=[
            InputRequired("Enter the month as a number, like 3"),
            NumberRange(1, 12, "The month must be a number from 1 to 12"),
        ],
    )
    year = WholeNumberField(
        "Year",
        widget=GovTextInput(),
        not_a_number="The year must be a real year, like 2026",
        too_large="The year must be a real year, like 2026",
        validators=[
            InputRequired("Enter the year, like 2026"),
            NumberRange(2000, 2100, "The year must be a real year, like 2026"),
        ],
    )

    def chosen_month(self) -> dt.date:
        return dt.date(self.year.data, self.month.data, 1)


class ValueForm(MonthFields):
    value = NumberField(
        "Value",
        widget=GovTextInput(),
        not_a_number="Enter the value as a number",
        validators=[InputRequired("Enter the value as a number")],
    )
    numerator = WholeNumberField("Numerator (optional)", widget=GovTextInput(), validators=[Optional()])
    denominator = WholeNumberField("Denominator (optional)", widget=GovTextInput(), validators=[Optional()])
    version = version_field()  # of the month's value the page showed (versions.NEW for none)
    # Set by the confirmation page: the person has seen the month's old value beside the new.
    replace = HiddenField()
    submit = SubmitField("Save value", widget=GovSubmitInput())


class TargetForm(Form):
    target = NumberField(
        "Target",
        widget=GovTextInput(),
        not_a_number="Enter the target as a number",
        validators=[InputRequired("Enter the target as a number")],
    )
    tolerance = NumberField(
        "Tolerance",
        widget=GovTextInput(),
        not_a_number="Enter the tolerance as a number",
        validators=[
            InputRequired("Enter the tolerance as a number"),
            NumberRange(0, message="The tolerance cannot be negative"),
        ],
        description="How far short of the target still counts as near target (amber).",
    )
    baseline_value = NumberField("Baseline value (optional)", widget=GovTextInput(), validators=[Optional()])
    baseline_date = date_input("Baseline date (optional)", within=date_ranges.BASELINE, required=False)
    comparator_value = NumberField("Comparator group value (optional)", widget=GovTextInput(), validators=[Optional()])
    comparator_note = StringField(
        "Comparator group (optional)", widget=GovTextInput(), validators=[Optional(), Length(max=200)]
    )
    version = version_field()
    submit = SubmitField("Save targets", widget=GovSubmitInput())


class CorrectiveActionForm(ActionForm):
    """An action of the plan for an off-target month: its judgement area comes from the indicator."""

    area_id = None
    submit = SubmitField("Save corrective action", widget=GovSubmitInput())


class ValuesFileForm(Form):
    values_file = FileField(
        "Spreadsheet of values", widget=GovFileInput(), validators=[DataRequired("Choose a CSV or Excel file")]
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class AnnexAForm(MonthFields):
    workbook = FileField(
        "Annex A workbook", widget=GovFileInput(), validators=[DataRequired("Choose the Annex A workbook")]
    )
    cp_visit_working_days = WholeNumberField(
        "Local standard for child protection visits, in working days",
        widget=GovTextInput(),
        not_a_number="The standard must be between 1 and 60 working days",
        too_large="The standard must be between 1 and 60 working days",
        validators=[
            InputRequired("Enter the local standard in working days"),
            NumberRange(1, 60, "The standard must be between 1 and 60 working days"),
        ],
    )
    submit = SubmitField("Import", widget=GovSubmitInput())


def heading_mapping_form(unplaced: list[dict], columns: dict[int, list[str]]) -> Form:
    """One choice per heading the import could not place: the template column it is, or none."""

    class HeadingMappingForm(Form):
        submit = SubmitField("Save and use these next time", widget=GovSubmitInput())

    for index, item in enumerate(unplaced):
        choices = [SelectChoice("", "Leave it out")] + [
            SelectChoice(name, name) for name in columns.get(item["list"], [])
        ]
        label = f"{item['list_title']}, column {item['column_letter']}: ‘{item['heading']}’"
        setattr(
            HeadingMappingForm, f"heading_{index}", SelectField(label, choices=choices, widget=GovSelect(), default="")
        )
    return HeadingMappingForm()


class ReadinessForm(Form):
    """A workbook checked before the call, by the job worker; nothing is imported."""

    workbook = FileField(
        "Annex A workbook", widget=GovFileInput(), validators=[DataRequired("Choose the Annex A workbook")]
    )
    check = SubmitField("Check the workbook", widget=GovSubmitInput())


class ConfirmImportForm(Form):
    """Save an import's figures over the month's, or keep the month's: a person decides."""

    confirm = SubmitField("Save the new figures", widget=GovSubmitInput())
    decline = SubmitField("Keep the figures the month has", widget=GovSubmitInput())
