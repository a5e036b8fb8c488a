"""The evidence library: the list with its filters, the evidence map, and each item's pages."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from councils import accounts, clock
from councils.models import Role, ServiceArea
from evidence.library import attachments, items
from evidence.library.evidence_map import council_map
from evidence.library.items import EvidenceError, Filters
from evidence.library.models import Attachment, EvidenceItem, EvidenceKind, EvidenceLink, EvidenceStatus
from inspect_ready import confirmations, once
from inspect_ready.extensions import htmx
from inspect_ready.forms.fields import area_choices, version_of
from inspect_ready.forms.library import AttachmentForm, EvidenceForm, LinkForm
from inspect_ready.pages import drawn_once, find_or_404, page_of
from inspect_ready.permissions import allow, allow_council_staff
from inspect_ready.sorting import date_column, sort_of, text_column
from inspect_ready.transactions import errors_flashed, errors_on, valid

bp = Blueprint("library", __name__, url_prefix="/evidence")
EDITORS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)
PAGE_SIZE = 50
# The columns people sort the list by to compare evidence (items.SORTS holds their order).
SORTS = {
    "title": text_column("Title"),
    "kind": text_column("Kind"),
    "date": date_column("Date"),
    "status": text_column("Status"),
}


def _framework():
    return items.framework_of(current_user.council)


def _filters() -> Filters:
    args = request.args
    return Filters(
        **{key: args.get(key, "").strip() for key in ("area", "kind", "service_area", "owner", "grade", "status")},
        stale=args.get("stale") == "yes",
    )


@bp.route("/")
@allow_council_staff
def index():
    framework, filters, sort = _framework(), _filters(), sort_of(SORTS, "date")
    errors, page = [], None
    try:
        query = items.find_items(
            filters,
            framework,
            clock.today(),
            current_user.council.evidence_freshness_days,
            sort.key,
            sort.descending,
        )
    except EvidenceError as error:
        errors.append({"text": str(error), "href": f"#{error.field}"})
    else:
        page = page_of(query, PAGE_SIZE, items.count_items(current_user.council_id, query, filters, clock.today()))
    people = accounts.people(active=None)  # owners of older evidence too
    context = dict(
        page=page,
        filters=filters,
        sort=sort,
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
        return render_template("library/_results.html", **context)
    return render_template("library/index.html", **context)


@bp.route("/map", endpoint="map")
@allow_council_staff
def show_map():
    framework = _framework()
    chosen = request.args.get("service_area")
    if chosen is None and current_user.service_area:
        chosen = current_user.service_area.value  # a head of service sees their service first
    service_area = ServiceArea(chosen) if chosen in {a.value for a in ServiceArea} else None
    rows = council_map(current_user.council, clock.today(), service_area)
    # Some 400 cells, the same for everyone until the evidence changes: drawn once per kept map.
    table = drawn_once(
        rows,
        "library/_map_table.html",
        rows=rows,
        framework=framework,
        kinds=list(EvidenceKind),
        service_area=service_area,
    )
    return render_template(
        "library/map.html",
        table=table,
        framework=framework,
        service_area=service_area,
        service_areas=list(ServiceArea),
    )


@bp.route("/new", methods=["GET", "POST"])
@allow(*EDITORS)
def new():
    framework = _framework()
    form = EvidenceForm().prepare(framework)
    if request.method == "GET":
        form.owner_id.data = str(current_user.id)
        form.service_area.data = current_user.service_area.value if current_user.service_area else ""
        form.links.data = [request.args["area"]] if request.args.get("area") else []
    if (page := once.sent_before(form)) is not None:
        return page
    if valid(form, lambda: items.check_item(form.fields_for_service(), framework, clock.today())):
        with errors_on(form):
            item = items.create_item(form.fields_for_service(), framework, clock.today())
            upload = form.file.data
            if upload and upload.filename:
                _attach(item, upload)
            once.made(form, url_for("library.detail", item_id=item.id), f"the evidence ‘{item.title}’")
            flash("Evidence saved.", "success")
            return redirect(url_for("library.detail", item_id=item.id))
    return render_template("library/form.html", form=form, item=None)


def _attach(item: EvidenceItem, upload) -> None:
    attachments.add_attachment(
        item,
        upload.filename,
        upload.read(),
        current_app.config["ATTACHMENTS_DIR"],
        current_user.email,
        current_app.config["ATTACHMENT_MAX_BYTES"],
    )


@bp.route("/<int:item_id>")
@allow_council_staff
def detail(item_id: int):
    return _detail_page(find_or_404(EvidenceItem, item_id), AttachmentForm(formdata=None))


def _detail_page(item: EvidenceItem, attachment_form: AttachmentForm, status: int = 200):
    framework = _framework()
    link_form = LinkForm()
    link_form.link.choices = area_choices(framework, criteria=True)
    return render_template(
        "library/detail.html",
        item=item,
        framework=framework,
        link_form=link_form,
        attachment_form=attachment_form,
        # A refused upload is named in the error summary and on the file field itself.
        errors=[{"text": attachment_form.file.errors[0], "href": "#file"}] if attachment_form.file.errors else [],
        stale=items.is_stale(item, clock.today(), current_user.council.evidence_freshness_days),
    ), status


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@allow(*EDITORS)
def edit(item_id: int):
    item = find_or_404(EvidenceItem, item_id)
    framework = _framework()
    if item.case_audit_id:
        flash("This evidence comes from a case audit: change the audit instead.", "info")
        return redirect(url_for("library.detail", item_id=item.id))
    form = EvidenceForm(data=None if request.method == "POST" else _form_data(item)).prepare(framework)
    del form.once
    if valid(form, lambda: items.check_item(form.fields_for_service(), framework, clock.today())):
        with errors_on(form, saved=lambda: _form_data(item)):
            items.update_item(item, form.fields_for_service(), framework, clock.today(), version=version_of(form))
            flash("Changes saved.", "success")
            return redirect(url_for("library.detail", item_id=item.id))
    return render_template("library/form.html", form=form, item=item)


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
        "version": str(item.version),
    }


@bp.route("/<int:item_id>/archive", methods=["POST"])
@allow(*EDITORS)
def archive(item_id: int):
    item = find_or_404(EvidenceItem, item_id)
    if not confirmations.confirmed():
        return confirmations.page(
            title=f"Archive ‘{item.title}’",
            final=[
                "It no longer counts towards any judgement, and the gap list and the standing are worked out "
                "without it.",
                "It leaves the library's lists, unless someone asks to see archived evidence.",
            ],
            button="Archive the evidence",
            back=url_for("library.detail", item_id=item.id),
            problems=confirmations.refusals(lambda: items.check_archivable(item)),
            warning="To count it again, edit it and save it as a draft or accepted.",
        )
    with errors_flashed():
        items.archive_item(item)
        flash("Evidence archived. It no longer counts towards any judgement.", "success")
    return redirect(url_for("library.detail", item_id=item.id))


@bp.route("/<int:item_id>/links", methods=["POST"])
@allow(*EDITORS)
def link(item_id: int):
    item = find_or_404(EvidenceItem, item_id)
    with errors_flashed():
        items.link_area(item, request.form.get("link", ""), _framework())
        flash("Link added.", "success")
    return redirect(url_for("library.detail", item_id=item.id))


@bp.route("/<int:item_id>/links/<int:link_id>/remove", methods=["POST"])
@allow(*EDITORS)
def unlink(item_id: int, link_id: int):
    item = find_or_404(EvidenceItem, item_id)
    found = find_or_404(EvidenceLink, link_id)
    with errors_flashed():
        items.unlink_area(item, found)
        flash("Link removed.", "success")
    return redirect(url_for("library.detail", item_id=item.id))


@bp.route("/<int:item_id>/attachments", methods=["POST"])
@allow(*EDITORS)
def attach(item_id: int):
    item = find_or_404(EvidenceItem, item_id)
    form = AttachmentForm()
    if form.validate_on_submit():
        with errors_on(form):
            _attach(item, form.file.data)
            flash("File attached.", "success")
            return redirect(url_for("library.detail", item_id=item.id))
    return _detail_page(item, form, status=400)


@bp.route("/attachments/<int:attachment_id>")
@allow_council_staff
def download(attachment_id: int):
    return send_attachment(find_or_404(Attachment, attachment_id))


def send_attachment(attachment: Attachment):
    """The file itself, saved by the browser under its own name (never shown inline, so an
    uploaded HTML file cannot run as a page of the service)."""
    path = attachments.stored_path(current_app.config["ATTACHMENTS_DIR"], attachment.council_id, attachment.sha256)
    return send_file(path, mimetype=attachment.content_type, as_attachment=True, download_name=attachment.filename)
