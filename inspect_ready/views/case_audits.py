"""Case file audits: the summary, recording and moderating an audit, escalations, imports."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovSelect,
    GovTextArea,
)
from wtforms import (
    SelectChoice,
    SelectField,
    TextAreaField,
)

from councils import accounts, clock
from councils.models import Role
from evidence.case_audits import audit_import, audits
from evidence.case_audits.audit_summary import load_summary
from evidence.case_audits.audit_templates import (
    FOUR_POINT,
    AuditTemplate,
    all_templates,
    default_template,
    find_template,
)
from evidence.case_audits.audits import AuditInput
from evidence.case_audits.case_type_areas import default_areas
from evidence.case_audits.models import CaseAudit, CaseType, Escalation
from evidence.library import items
from evidence.library.items import EvidenceError
from inspect_ready import confirmations, once, previews
from inspect_ready.forms.case_audits import (
    AuditForm,
    EscalateForm,
    ImportForm,
    ModerationForm,
    ResolveForm,
)
from inspect_ready.forms.fields import area_choices, grade_choices, people_choices
from inspect_ready.forms.validators import DataRequired
from inspect_ready.pages import find_or_404, page_of
from inspect_ready.permissions import allow, allow_council_staff, may_use
from inspect_ready.sorting import DESCENDING, Column, date_column, sort_of, text_column
from inspect_ready.transactions import errors_flashed, errors_on, valid

bp = Blueprint("audits", __name__, url_prefix="/audits")
AUDITORS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)
YES_NO_CHOICES = [
    SelectChoice("", "Choose an answer"),
    SelectChoice("yes", "Yes"),
    SelectChoice("no", "No"),
    SelectChoice("not_applicable", "Not applicable"),
]
IMPORT_KIND = "case_audits"
# The columns of the list of audits people sort by to compare them (audits.SORTS orders them).
SORTS = {
    "case": text_column("Case"),
    "case_type": text_column("Case type"),
    "team": text_column("Team"),
    "date": date_column("Date"),
    "grade": Column("Grade", DESCENDING, "best first", "worst first"),
}


def audit_form_class(template: AuditTemplate, framework) -> type[AuditForm]:
    """A form with a grade and a comment for each of the template's questions."""

    class TemplateAuditForm(AuditForm):
        pass

    for question in template.questions:
        choices = grade_choices(framework, blank="Choose a grade") if question.scale == FOUR_POINT else YES_NO_CHOICES
        setattr(
            TemplateAuditForm,
            f"answer_{question.id}",
            SelectField(
                question.text,
                widget=GovSelect(),
                choices=choices,
                description=question.guidance,
                validators=[DataRequired("Answer the question: " + question.text)],
            ),
        )
        setattr(TemplateAuditForm, f"comment_{question.id}", TextAreaField("Comment", widget=GovTextArea()))
    return TemplateAuditForm


def _framework():
    return items.framework_of(current_user.council)


@bp.route("/")
@allow_council_staff
def index():
    framework = _framework()
    sort = sort_of(SORTS, "date")
    recent = page_of(audits.recent_audits(framework, sort.key, sort.descending), 25)
    open_escalations = audits.open_escalations()
    return render_template(
        "audits/index.html",
        summary=load_summary(framework),
        recent=recent,
        sort=sort,
        framework=framework,
        open_escalations=open_escalations,
        templates=all_templates(),
    )


