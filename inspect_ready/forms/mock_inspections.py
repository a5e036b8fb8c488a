"""Forms of a mock inspection: setting one up, a child for the case sample, a grade for a judgement."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    FileField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)

from councils import versions
from evidence.mock_inspections.case_sample import AGE_BANDS, CASE_TYPES, ETHNICITIES, GENDERS
from inspect_ready.forms import date_ranges
from inspect_ready.forms.fields import Form, date_input, once_field, version_field
from inspect_ready.forms.validators import Length


class NewMockInspectionForm(Form):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[Length(max=200)],
        description="For example, Mock inspection, spring 2027",
    )
    framework_id = SelectField("Framework", widget=GovSelect())
    # The service checks the dates together (and names what is missing).
    starts_on = date_input(
        "First day", within=date_ranges.INSPECTION, required=False, description="For example, 27 4 2026"
    )
    ends_on = date_input("Last day", within=date_ranges.INSPECTION, required=False, description="For example, 1 5 2026")
    once = once_field()
    submit = SubmitField("Start the mock inspection", widget=GovSubmitInput())


class TrackedCaseForm(Form):
    reference = StringField(
        "Case reference",
        widget=GovTextInput(),
        validators=[Length(max=40)],
        description="The reference from your case management system, never a name.",
    )
    age_band = SelectField(
        "Age", widget=GovSelect(), choices=[SelectChoice("", "Choose")] + [SelectChoice(a, a) for a in AGE_BANDS]
    )
    case_type = SelectField(
        "Kind of case",
        widget=GovSelect(),
        choices=[SelectChoice("", "Choose")] + [SelectChoice(k, v) for k, v in CASE_TYPES.items()],
    )
    gender = SelectField(
        "Gender", widget=GovSelect(), choices=[SelectChoice("", "Choose")] + [SelectChoice(g, g) for g in GENDERS]
    )
    # Chosen from the council's audited teams and the census list (the view sets the choices);
    # the service says what is wrong with a value that is not one of them.
    team = SelectField("Team", widget=GovSelect(), validate_choice=False)
    ethnicity = SelectField(
        "Ethnicity",
        widget=GovSelect(),
        choices=[SelectChoice("", "Not recorded")] + [SelectChoice(e, e) for e in ETHNICITIES],
        validate_choice=False,
        description="As the 2011 census groups it, in the Department for Education's categories.",
    )
    disability = BooleanField("The child is disabled", widget=GovCheckboxInput())
    area_ids = SelectMultipleField("Judgements the case informs", widget=GovCheckboxesInput(), validate_choice=False)
    submit = SubmitField("Add to the sample", widget=GovSubmitInput())


class NewTrackedCaseForm(TrackedCaseForm):
    once = once_field()


class GradeForm(Form):
    grade = RadioField("Grade", widget=GovRadioInput(), validate_choice=False)
    rationale = TextAreaField(
        "Rationale",
        widget=GovTextArea(),
        validators=[Length(max=5000)],
        description="What in the evidence, findings and tracked cases supports this grade.",
    )
    version = version_field()
    submit = SubmitField("Save grade", widget=GovSubmitInput())


class SampleImportForm(Form):
    file = FileField("Upload a CSV or XLSX file", widget=GovFileInput())
    pasted = TextAreaField(
        "Or paste the rows",
        widget=GovTextArea(),
        description=(
            "Select the rows in Excel, copy them and paste them here, with or without the header row."
            " Without it, the columns are taken in the order listed above."
        ),
    )
    submit = SubmitField("Check the cases", widget=GovSubmitInput())


class AuditedCasesForm(Form):
    audit_ids = SelectMultipleField("Audited cases to add", widget=GovCheckboxesInput(), validate_choice=False)
    submit = SubmitField("Add the chosen cases", widget=GovSubmitInput())


def grade_data(saved) -> dict:
    """A saved grade (proposed or final) as the grade form holds it; a form for a first grade
    is based on no version."""
    if saved is None:
        return {"version": str(versions.NEW)}
    return {"grade": saved.grade, "rationale": saved.rationale, "version": str(saved.version)}
