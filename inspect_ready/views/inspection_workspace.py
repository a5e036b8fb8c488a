"""The call: a senior leader records Ofsted's notification and the council runs the inspection
from its workspace (countdown, checklist, requests, referred-back children, daily summary, and
the published report against the last mock inspection and the evidence)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from councils import accounts, clock
from councils.models import Role
from evidence.inspection_workspace import calls, report, requests, summary
from evidence.inspection_workspace.checklist import ilacs_checklist
from evidence.inspection_workspace.checks import may_work
from evidence.inspection_workspace.countdown import countdown
from evidence.inspection_workspace.models import (
    ChecklistItem,
    InspectionNotice,
    InspectorRequest,
    ItemStatus,
    ReferredCase,
)
from evidence.library.items import framework_of
from evidence.mock_inspections import inspections
from evidence.performance.annex_a import imports
from evidence.performance.annex_a.readiness import Readiness
from evidence.self_evaluation import self_evaluations
from evidence.standing import live_outcome
from inspect_ready import confirmations, daily_summary_report, once
from inspect_ready.documents.download import document_download
from inspect_ready.forms.fields import people_choices, version_of
from inspect_ready.forms.inspection_workspace import (
    CallChangeForm,
    CallForm,
    ChecklistFileForm,
    ChecklistItemForm,
    ReferralForm,
    RequestForm,
    report_form,
)
from inspect_ready.pages import find_or_404
from inspect_ready.permissions import allow
from inspect_ready.transactions import errors_on, valid

bp = Blueprint("inspection_workspace", __name__, url_prefix="/inspection")
SENIOR_LEADERS = (Role.SENIOR_LEADER,)
# Senior leaders run the workspace; heads of service read it and work what they own.
WORKERS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)


@bp.route("/")
@allow(*WORKERS)
def index():
    return render_template("inspection_workspace/index.html", notices=calls.notices(), today=clock.today())


@bp.route("/new", methods=["GET", "POST"])
@allow(*SENIOR_LEADERS)
def new():
    form = CallForm()
    if (page := once.sent_before(form)) is not None:
        return page
    if valid(form, lambda: calls.check_call(form.fields(), clock.today())):
        with errors_on(form):
            notice = calls.record_call(form.fields(), clock.today(), current_user._get_current_object())
            where = url_for("inspection_workspace.show", notice_id=notice.id)
            once.made(form, where, f"the workspace for the {notice.kind.label.lower()}")
            flash("Call recorded: the inspection workspace is open.", "success")
            return redirect(where)
    return render_template("inspection_workspace/new.html", form=form, source=ilacs_checklist().source)


@bp.route("/<int:notice_id>/edit", methods=["GET", "POST"])
@allow(*SENIOR_LEADERS)
def edit_call(notice_id: int):
    """Correct the call's details; checklist items still due on the dates seeded from the old
    ones move with them. Bad input answers 400; a stale form 409 (stale_saves.py)."""
    notice = find_or_404(InspectionNotice, notice_id)
    form = CallChangeForm(data=None if request.method == "POST" else calls.call_data(notice))
    if valid(form, lambda: calls.check_change(notice, form.fields(), clock.today())):
        with errors_on(form, saved=lambda: calls.call_data(notice)):
            by = current_user._get_current_object()
            moved = calls.update_call(notice, form.fields(), clock.today(), version_of(form), by)
            flash(f"The call's details are saved. {_moved_words(moved)}", "success")
            return redirect(url_for("inspection_workspace.show", notice_id=notice.id))
    page = render_template("inspection_workspace/edit_call.html", form=form, notice=notice)
    return page, (400 if form.errors else 200)


def _moved_words(moved: int) -> str:
    if moved == 0:
        return "No checklist item's due date moved."
    return f"{moved} checklist item{'s' if moved != 1 else ''} moved to the new date{'s' if moved != 1 else ''}."


def _readiness() -> tuple[object | None, Readiness | None]:
    job = imports.latest_readiness()
    data = (job.result or {}).get("readiness") if job else None
    return job, Readiness.from_dict(data) if data else None


def _case_tracking() -> dict | None:
    """The latest mock inspection's case tracking sample, as the list to start from."""
    latest = next(iter(sorted(inspections.mock_inspections(), key=lambda r: (r.starts_on, r.id), reverse=True)), None)
    if latest is None:
        return None
    cases = inspections.sample_of(latest)
    return {"review": latest, "count": len(cases), "shortfalls": inspections.sample_shortfalls(cases)}