@bp.route("/new", methods=["GET", "POST"])
@allow(*AUDITORS)
def new():
    framework = _framework()
    template = find_template(request.args.get("template", "")) or default_template()
    form = audit_form_class(template, framework)()
    form.areas.choices = area_choices(framework, criteria=False)
    form.overall_grade.choices = grade_choices(framework, blank="Choose a grade")
    form.prepare_owners()
    if request.method == "GET":
        form.auditor.data = current_user.name
        form.audit_date.data = clock.today()
        if request.args.get("case_type") in {t.value for t in CaseType}:
            form.case_type.data = request.args["case_type"]
        form.areas.data = default_areas(framework, form.case_type.data or CaseType.CHILD_IN_NEED.value)
    elif form.tick_areas.data:
        form.areas.data = default_areas(framework, form.case_type.data)
        return render_template(
            "audits/new.html", form=form, template=template, templates=all_templates(), areas_ticked=True
        )
    if (page := once.sent_before(form)) is not None:
        return page
    today = clock.today()
    if valid(form, lambda: audits.check_audit(_audit_input(form, template), template, framework, today)):
        data = _audit_input(form, template)
        with errors_on(form):
            audit = audits.record_audit(data, template, framework, today, current_user._get_current_object())
            once.made(form, url_for("audits.detail", audit_id=audit.id), f"the audit of case {audit.case_reference}")
            flash("Audit saved" + (" and the case escalated." if data.escalation else "."), "success")
            return redirect(url_for("audits.detail", audit_id=audit.id))
    return render_template("audits/new.html", form=form, template=template, templates=all_templates())


def _audit_input(form, template) -> AuditInput:
    return AuditInput(
        case_reference=form.case_reference.data or "",
        case_type=form.case_type.data or "",
        team=form.team.data or "",
        worker=form.worker.data or "",
        auditor=form.auditor.data or "",
        audit_date=form.audit_date.data,
        overall_grade=form.overall_grade.data or "",
        areas=list(form.areas.data or []),
        comment=form.comment.data or "",
        answers={q.id: (form[f"answer_{q.id}"].data, form[f"comment_{q.id}"].data or "") for q in template.questions},
        escalation=form.escalation_input() if form.escalate.data else None,
    )


def _moderators(audit: CaseAudit) -> list:
    """Who may moderate the audit: the council's active people whose role may use the
    moderation page, less the auditor (moderation is a second auditor's)."""
    auditor = audit.auditor.strip().lower()
    return [p for p in accounts.people() if may_use(p, moderate) and p.name.strip().lower() != auditor]


def _detail_forms(framework, audit: CaseAudit):
    moderation = ModerationForm(prefix="moderation")
    moderation.grade.choices = grade_choices(framework, blank="Choose a grade")
    moderation.moderator.choices = people_choices(_moderators(audit), "Choose the moderator", with_role=True)
    escalate = EscalateForm(prefix="escalate")
    escalate.prepare_owners()
    return moderation, escalate


def _render_detail(audit: CaseAudit, moderation=None, escalate=None, errors=None, status=200):
    framework = _framework()
    default_moderation, default_escalate = _detail_forms(framework, audit)
    template = find_template(audit.template_id)
    return render_template(
        "audits/detail.html",
        audit=audit,
        framework=framework,
        template=template,
        moderation=moderation or default_moderation,
        escalate=escalate or default_escalate,
        resolve=ResolveForm(prefix="resolve"),
        errors=errors or [],
    ), status


@bp.route("/<int:audit_id>")
@allow_council_staff
def detail(audit_id: int):
    return _render_detail(find_or_404(CaseAudit, audit_id))


def _errors_of(form: FlaskForm) -> list[dict]:
    return [
        {"text": message, "href": f"#{form[name].id}"} for name, messages in form.errors.items() for message in messages
    ]


@bp.route("/<int:audit_id>/moderate", methods=["POST"])
@allow(*AUDITORS)
def moderate(audit_id: int):
    audit = find_or_404(CaseAudit, audit_id)
    moderation, _ = _detail_forms(_framework(), audit)
    if moderation.validate_on_submit():
        chosen = next((p for p in _moderators(audit) if str(p.id) == moderation.moderator.data), None)
        with errors_on(moderation):
            audits.moderate(
                audit,
                chosen,
                moderation.agreed.data == "yes",
                moderation.grade.data or None,
                moderation.reason.data or "",
                _framework(),
            )
            flash("Moderation saved.", "success")
            return redirect(url_for("audits.detail", audit_id=audit.id))
    return _render_detail(audit, moderation=moderation, errors=_errors_of(moderation), status=400)


