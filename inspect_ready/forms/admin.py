"""Forms of administration: adding a person, changing their role, the council's settings."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextInput
from wtforms import BooleanField, RadioField, SelectField, StringField, SubmitField

from councils.models import Role, ServiceArea
from inspect_ready.forms.fields import Form, WholeNumberField, enum_choices, service_area_choices, version_field
from inspect_ready.forms.validators import DataRequired, Email, InputRequired, Length, NumberRange


class RoleFields(Form):
    role = RadioField(
        "Role", widget=GovRadioInput(), choices=enum_choices(Role), validators=[DataRequired("Choose a role")]
    )
    service_area = SelectField(
        "Service area",
        widget=GovSelect(),
        choices=service_area_choices("Not a head of service"),
        default="",
        description="Heads of service only: their service comes first on every page.",
    )

    def chosen_role(self) -> Role:
        return Role(self.role.data)

    def chosen_service_area(self) -> ServiceArea | None:
        return ServiceArea(self.service_area.data) if self.service_area.data else None


class AddUserForm(RoleFields):
    name = StringField(
        "Full name", widget=GovTextInput(), validators=[DataRequired("Enter the person's full name"), Length(max=120)]
    )
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter their email address"),
            Email("Enter an email address in the correct format, like name@council.gov.uk"),
            Length(max=254),
        ],
    )
    submit = SubmitField("Add user", widget=GovSubmitInput())


class CouncilSettingsForm(Form):
    framework_id = SelectField(
        "Inspection framework",
        widget=GovSelect(),
        validators=[DataRequired("Choose a framework")],
        description="Evidence is linked to this framework's judgements, and mock inspections use it by default.",
    )
    evidence_freshness_days = WholeNumberField(
        "Evidence stays fresh for (days)",
        not_a_number="Enter the number of days as a whole number, like 183",
        widget=GovTextInput(),
        description="Older evidence shows as stale in the gap list. Six months (183 days) matches the period of the Annex A lists.",
        validators=[
            InputRequired("Enter how many days evidence stays fresh"),
            NumberRange(min=30, max=730, message="Enter a number of days from 30 to 730"),
        ],
    )
    version = version_field()
    submit = SubmitField("Save settings", widget=GovSubmitInput())


def settings_data(council) -> dict:
    return {
        "framework_id": council.framework_id,
        "evidence_freshness_days": council.evidence_freshness_days,
        "version": str(council.version),
    }


class EditUserForm(RoleFields):
    active = BooleanField("Can sign in", widget=GovCheckboxInput())
    submit = SubmitField("Save changes", widget=GovSubmitInput())