def _comparison(notice: InspectionNotice, framework):
    if notice.published_on is None or notice.kind not in report.GRADED_KINDS:
        return None
    latest = inspections.latest_recorded()
    standing = live_outcome(current_user.council, framework=framework)[0]
    return report.compare_report(
        notice, framework, latest.data if latest else None, latest.review.title if latest else None, standing
    )


@bp.route("/<int:notice_id>")
@allow(*WORKERS)
def show(notice_id: int):
    notice = find_or_404(InspectionNotice, notice_id)
    framework = framework_of(current_user.council)
    today = clock.today()
    job, readiness = _readiness()
    return render_template(
        "inspection_workspace/show.html",
        notice=notice,
        today=today,
        countdown=countdown(notice.kind.value, notice.first_day, today),
        readiness=readiness,
        readiness_job=job,
        case_tracking=_case_tracking(),
        self_evaluation=self_evaluations.latest_self_evaluation(),
        comparison=_comparison(notice, framework),
        framework=framework,
        graded=notice.kind in report.GRADED_KINDS,
        may_work=lambda record: may_work(current_user, record),
    )


def _choices(form, keep_evidence: int | None = None) -> None:
    form.owner_id.choices = people_choices(accounts.people(roles=accounts.STAFF), "Choose an owner")
    if "evidence_item_id" in form:
        form.evidence_item_id.choices = [SelectChoice("", "None")] + [
            SelectChoice(str(item.id), f"{item.title} ({item.evidence_date:%-d %B %Y})")
            for item in calls.answering_evidence(keep_evidence)
        ]


def _of_notice(model, record_id: int, notice: InspectionNotice):
    """A record of this workspace the person may work, else not found or forbidden."""
    record = find_or_404(model, record_id)
    if record.notice_id != notice.id:
        abort(404)
    if not may_work(current_user, record):
        abort(403)
    return record


@bp.route("/<int:notice_id>/checklist/new", methods=["GET", "POST"])
@allow(*SENIOR_LEADERS)
def new_item(notice_id: int):
    notice = find_or_404(InspectionNotice, notice_id)
    form = ChecklistItemForm()
    del form.version
    _choices(form)
    if request.method == "GET":
        form.status.data, form.due_date.data = ItemStatus.TO_DO.value, notice.first_day
    if (page := once.sent_before(form)) is not None:
        return page
    if valid(form, lambda: calls.check_item(form.fields())):
        with errors_on(form):
            item = calls.add_item(notice, form.fields(), clock.today())
            where = url_for("inspection_workspace.show", notice_id=notice.id, _anchor="checklist")
            once.made(form, where, f"the checklist item ‘{item.title}’")
            flash("Checklist item added.", "success")
            return redirect(where)
    return _item_page(form, notice, None, None)


@bp.route("/<int:notice_id>/checklist/<int:checklist_item_id>/edit", methods=["GET", "POST"])
@allow(*WORKERS)
def edit_item(notice_id: int, checklist_item_id: int):
    notice = find_or_404(InspectionNotice, notice_id)
    item = _of_notice(ChecklistItem, checklist_item_id, notice)
    form = ChecklistItemForm(data=None if request.method == "POST" else calls.item_data(item))
    del form.once
    _choices(form, item.evidence_item_id)
    if valid(form, lambda: calls.check_item(form.fields())):
        with errors_on(form, saved=lambda: calls.item_data(item)):
            calls.update_item(item, form.fields(), clock.today(), version_of(form))
            flash("Checklist item saved.", "success")
            return redirect(url_for("inspection_workspace.show", notice_id=notice.id, _anchor="checklist"))
    return _item_page(form, notice, item, ChecklistFileForm(formdata=None))


def _item_page(form, notice, item, file_form, status: int = 200):
    """The item's page; a refused upload's problems head it (the summary names the item form's alone)."""
    errors = [
        {"text": message, "href": f"#{name}"}
        for name, messages in (file_form.errors if file_form else {}).items()
        for message in messages
    ]
    page = render_template(
        "inspection_workspace/item.html", form=form, notice=notice, item=item, file_form=file_form, errors=errors
    )
    return page, status