@bp.route("/<int:audit_id>/escalations", methods=["POST"])
@allow(*AUDITORS)
def escalate(audit_id: int):
    audit = find_or_404(CaseAudit, audit_id)
    _, form = _detail_forms(_framework(), audit)
    if valid(form, lambda: audits.check_escalation(form.escalation_input(), audit.audit_date)):
        with errors_on(form):
            audits.raise_escalation(audit, form.escalation_input())
            flash("The case has been escalated.", "success")
            return redirect(url_for("audits.detail", audit_id=audit.id))
    return _render_detail(audit, escalate=form, errors=_errors_of(form), status=400)


@bp.route("/escalations/<int:escalation_id>/resolve", methods=["POST"])
@allow(*AUDITORS)
def resolve(escalation_id: int):
    escalation = find_or_404(Escalation, escalation_id)
    form = ResolveForm(prefix="resolve")
    error_text = None
    if form.validate_on_submit():
        if not confirmations.confirmed():
            audit = escalation.audit
            return confirmations.page(
                title=f"Resolve the escalation about case {audit.case_reference}",
                final=[
                    f"The escalation is recorded as resolved, with the action taken: {form.action_taken.data.strip()}",
                    "It leaves the open escalations on the home page and cannot be reopened: a new concern "
                    "about the child is a new escalation.",
                ],
                button="Resolve the escalation",
                back=url_for("audits.detail", audit_id=audit.id),
                problems=confirmations.refusals(lambda: audits.check_resolution(escalation, form.action_taken.data)),
            )
        with errors_on(form):
            audits.resolve_escalation(escalation, form.action_taken.data)
            flash("Escalation resolved.", "success")
            back_home = request.form.get("next") == "home"
            return redirect(
                url_for("home.index") if back_home else url_for("audits.detail", audit_id=escalation.case_audit_id)
            )
    error_text = next(iter(form.action_taken.errors), "Record the action taken to keep the child safe")
    return _render_detail(
        escalation.audit, errors=[{"text": error_text, "href": f"#resolve-action_taken-{escalation.id}"}], status=400
    )


# Importing ----------------------------------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
@allow(*AUDITORS)
def import_audits():
    form = ImportForm()
    template = default_template()
    if request.method == "POST":
        upload = request.files.get("file")
        rows, problems = [], []
        try:
            if not upload or not upload.filename:
                raise EvidenceError("Choose a CSV or XLSX file to import", "file")
            table = audit_import.read_table(upload.filename, upload.read())
            rows, problems = audit_import.check_rows(table, template, _framework(), clock.today())
        except EvidenceError as error:
            form.file.errors = [str(error)]
            return render_template("audits/import.html", form=form, template=template), 400
        if not problems:
            previews.keep(IMPORT_KIND, rows)
        return render_template(
            "audits/import_preview.html",
            rows=rows,
            problems=problems,
            filename=upload.filename,
            template=template,
            framework=_framework(),
            case_types={c.value: c.label for c in CaseType},
        )
    return render_template("audits/import.html", form=form, template=template)


@bp.route("/import/commit", methods=["POST"])
@allow(*AUDITORS)
def commit_import():
    rows = previews.take(IMPORT_KIND)
    if rows is None:
        flash("The checked file has expired. Upload it again.", "error")
        return redirect(url_for("audits.import_audits"))
    with errors_flashed("Nothing was imported: "):
        count = audit_import.commit_rows(
            rows, default_template(), _framework(), clock.today(), current_user._get_current_object()
        )
        flash(f"{count} audits imported.", "success")
        return redirect(url_for("audits.index"))
    return redirect(url_for("audits.import_audits"))


@bp.route("/import/template.xlsx")
@allow_council_staff
def import_template():
    content = audit_import.template_workbook(default_template())
    return current_app.response_class(
        content,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": "attachment; filename=case-audit-import-template.xlsx"},
    )
