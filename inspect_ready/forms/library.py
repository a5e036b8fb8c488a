"""Forms of the evidence library: an evidence item, a link to a judgement, an attachment."""

from __future__ import annotations

from flask import current_app
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    FileField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import StopValidation

from councils import accounts
from councils.ids import record_id
from councils.models import ServiceArea
from evidence.library import attachments
from evidence.library.items import EvidenceError, EvidenceFields
from evidence.library.models import EvidenceKind, EvidenceStatus, Leaning
from inspect_ready.forms import date_ranges
from inspect_ready.forms.fields import (
    Form,
    area_choices,
    date_input,
    enum_choices,
    grade_choices,
    once_field,
    people_choices,
    service_area_choices,
    version_field,
)
from inspect_ready.forms.validators import DataRequired, Length


class AttachmentFile:
    """A chosen file passes the library's checks (attachments.check_file: name, size, and a
    type its first bytes agree with), shown on the file field with the form's other errors."""

    def __init__(self, *, required: bool):
        self.required = required
        self.message = "Choose a file to attach"  # written for the field: it has no file yet

    def __call__(self, form, field) -> None:
        upload = field.data
        if not upload or not getattr(upload, "filename", ""):
            if self.required:
                raise StopValidation(self.message)
            return
        content = upload.read()
        upload.seek(0)  # the view reads it again to store it
        try:
            attachments.check_file(upload.filename, content, current_app.config["ATTACHMENT_MAX_BYTES"])
        except EvidenceError as error:
            raise StopValidation(str(error)) from None


class EvidenceForm(Form):
    title = StringField(
        "Title", widget=GovTextInput(), validators=[DataRequired("Enter a title for the evidence"), Length(max=200)]
    )
    # No kind chosen for the person: the library holds every kind, and a preselected one
    # (it was "Case audit", which the case audit form adds by itself) is saved unread.
    kind = SelectField(
        "Kind of evidence",
        widget=GovSelect(),
        choices=[SelectChoice("", "Choose the kind of evidence")] + enum_choices(EvidenceKind),
        validators=[DataRequired("Choose the kind of evidence")],
    )
    summary = TextAreaField("Summary", widget=GovTextArea(), description="What the evidence shows, in a few sentences.")
    links = SelectMultipleField(
        "Judgement areas and criteria it speaks to", widget=GovCheckboxesInput(), choices=[], validate_choice=False
    )
    # Choices are checked by the service, whose messages name the unknown id.
    grade = SelectField("Grade it points to", widget=GovSelect(), choices=[], validate_choice=False)
    leaning = RadioField(
        "Strength or concern",
        widget=GovRadioInput(),
        choices=enum_choices(Leaning),
        validators=[DataRequired("Choose strength or concern")],
    )
    evidence_date = date_input(
        "Date of the evidence", within=date_ranges.PAST_RECORD, description="For example, 27 3 2026"
    )
    review_by = date_input(
        "Review-by date",
        within=date_ranges.REVIEW_BY,
        required=False,
        description="Optional. After this date the evidence counts as stale.",
    )
    owner_id = SelectField("Owner", widget=GovSelect(), choices=[])
    service_area = SelectField("Service area", widget=GovSelect(), choices=service_area_choices("Council-wide"))
    source_reference = StringField(
        "Source reference",
        widget=GovTextInput(),
        description="Where the original is kept, for example a document library path.",
        validators=[Length(max=200)],
    )
    # Accepted by default: only accepted evidence counts towards a judgement (the scorer's
    # signals and the evidence map read accepted items alone), so a draft is a choice made
    # for evidence not yet ready, never a default that leaves saved evidence uncounted.
    status = RadioField("Status", widget=GovRadioInput(), choices=enum_choices(EvidenceStatus)[:2], default="accepted")
    file = FileField(
        "Attach a file (optional)",
        widget=GovFileInput(),
        description=f"A {attachments.ALLOWED} file, smaller than 10 MB. You can attach more files after saving.",
        validators=[AttachmentFile(required=False)],
    )
    version = version_field()  # of the item changed; a new one has none
    once = once_field()  # a new item's page only: a change makes nothing new
    submit = SubmitField("Save evidence", widget=GovSubmitInput())

    def prepare(self, framework) -> EvidenceForm:
        self.links.choices = area_choices(framework, criteria=True)
        self.framework = framework
        self.grade.choices = grade_choices(framework, blank="No grade")
        self.owner_id.choices = people_choices(accounts.people(), "No owner")
        return self

    def link_groups(self) -> list[dict]:
        """The judgements and their criteria as GOV.UK checkboxes, one group a judgement with
        its name as the legend, the criteria by their words. The first box's id is the field's
        own ("links"), so the error summary's link lands on it."""
        chosen = set(self.links.data or [])
        groups = []
        for area in (a for a in self.framework.areas if a.kind != "overall"):
            options = [(area.id, "The judgement as a whole")] + [(f"{area.id}:{c.id}", c.prompt) for c in area.criteria]
            groups.append(
                {
                    "idPrefix": "links" if not groups else f"links-{area.id}",
                    "name": "links",
                    "classes": "govuk-checkboxes--small",
                    "fieldset": {"legend": {"text": area.title, "classes": "govuk-fieldset__legend--s"}},
                    "items": [{"value": v, "text": t, "checked": v in chosen} for v, t in options],
                }
            )
        return groups

    def fields_for_service(self) -> EvidenceFields:
        # A choice not offered is None: only on a form its own checks refuse already, whose
        # fields the service checks beside them (inspect_ready/transactions.valid).
        return EvidenceFields(
            title=self.title.data or "",
            kind=_chosen(EvidenceKind, self.kind.data),
            summary=self.summary.data or "",
            links=list(self.links.data or []),
            grade=self.grade.data or None,
            leaning=_chosen(Leaning, self.leaning.data),
            evidence_date=self.evidence_date.data,
            review_by=self.review_by.data,
            owner_id=record_id(self.owner_id.data or ""),
            service_area=_chosen(ServiceArea, self.service_area.data),
            source_reference=(self.source_reference.data or "").strip(),
            status=_chosen(EvidenceStatus, self.status.data),
        )


def _chosen(enum_class, value):
    return enum_class(value) if value in {member.value for member in enum_class} else None


class LinkForm(Form):
    link = SelectField("Judgement area or criterion", widget=GovSelect(), choices=[])
    add_link = SubmitField("Link", widget=GovSubmitInput())


class AttachmentForm(Form):
    file = FileField(
        "Attach a file",
        widget=GovFileInput(),
        description=f"A {attachments.ALLOWED} file, smaller than 10 MB.",
        validators=[AttachmentFile(required=True)],
    )
    upload = SubmitField("Upload file", widget=GovSubmitInput())
