"""The evidence library: the list with its filters, the evidence map, and each item's pages."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from sqlalchemy import select
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
from wtforms.validators import DataRequired, Length

from councils.models import Role, ServiceArea, User
from evidence import attachments, library
from evidence.evidence_map import evidence_map
from evidence.library import EvidenceError, EvidenceFields, Filters
from evidence.models import Attachment, EvidenceItem, EvidenceKind, EvidenceLink, EvidenceStatus, Leaning
from inspect_ready.extensions import db, htmx
from inspect_ready.forms import (
    area_choices,
    date_field,
    enum_choices,
    grade_choices,
    service_area_choices,
    show_error,
    today,
)
from inspect_ready.pages import find_or_404
from inspect_ready.permissions import allow, allow_signed_in

evidence = Blueprint("evidence", __name__, url_prefix="/evidence")
EDITORS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)
PAGE_SIZE = 50


class EvidenceForm(FlaskForm):
    title = StringField(
        "Title", widget=GovTextInput(), validators=[DataRequired("Enter a title for the evidence"), Length(max=200)]
    )
    kind = SelectField("Kind of evidence", widget=GovSelect(), choices=enum_choices(EvidenceKind))
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
    evidence_date = date_field("Date of the evidence")
    review_by = date_field(
        "Review-by date", required=False, description="Optional. After this date the evidence counts as stale."
    )
    owner_id = SelectField("Owner", widget=GovSelect(), choices=[])
    service_area = SelectField("Service area", widget=GovSelect(), choices=service_area_choices("Council-wide"))
    source_reference = StringField(
        "Source reference",
        widget=GovTextInput(),
        description="Where the original is kept, for example a document library path.",
        validators=[Length(max=200)],
    )
    status = RadioField("Status", widget=GovRadioInput(), choices=enum_choices(EvidenceStatus)[:2], default="draft")
    submit = SubmitField("Save evidence", widget=GovSubmitInput())

    def prepare(self, framework) -> EvidenceForm:
        self.links.choices = area_choices(framework, criteria=True)
        self.grade.choices = grade_choices(framework, blank="No grade")
        people = db.session.scalars(select(User).where(User.active).order_by(User.name))
        self.owner_id.choices = [SelectChoice("", "No owner")] + [SelectChoice(str(p.id), p.name) for p in people]
        return self

    def fields_for_service(self) -> EvidenceFields:
        return EvidenceFields(
            title=self.title.data,
            kind=EvidenceKind(self.kind.data),
            summary=self.summary.data or "",
            links=list(self.links.data or []),
            grade=self.grade.data or None,
            leaning=Leaning(self.leaning.data),
            evidence_date=self.evidence_date.data,
            review_by=self.review_by.data,
            owner_id=int(self.owner_id.data) if self.owner_id.data else None,
            service_area=ServiceArea(self.service_area.data) if self.service_area.data else None,
            source_reference=(self.source_reference.data or "").strip(),
            status=EvidenceStatus(self.status.data),
        )


class LinkForm(FlaskForm):
    link = SelectField("Judgement area or criterion", widget=GovSelect(), choices=[])
    add_link = SubmitField("Link", widget=GovSubmitInput())


class AttachmentForm(FlaskForm):
    file = FileField(
        "Attach a file", widget=GovFileInput(), description=f"A {attachments.ALLOWED} file, smaller than 10 MB."
    )
    upload = SubmitField("Upload file", widget=GovSubmitInput())


def _framework():
    return library.framework_of(current_user.council)


def _filters() -> Filters:
    args = request.args
    return Filters(
        **{key: args.get(key, "").strip() for key in ("area", "kind", "service_area", "owner", "grade", "status")},
        stale=args.get("stale") == "yes",
    )


@evidence.route("/")
@allow_signed_in
def index():
    framework, filters = _framework(), _filters()
    errors, page = [], None
    try:
        query = library.find_items(filters, framework, today(), current_user.council.evidence_freshness_days)
    except EvidenceError as error:
        errors.append({"text": str(error), "href": f"#{error.field}"})
    else:
        page = db.paginate(query, per_page=PAGE_SIZE, error_out=False)
    people = db.session.scalars(select(User).order_by(User.name)).all()
    context = dict(
        page=page,
        filters=filters,
        errors=errors,
        framework=framework,
        area_options=[(c.value, c.label) for c in area_choices(framework, criteria=True)],
        kinds=[(k.value, k.label) for k in EvidenceKind],
        service_areas=[(a.value, a.label) for a in ServiceArea],
        people_options=[(str(p.id), p.name) for p in people],
        grade_options=[(g.id, g.label) for g in framework.grades],
        status_options=[(s.value, s.label) for s in EvidenceStatus],
        freshness_days=current_user.council.evidence_freshness_days,
    )
    if htmx and htmx.target == "results":
        return render_template("evidence/_results.html", **context)
    return render_template("evidence/index.html", **context)


@evidence.route("/map", endpoint="map")
@allow_signed_in
def show_map():
    framework = _framework()
    chosen = request.args.get("service_area")
    if chosen is None and current_user.service_area:
        chosen = current_user.service_area.value  # a head of service sees their service first
    service_area = ServiceArea(chosen) if chosen in {a.value for a in ServiceArea} else None
    rows = evidence_map(framework, today(), current_user.council.evidence_freshness_days, service_area)
    return render_template(
        "evidence/map.html",
        rows=rows,
        framework=framework,
        kinds=list(EvidenceKind),
        service_area=service_area,
        service_areas=list(ServiceArea),
    )


@evidence.route("/new", methods=["GET", "POST"])
@allow(*EDITORS)
def new():
    framework = _framework()
    form = EvidenceForm().prepare(framework)
    if request.method == "GET":
        form.owner_id.data = str(current_user.id)
        form.service_area.data = current_user.service_area.value if current_user.service_area else ""
        form.links.data = [request.args["area"]] if request.args.get("area") else []
    if form.validate_on_submit():
        try:
            item = library.create_item(form.fields_for_service(), framework, today())
        except EvidenceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash("Evidence saved.", "success")
            return redirect(url_for("evidence.detail", item_id=item.id))
    return render_template("evidence/form.html", form=form, item=None)


@evidence.route("/<int:item_id>")
@allow_signed_in
def detail(item_id: int):
    item = find_or_404(EvidenceItem, item_id)
    framework = _framework()
    link_form = LinkForm()
    link_form.link.choices = area_choices(framework, criteria=True)
    return render_template(
        "evidence/detail.html",
        item=item,
        framework=framework,
        link_form=link_form,
        attachment_form=AttachmentForm(),
        stale=library.is_stale(item, today(), current_user.council.evidence_freshness_days),
    )


@evidence.route("/<int:item_id>/edit", methods=["GET", "POST"])
@allow(*EDITORS)
def edit(item_id: int):
    item = find_or_404(EvidenceItem, item_id)
    framework = _framework()
    if item.case_audit_id:
        flash("This evidence comes from a case audit: change the audit instead.", "info")
        return redirect(url_for("evidence.detail", item_id=item.id))
    form = EvidenceForm(data=None if request.method == "POST" else _form_data(item)).prepare(framework)
    if form.validate_on_submit():
        try:
            library.update_item(item, form.fields_for_service(), framework, today())
        except EvidenceError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash("Changes saved.", "success")
            return redirect(url_for("evidence.detail", item_id=item.id))
    return render_template("evidence/form.html", form=form, item=item)


def _form_data(item: EvidenceItem) -> dict:
    return {
        "title": item.title,
        "kind": item.kind.value,
        "summary": item.summary,
        "links": [f"{link.area_id}:{link.criterion_id}" if link.criterion_id else link.area_id for link in item.links],
        "grade": item.grade or "",
        "leaning": item.leaning.value,
        "evidence_date": item.evidence_date,
        "review_by": item.review_by,
        "owner_id": str(item.owner_id or ""),
        "service_area": item.service_area.value if item.service_area else "",
        "source_reference": item.source_reference,
        "status": item.status.value if item.status is not EvidenceStatus.ARCHIVED else "draft",
    }


def _after_change(item: EvidenceItem, message: str, error: EvidenceError | None):
    if error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("evidence.detail", item_id=item.id))


@evidence.route("/<int:item_id>/archive", methods=["POST"])
@allow(*EDITORS)
def archive(item_id: int):
    item = find_or_404(EvidenceItem, item_id)
    try:
        library.archive_item(item)
    except EvidenceError as error:
        return _after_change(item, "", error)
    return _after_change(item, "Evidence archived. It no longer counts towards any judgement.", None)


@evidence.route("/<int:item_id>/links", methods=["POST"])
@allow(*EDITORS)
def link(item_id: int):
    item = find_or_404(EvidenceItem, item_id)
    try:
        library.link_area(item, request.form.get("link", ""), _framework())
    except EvidenceError as error:
        return _after_change(item, "", error)
    return _after_change(item, "Link added.", None)


@evidence.route("/<int:item_id>/links/<int:link_id>/remove", methods=["POST"])
@allow(*EDITORS)
def unlink(item_id: int, link_id: int):
    item = find_or_404(EvidenceItem, item_id)
    found = find_or_404(EvidenceLink, link_id)
    try:
        library.unlink_area(item, found)
    except EvidenceError as error:
        return _after_change(item, "", error)
    return _after_change(item, "Link removed.", None)


@evidence.route("/<int:item_id>/attachments", methods=["POST"])
@allow(*EDITORS)
def attach(item_id: int):
    item = find_or_404(EvidenceItem, item_id)
    upload = request.files.get("file")
    try:
        attachments.add_attachment(
            item,
            upload.filename if upload else "",
            upload.read() if upload else b"",
            current_app.config["ATTACHMENTS_DIR"],
            current_user.email,
            current_app.config["ATTACHMENT_MAX_BYTES"],
        )
    except EvidenceError as error:
        return _after_change(item, "", error)
    return _after_change(item, "File attached.", None)


@evidence.route("/attachments/<int:attachment_id>")
@allow_signed_in
def download(attachment_id: int):
    attachment = find_or_404(Attachment, attachment_id)
    path = attachments.stored_path(current_app.config["ATTACHMENTS_DIR"], attachment.council_id, attachment.sha256)
    return send_file(path, mimetype=attachment.content_type, as_attachment=True, download_name=attachment.filename)
