"""Forms of a review: its details, its team and invitations, its key lines of enquiry."""

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
from evidence.reviews import setup, visit_themes
from evidence.reviews.models import MemberRole, PartnerAgency, ReviewKind, ReviewMember, ReviewStatus
from inspect_ready.forms import date_ranges
from inspect_ready.forms.fields import Form, date_input, enum_choices, once_field, people_choices
from inspect_ready.forms.validators import DataRequired, Email, Length
from judgement_framework import Framework

# A review has one lead, set with the review; the team adds reviewers and observers.
TEAM_ROLE_CHOICES = enum_choices([MemberRole.REVIEWER, MemberRole.OBSERVER])


class ReviewForm(Form):
    title = StringField(
        "Title", widget=GovTextInput(), validators=[DataRequired("Enter a title for the review"), Length(max=200)]
    )
    kind = RadioField(
        "Kind of review",
        widget=GovRadioInput(),
        choices=enum_choices(ReviewKind),
        validators=[DataRequired("Choose the kind of review")],
    )
    focus_theme_id = SelectField(
        "Focus of the visit",
        widget=GovSelect(),
        choices=[],
        default="",
        # The service checks it against the kind chosen: only the kinds with a focus keep one.
        validate_choice=False,
        description="For a focused visit or a JTAI rehearsal only: what the inspectors look at. "
        "A focused visit looks at its focus's judgements alone.",
    )
    scope_area_ids = SelectMultipleField(
        "Judgements in scope",
        widget=GovCheckboxesInput(),
        choices=[],
        description="Leave all unticked to review every judgement.",
    )
    starts_on = date_input("Start date", within=date_ranges.INSPECTION, description="For example, 27 1 2026")
    ends_on = date_input("End date", within=date_ranges.INSPECTION)
    lead_id = SelectField("Lead", widget=GovSelect(), choices=[], validators=[DataRequired("Choose the lead")])
    status = RadioField(
        "Status", widget=GovRadioInput(), choices=enum_choices(ReviewStatus), default=ReviewStatus.PLANNED.value
    )
    once = once_field()  # the new review's page only: a change makes nothing new
    submit = SubmitField("Save review", widget=GovSubmitInput())

    def fill_choices(self, framework: Framework) -> None:
        self.scope_area_ids.choices = [SelectChoice(a.id, a.title) for a in framework.areas if a.kind != "overall"]
        self.focus_theme_id.choices = [SelectChoice("", "No focus: not a focused visit or JTAI")] + [
            SelectChoice(theme.id, f"{kind.label}: {theme.title}")
            for kind in (ReviewKind.FOCUSED_VISIT_REHEARSAL, ReviewKind.JTAI_REHEARSAL)
            for theme in visit_themes.themes_for(kind, framework)
        ]
        self.lead_id.choices = people_choices(accounts.people(), with_role=True)

    def fields(self) -> setup.ReviewFields:
        return setup.ReviewFields(
            title=self.title.data or "",
            # None only on a form refused already (its kind is not one offered).
            kind=ReviewKind(self.kind.data) if self.kind.data in {k.value for k in ReviewKind} else None,
            scope_area_ids=self.scope_area_ids.data or [],
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            lead_id=record_id(self.lead_id.data or ""),
            focus_theme_id=self.focus_theme_id.data or None,
        )


def review_details(review) -> dict:
    """The saved details as the form's fields hold them (values, not enum members), so the
    edit page shows them chosen and saving it unchanged changes nothing."""
    return {
        "title": review.title,
        "kind": review.kind.value,
        "scope_area_ids": list(review.scope_area_ids),
        "starts_on": review.starts_on,
        "ends_on": review.ends_on,
        "lead_id": str(review.lead_id),
        "status": review.status.value,
        "focus_theme_id": review.focus_theme_id or "",
    }


class AddMemberForm(Form):
    user_id = SelectField(
        "Person from your council", widget=GovSelect(), choices=[], validators=[DataRequired("Choose a person")]
    )
    role = RadioField(
        "Role on the review",
        widget=GovRadioInput(),
        validators=[DataRequired("Choose their role")],
        choices=TEAM_ROLE_CHOICES,
        default=MemberRole.REVIEWER.value,
    )
    submit = SubmitField("Add to the team", widget=GovSubmitInput())


class InviteForm(Form):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter their email address"),
            Email("Enter an email address in the correct format, like name@council.gov.uk"),
            Length(max=254),
        ],
        description="The person signs in with their own council's peer reviewer account with this email address.",
    )
    invite_role = RadioField(
        "Role on the review",
        widget=GovRadioInput(),
        validators=[DataRequired("Choose their role")],
        choices=TEAM_ROLE_CHOICES,
        default=MemberRole.REVIEWER.value,
    )
    agency = SelectField(
        "Partner agency",
        widget=GovSelect(),
        choices=[SelectChoice("", "None: a peer reviewer or one of your council's people")]
        + enum_choices(PartnerAgency),
        default="",
        description="An auditor from a partner agency writes their agency's view of each case audited jointly.",
    )
    invite = SubmitField("Invite", widget=GovSubmitInput())


class BankForm(Form):
    bank_ids = SelectMultipleField("Key lines of enquiry from the framework", widget=GovCheckboxesInput(), choices=[])
    submit = SubmitField("Add chosen lines of enquiry", widget=GovSubmitInput())


class KloeForm(Form):
    question = TextAreaField(
        "Key line of enquiry", widget=GovTextArea(), validators=[DataRequired("Enter the key line of enquiry")]
    )
    sub_questions = TextAreaField("Sub-questions", widget=GovTextArea(), description="One on each line.")
    area_ids = SelectMultipleField("Judgement areas", widget=GovCheckboxesInput(), choices=[])
    criterion_ids = SelectMultipleField(
        "Criteria",
        widget=GovCheckboxesInput(),
        choices=[],
        description="Optional: the criteria of the areas chosen that this line tests.",
    )
    member_ids = SelectMultipleField("Assigned to", widget=GovCheckboxesInput(), choices=[])
    once = once_field()  # a new line of enquiry's page only
    submit = SubmitField("Save key line of enquiry", widget=GovSubmitInput())

    def fill_choices(self, framework: Framework, members: list[ReviewMember] | None) -> None:
        areas = [a for a in framework.areas if a.kind != "overall"]
        self.area_ids.choices = [SelectChoice(a.id, a.title) for a in areas]
        self.criterion_ids.choices = [SelectChoice(c.id, f"{a.title}: {c.prompt}") for a in areas for c in a.criteria]
        if members is None:
            del self.member_ids
        else:
            self.member_ids.choices = [
                SelectChoice(str(m.id), f"{m.name}, {m.organisation} ({m.role.label.lower()})")
                for m in members
                if m.role is not MemberRole.OBSERVER
            ]

    def fields(self) -> setup.KloeFields:
        return setup.KloeFields(
            self.question.data or "",
            (self.sub_questions.data or "").splitlines(),
            self.area_ids.data or [],
            self.criterion_ids.data or [],
        )