@bp.route("/<int:notice_id>/checklist/<int:checklist_item_id>/upload", methods=["POST"])
@allow(*WORKERS)
def upload_file(notice_id: int, checklist_item_id: int):
    notice = find_or_404(InspectionNotice, notice_id)
    item = _of_notice(ChecklistItem, checklist_item_id, notice)
    file_form = ChecklistFileForm()
    if file_form.validate_on_submit():
        upload = file_form.file.data
        with errors_on(file_form):
            calls.answer_with_file(
                item,
                framework_of(current_user.council),
                upload.filename or "",
                upload.read(),
                folder=current_app.config["ATTACHMENTS_DIR"],
                max_bytes=current_app.config["ATTACHMENT_MAX_BYTES"],
                by=current_user._get_current_object(),
                today=clock.today(),
            )
            flash(
                "File uploaded: it answers the checklist item and waits in the evidence library as a draft.", "success"
            )
            return redirect(url_for("inspection_workspace.show", notice_id=notice.id, _anchor="checklist"))
    form = ChecklistItemForm(formdata=None, data=calls.item_data(item))
    del form.once
    _choices(form, item.evidence_item_id)
    return _item_page(form, notice, item, file_form, 400)


@bp.route("/<int:notice_id>/checklist/<int:checklist_item_id>/remove", methods=["POST"])
@allow(*SENIOR_LEADERS)
def remove_item(notice_id: int, checklist_item_id: int):
    notice = find_or_404(InspectionNotice, notice_id)
    item = _of_notice(ChecklistItem, checklist_item_id, notice)
    back = url_for("inspection_workspace.show", notice_id=notice.id, _anchor="checklist")
    if not confirmations.confirmed():
        return confirmations.page(
            title=f"Remove ‘{item.title}’ from the checklist?",
            final=["The item, its owner, status and what answers it leave the checklist. The audit log keeps them."],
            button="Remove the item",
            back=back,
        )
    calls.remove_item(item)
    flash("Checklist item removed.", "success")
    return redirect(back)


@bp.route("/<int:notice_id>/requests/new", methods=["GET", "POST"])
@allow(*SENIOR_LEADERS)
def new_request(notice_id: int):
    notice = find_or_404(InspectionNotice, notice_id)
    form = RequestForm()
    del form.version
    _choices(form)
    if request.method == "GET":
        form.asked_on.data = max(clock.today(), notice.called_on)
        form.asked_by.data = notice.lead_inspector
    if (page := once.sent_before(form)) is not None:
        return page
    if valid(form, lambda: requests.check_request(form.fields(), notice)):
        with errors_on(form):
            logged = requests.add_request(notice, form.fields(), clock.today())
            where = url_for("inspection_workspace.show", notice_id=notice.id, _anchor="requests")
            once.made(form, where, f"the request from {logged.asked_by}")
            flash("Request logged.", "success")
            return redirect(where)
    return render_template("inspection_workspace/request.html", form=form, notice=notice, logged=None)


@bp.route("/<int:notice_id>/requests/<int:request_id>/edit", methods=["GET", "POST"])
@allow(*WORKERS)
def edit_request(notice_id: int, request_id: int):
    notice = find_or_404(InspectionNotice, notice_id)
    logged = _of_notice(InspectorRequest, request_id, notice)
    form = RequestForm(data=None if request.method == "POST" else requests.request_data(logged))
    del form.once
    _choices(form, logged.evidence_item_id)
    if valid(form, lambda: requests.check_request(form.fields(), notice)):
        with errors_on(form, saved=lambda: requests.request_data(logged)):
            requests.update_request(logged, form.fields(), clock.today(), version_of(form))
            flash("Request saved.", "success")
            return redirect(url_for("inspection_workspace.show", notice_id=notice.id, _anchor="requests"))
    return render_template("inspection_workspace/request.html", form=form, notice=notice, logged=logged)


