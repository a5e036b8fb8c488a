"""Forms of the inspection workspace: the call and its correction, a checklist item, an
inspector's request, a referred-back case and the published report's grades."""

from __future__ import annotations

from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField

from councils.ids import record_id
from evidence.inspection_workspace.calls import CallFields, ItemFields
from evidence.inspection_workspace.models import ItemStatus, ReferralStatus, RequestStatus, VisitKind
from evidence.inspection_workspace.requests import ReferralFields, RequestFields
from evidence.library import attachments
from inspect_ready.forms import date_ranges
from inspect_ready.forms.fields import Form, date_input, enum_choices, grade_choices, once_field, version_field
from inspect_ready.forms.library import AttachmentFile
from inspect_ready.forms.validators import Length
from inspect_ready.forms.validators import Optional as NoValue

# The service says what is missing or wrong with each date, so the fields only check that a
# date is real and plausible.
_OPTIONAL = {"required": False}


def _blank_none(value):
    """A choice left at its blank option is no choice (None), not the number it could be."""
    return record_id(value) if value not in (None, "") else None


class CallForm(Form):
    called_on = date_input("Date of the call", within=date_ranges.INSPECTION, **_OPTIONAL)
    kind = RadioField(
        "Kind of inspection or visit", widget=GovRadioInput(), choices=enum_choices(VisitKind), validators=[NoValue()]
    )
    lead_inspector = StringField("Lead inspector's name", widget=GovTextInput(), validators=[Length(max=120)])
    first_day = date_input("First day on site", within=date_ranges.INSPECTION, **_OPTIONAL)
    once = once_field()
    submit = SubmitField("Record the call and open the workspace", widget=GovSubmitInput())

    def fields(self) -> CallFields:
        return CallFields(
            self.called_on.data, self.kind.data or "", self.lead_inspector.data or "", self.first_day.data
        )


class CallChangeForm(CallForm):
    """The recorded call's details, corrected: a change, so a version and no once-token."""

    kind = RadioField(
        "Kind of inspection or visit",
        widget=GovRadioInput(),
        choices=enum_choices(VisitKind),
        validators=[NoValue()],
        description="The checklist is the same for every kind, so it stays as it is; the days on site follow the kind.",
    )
    once = None
    version = version_field()
    submit = SubmitField("Save the call's details", widget=GovSubmitInput())


def _owner_field(label: str) -> SelectField:
    # The service checks the owner (one of the council's active staff), so the message is one.
    return SelectField(label, widget=GovSelect(), coerce=_blank_none, validate_choice=False)


def _evidence_field(label: str, description: str) -> SelectField:
    return SelectField(label, widget=GovSelect(), coerce=_blank_none, validate_choice=False, description=description)


class ChecklistItemForm(Form):
    title = StringField("What Ofsted asks for", widget=GovTextInput(), validators=[Length(max=200)])
    detail = TextAreaField("Details", widget=GovTextArea(), validators=[Length(max=2000)])
    owner_id = _owner_field("Owner")
    status = RadioField("Status", widget=GovRadioInput(), choices=enum_choices(ItemStatus), validators=[NoValue()])
    due_date = date_input("Due date", within=date_ranges.DUE, **_OPTIONAL)
    evidence_item_id = _evidence_field(
        "Evidence item that answers it", "A document in the evidence library, with its files; or upload a new file below."
    )
    answer = TextAreaField(
        "What answers it",
        widget=GovTextArea(),
        validators=[Length(max=2000)],
        description="Where it is or what was sent, if not an evidence item: for example, 'on the sharing site, folder 3'.",
    )
    once = once_field()
    version = version_field()
    submit = SubmitField("Save item", widget=GovSubmitInput())

    def fields(self) -> ItemFields:
        return ItemFields(
            self.title.data or "",
            self.detail.data or "",
            self.owner_id.data,
            self.status.data or "",
            self.due_date.data,
            self.evidence_item_id.data,
            self.answer.data or "",
        )


