"""Forms of case file audits: an audit from its template, moderation, an escalation and its resolution, an import."""

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

from councils import accounts
from councils.ids import record_id
from councils.models import Role
from evidence.case_audits import audits
from evidence.case_audits.audits import EscalationInput
from evidence.case_audits.models import CaseType
from inspect_ready.forms import date_ranges
from inspect_ready.forms.fields import Form, date_input, enum_choices, once_field, people_choices
from inspect_ready.forms.validators import DataRequired, Length


class EscalationFields(Form):
    concern = TextAreaField(
        "Concern for the child's safety",
        widget=GovTextArea(),
        description="What worried you, without naming the child.",
    )
    escalation_owner = SelectField("Who owns the escalation", widget=GovSelect(), choices=[])
    due_date = date_input(
        "Due date",
        within=date_ranges.DUE,
        required=False,
        description="When the action must be taken by. For example, 31 3 2027",
    )

    def prepare_owners(self) -> None:
        owners = accounts.people(roles=[Role.HEAD_OF_SERVICE, Role.SENIOR_LEADER])
        self.escalation_owner.choices = people_choices(owners, "Choose a person", with_role=True)

    def escalation_input(self) -> EscalationInput:
        owner = self.escalation_owner.data
        return EscalationInput(self.concern.data or "", record_id(owner), self.due_date.data)


class AuditForm(EscalationFields):
    case_reference = StringField(
        "Case reference",
        widget=GovTextInput(),
        description=audits.CASE_REFERENCE_RULE,
        validators=[DataRequired("Enter the case reference"), Length(max=40)],
    )
    case_type = SelectField("Case type", widget=GovSelect(), choices=enum_choices(CaseType))
    team = StringField("Team", widget=GovTextInput(), validators=[DataRequired("Enter the team"), Length(max=120)])
    worker = StringField(
        "Worker", widget=GovTextInput(), validators=[DataRequired("Enter the worker"), Length(max=120)]
    )
    auditor = StringField(
        "Auditor", widget=GovTextInput(), validators=[DataRequired("Enter the auditor"), Length(max=120)]
    )
    audit_date = date_input("Date of the audit", within=date_ranges.PAST_RECORD, description="For example, 27 3 2026")
    # Areas and grades are checked by the service, whose messages name the unknown id.
    areas = SelectMultipleField(
        "Judgement areas the audit informs", widget=GovCheckboxesInput(), choices=[], validate_choice=False
    )
    # Without JavaScript the ticks cannot follow the case type as it changes, so the auditor
    # asks for them: the form comes back with the case type's areas ticked, nothing saved.
    tick_areas = SubmitField("Tick the judgement areas for this case type", widget=GovSubmitInput())
    overall_grade = SelectField("Overall grade", widget=GovSelect(), choices=[], validate_choice=False)
    comment = TextAreaField("Overall comment", widget=GovTextArea())
    escalate = BooleanField("I have a concern for a child's safety: escalate this case", widget=GovCheckboxInput())
    once = once_field()
    submit = SubmitField("Save audit", widget=GovSubmitInput())


class ModerationForm(Form):
    # Chosen from the council's people who may moderate (people_choices), never typed: a
    # typed name could be anyone's, or no one's.
    moderator = SelectField(
        "Moderator",
        widget=GovSelect(),
        choices=[],
        validate_choice=False,  # the service names a choice that is not one of them
        description="A senior leader or head of service, not the one who audited the case.",
        validators=[DataRequired("Choose the moderator")],
    )
    agreed = RadioField(
        "Does the moderator agree with the overall grade?",
        widget=GovRadioInput(),
        choices=[SelectChoice("yes", "Agree"), SelectChoice("no", "Record a different grade")],
        validators=[DataRequired("Choose whether the moderator agrees")],
    )
    grade = SelectField("Moderated grade", widget=GovSelect(), choices=[], validate_choice=False)
    reason = TextAreaField("Reason for the different grade", widget=GovTextArea())
    submit = SubmitField("Save moderation", widget=GovSubmitInput())


class EscalateForm(EscalationFields):
    submit = SubmitField("Escalate the case", widget=GovSubmitInput())


class ResolveForm(Form):
    action_taken = TextAreaField(
        "Action taken",
        widget=GovTextArea(),
        validators=[DataRequired("Record the action taken to keep the child safe")],
    )
    submit = SubmitField("Resolve escalation", widget=GovSubmitInput())


class ImportForm(Form):
    file = FileField("Choose a CSV or XLSX file", widget=GovFileInput())
    submit = SubmitField("Check the file", widget=GovSubmitInput())