@bp.route("/<int:notice_id>/referred/new", methods=["GET", "POST"])
@allow(*SENIOR_LEADERS)
def new_referral(notice_id: int):
    notice = find_or_404(InspectionNotice, notice_id)
    form = ReferralForm()
    del form.version
    _choices(form)
    if request.method == "GET":
        form.raised_on.data = max(clock.today(), notice.called_on)
    if (page := once.sent_before(form)) is not None:
        return page
    if valid(form, lambda: requests.check_referral(form.fields(), notice)):
        with errors_on(form):
            case = requests.refer_case(notice, form.fields(), clock.today())
            where = url_for("inspection_workspace.show", notice_id=notice.id, _anchor="referred")
            once.made(form, where, f"the referred case {case.case_reference}")
            flash("Referred case recorded.", "success")
            return redirect(where)
    return render_template("inspection_workspace/referral.html", form=form, notice=notice, case=None)


@bp.route("/<int:notice_id>/referred/<int:referral_id>/edit", methods=["GET", "POST"])
@allow(*WORKERS)
def edit_referral(notice_id: int, referral_id: int):
    notice = find_or_404(InspectionNotice, notice_id)
    case = _of_notice(ReferredCase, referral_id, notice)
    form = ReferralForm(data=None if request.method == "POST" else requests.referral_data(case))
    del form.once
    _choices(form)
    if valid(form, lambda: requests.check_referral(form.fields(), notice)):
        with errors_on(form, saved=lambda: requests.referral_data(case)):
            requests.update_referral(case, form.fields(), clock.today(), version_of(form))
            flash("Referred case saved.", "success")
            return redirect(url_for("inspection_workspace.show", notice_id=notice.id, _anchor="referred"))
    return render_template("inspection_workspace/referral.html", form=form, notice=notice, case=case)


def _summaries(notice: InspectionNotice):
    today = clock.today()
    days = summary.daily_summaries(notice, today)
    try:
        wanted = dt.date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        wanted = None
    return days, summary.day_chosen(days, wanted, today)


@bp.route("/<int:notice_id>/summary")
@allow(*WORKERS)
def daily_summary(notice_id: int):
    notice = find_or_404(InspectionNotice, notice_id)
    days, chosen = _summaries(notice)
    return render_template(
        "inspection_workspace/summary.html",
        notice=notice,
        days=days,
        chosen=chosen,
        asked=summary.requests_asked_on(notice, chosen.day),
        overdue=summary.requests_overdue_on(notice, chosen.day),
        referred=summary.referred_open_on(notice, chosen.day),
    )


@bp.route("/<int:notice_id>/summary.<any(docx, pdf):file_format>")
@allow(*WORKERS)
def summary_download(notice_id: int, file_format: str):
    notice = find_or_404(InspectionNotice, notice_id)
    days, chosen = _summaries(notice)
    return document_download(
        daily_summary_report.document(notice, current_user.council.name, days, chosen), file_format
    )


@bp.route("/<int:notice_id>/report", methods=["GET", "POST"])
@allow(*SENIOR_LEADERS)
def published_report(notice_id: int):
    notice = find_or_404(InspectionNotice, notice_id)
    framework = framework_of(current_user.council)
    areas = report.graded_areas(framework)
    graded = notice.kind in report.GRADED_KINDS
    saved = {
        "published_on": notice.published_on,
        "version": str(notice.version),
        **{f"grade_{area_id}": grade for area_id, grade in (notice.actual_grades or {}).items()},
    }
    form = report_form(framework, areas, data=None if request.method == "POST" else saved, graded=graded)

    def grades() -> dict[str, str]:
        return {area.id: form[f"grade_{area.id}"].data or "" for area in areas} if graded else {}

    if valid(form, lambda: report.check_report(notice, framework, form.published_on.data, grades(), clock.today())):
        with errors_on(form, saved=lambda: saved):
            report.record_report(notice, framework, form.published_on.data, grades(), clock.today(), version_of(form))
            flash("The published report is recorded.", "success")
            return redirect(url_for("inspection_workspace.show", notice_id=notice.id, _anchor="report"))
    grade_fields = [form[f"grade_{area.id}"] for area in areas] if graded else []
    return render_template(
        "inspection_workspace/report.html", form=form, notice=notice, grade_fields=grade_fields, graded=graded
    )
