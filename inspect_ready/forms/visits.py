"""Forms of the visits' rehearsals: a JTAI's joint case audits, and the last inspection's
recommendations with a monitoring visit's findings on them."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextArea
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, TextAreaField

from evidence.visits.models import Progress
from inspect_ready.forms import date_ranges
from inspect_ready.forms.fields import Form, date_input, enum_choices, once_field, version_field
from inspect_ready.forms.validators import DataRequired, Length

LONGEST_TEXT = 5000


class JointCaseForm(Form):
    case_audit_id = SelectField(
        "Case audited by the council",
        widget=GovSelect(),
        choices=[],
        validators=[DataRequired("Choose a case audit")],
        description="Each agency then records its own view of the same child's case.",
    )
    submit = SubmitField("Audit this case jointly", widget=GovSubmitInput())

    def fill_choices(self, audits) -> None:
        self.case_audit_id.choices = [SelectChoice("", "Choose a case")] + [
            SelectChoice(
                str(a.id), f"{a.case_reference}: {a.case_type.label}, {a.team}, audited {a.audit_date:%-d %B %Y}"
            )
            for a in audits
        ]


class CaseViewForm(Form):
    what_we_saw = TextAreaField(
        "What your agency's records and work with the child show",
        widget=GovTextArea(),
        validators=[
            DataRequired("Enter what your agency's records and work with the child show"),
            Length(max=LONGEST_TEXT),
        ],
        description="No names of children or families: write of them by initials or the case reference.",
    )
    what_to_improve = TextAreaField(
        "What your agency would do differently", widget=GovTextArea(), validators=[Length(max=LONGEST_TEXT)]
    )
    version = version_field()
    submit = SubmitField("Save your agency's view", widget=GovSubmitInput())


def case_view_data(view) -> dict:
    """The saved view as the form holds it; none saved yet is a form based on nothing."""
    if view is None:
        return {"what_we_saw": "", "what_to_improve": "", "version": "0"}
    return {"what_we_saw": view.what_we_saw, "what_to_improve": view.what_to_improve, "version": str(view.version)}


class RecommendationForm(Form):
    text = TextAreaField(
        "Recommendation",
        widget=GovTextArea(),
        validators=[
            DataRequired("Enter the recommendation, as the inspection report words it"),
            Length(max=LONGEST_TEXT),
        ],
    )
    reported_on = date_input("Date of the inspection report", within=date_ranges.PAST_RECORD)
    version = version_field()
    once = once_field()  # the new recommendation's page only
    submit = SubmitField("Save recommendation", widget=GovSubmitInput())


def recommendation_data(recommendation) -> dict:
    return {
        "text": recommendation.text,
        "reported_on": recommendation.reported_on,
        "version": str(recommendation.version),
    }


class ProgressForm(Form):
    progress = RadioField(
        "Progress since the inspection",
        widget=GovRadioInput(),
        choices=enum_choices(Progress),
        validators=[DataRequired("Choose the progress made")],
    )
    findings = TextAreaField(
        "What the visit found",
        widget=GovTextArea(),
        validators=[DataRequired("Enter what the visit found on this recommendation"), Length(max=LONGEST_TEXT)],
    )
    version = version_field()
    submit = SubmitField("Save finding", widget=GovSubmitInput())


def progress_data(record) -> dict:
    """The saved finding as the form holds it; none saved yet is a form based on nothing."""
    if record is None:
        return {"progress": "", "findings": "", "version": "0"}
    return {"progress": record.progress.value, "findings": record.findings, "version": str(record.version)}
