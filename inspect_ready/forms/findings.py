"""Forms of a key line of enquiry's page: the finding, and an observation cited in it."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)

from councils.ids import record_id
from evidence.library.models import EvidenceKind, Leaning
from evidence.reviews import findings
from evidence.reviews.models import FindingStatus
from inspect_ready.forms import date_ranges
from inspect_ready.forms.fields import Form, date_input, grade_choices, once_field
from inspect_ready.forms.validators import DataRequired, Length
from judgement_framework import Confidence


class FindingForm(Form):
    strengths = TextAreaField("Strengths", widget=GovTextArea())
    areas_for_development = TextAreaField("Areas for development", widget=GovTextArea())
    needs_to_improve = TextAreaField(
        "What needs to improve",
        widget=GovTextArea(),
        description="The changes that would make the most difference, most important first.",
    )
    grade = SelectField("The grade this finding points to", widget=GovSelect(), choices=[], default="")
    confidence = RadioField(
        "Your confidence in this finding",
        widget=GovRadioInput(),
        default=Confidence.MEDIUM.value,
        choices=[SelectChoice(c.value, c.value.capitalize()) for c in Confidence],
    )
    evidence_ids = SelectMultipleField(
        "Evidence seen",
        widget=GovCheckboxesInput(),
        choices=[],
        validate_choice=False,
        description="Evidence linked to this line of enquiry's judgements, newest first.",
    )
    version = HiddenField()

    def fill_choices(self, framework, kloe) -> None:
        if kloe.review.has_grades:
            self.grade.choices = grade_choices(framework, blank="Not graded")
        else:
            del self.grade  # Ofsted grades no such visit, so neither does its rehearsal
            # ...whose letter says what is working well and the areas for improvement.
            self.strengths.label.text = "What is working well"
            self.areas_for_development.label.text = "Areas for improvement"
        self.evidence_ids.choices = [
            SelectChoice(str(item.id), f"{item.title} ({item.kind.label.lower()}, {item.evidence_date:%-d %B %Y})")
            for item in findings.evidence_for(kloe, framework)
        ]

    def fields(self, action: str | None) -> findings.FindingFields:
        status = {"complete": FindingStatus.COMPLETE, "draft": FindingStatus.DRAFT}.get(action or "")
        return findings.FindingFields(
            self.strengths.data or "",
            self.areas_for_development.data or "",
            self.needs_to_improve.data or "",
            self.grade.data or None if "grade" in self else None,
            Confidence(self.confidence.data or Confidence.MEDIUM.value),
            status,
            [i for i in map(record_id, self.evidence_ids.data or []) if i is not None],
        )


class ObservationForm(Form):
    kind = RadioField(
        "What kind of evidence is it?",
        widget=GovRadioInput(),
        validators=[DataRequired("Choose the kind of evidence")],
        choices=[SelectChoice(k.value, k.label) for k in (EvidenceKind.OBSERVATION, EvidenceKind.VOICE_OF_CHILD)],
    )
    title = StringField("Title", widget=GovTextInput(), validators=[DataRequired("Enter a title"), Length(max=200)])
    summary = TextAreaField(
        "What you saw or heard",
        widget=GovTextArea(),
        validators=[DataRequired("Describe what you saw or heard")],
        description="No names of children or families.",
    )
    leaning = RadioField(
        "Does it show a strength or raise a concern?",
        widget=GovRadioInput(),
        validators=[DataRequired("Choose strength or concern")],
        choices=[SelectChoice(leaning.value, leaning.label) for leaning in Leaning],
    )
    evidence_date = date_input("Date", within=date_ranges.PAST_RECORD, description="For example, 27 3 2026")
    grade = SelectField("The grade it points to", widget=GovSelect(), choices=[], default="")
    once = once_field()
    submit = SubmitField("Add the evidence", widget=GovSubmitInput())
    # Shown only after the warning that the text seems to name a child.
    names_no_child = SubmitField("It names no child: add it as it is", widget=GovSubmitInput())