class ChecklistFileForm(Form):
    """A file that answers a checklist item, kept in the evidence library as a draft document."""

    file = FileField(
        "Upload a file that answers it",
        widget=GovFileInput(),
        description=f"A {attachments.ALLOWED} file, smaller than 10 MB. It goes into the evidence library as a draft.",
        validators=[AttachmentFile(required=True)],
    )
    upload = SubmitField("Upload file", widget=GovSubmitInput())


class RequestForm(Form):
    what = TextAreaField("What was asked for", widget=GovTextArea(), validators=[Length(max=2000)])
    asked_by = StringField("Inspector who asked", widget=GovTextInput(), validators=[Length(max=120)])
    asked_on = date_input("Date asked", within=date_ranges.INSPECTION, **_OPTIONAL)
    owner_id = _owner_field("Owner")
    due_date = date_input("Due date", within=date_ranges.DUE, **_OPTIONAL)
    status = RadioField(
        "Status",
        widget=GovRadioInput(),
        choices=enum_choices(RequestStatus),
        default=RequestStatus.ASKED.value,
        validators=[NoValue()],
    )
    sent = TextAreaField("What was sent", widget=GovTextArea(), validators=[Length(max=2000)])
    evidence_item_id = _evidence_field("Evidence item sent", "Optional: a document in the evidence library.")
    once = once_field()
    version = version_field()
    submit = SubmitField("Save request", widget=GovSubmitInput())

    def fields(self) -> RequestFields:
        return RequestFields(
            self.what.data or "",
            self.asked_by.data or "",
            self.asked_on.data,
            self.owner_id.data,
            self.due_date.data,
            self.status.data or "",
            self.sent.data or "",
            self.evidence_item_id.data,
        )


class ReferralForm(Form):
    case_reference = StringField(
        "Case reference",
        widget=GovTextInput(),
        validators=[Length(max=40)],
        description="The case management system's reference, like CP-204871. Never a child's name.",
    )
    raised = TextAreaField("What inspectors raised", widget=GovTextArea(), validators=[Length(max=2000)])
    raised_on = date_input("Date referred back", within=date_ranges.INSPECTION, **_OPTIONAL)
    owner_id = _owner_field("Owner")
    status = RadioField(
        "Status",
        widget=GovRadioInput(),
        choices=enum_choices(ReferralStatus),
        default=ReferralStatus.OPEN.value,
        validators=[NoValue()],
    )
    resolution = TextAreaField(
        "Resolution",
        widget=GovTextArea(),
        validators=[Length(max=2000)],
        description="What was done for the child, needed to mark it resolved.",
    )
    once = once_field()
    version = version_field()
    submit = SubmitField("Save referred case", widget=GovSubmitInput())

    def fields(self) -> ReferralFields:
        return ReferralFields(
            self.case_reference.data or "",
            self.raised.data or "",
            self.raised_on.data,
            self.owner_id.data,
            self.status.data or "",
            self.resolution.data or "",
        )


class ReportForm(Form):
    """The published report; a grade field per judgement is added for a graded inspection."""

    published_on = date_input("Date the report was published", within=date_ranges.PAST_RECORD, **_OPTIONAL)
    version = version_field()
    submit = SubmitField("Save the report's grades", widget=GovSubmitInput())


def report_form(framework, areas, *, data: dict | None = None, graded: bool = True) -> ReportForm:
    """The report form with one choice of Ofsted's grade for each judgement (`areas`)."""

    class Grades(ReportForm):
        pass

    if graded:
        for area in areas:
            setattr(
                Grades,
                f"grade_{area.id}",
                SelectField(
                    area.title, widget=GovSelect(), choices=grade_choices(framework, blank="Choose a grade"),
                    validators=[NoValue()],
                ),
            )  # fmt: skip
    return Grades(data=data)
