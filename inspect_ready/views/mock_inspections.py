"""Mock inspections: the sample, the grading workspace per judgement, the outcome, its gaps."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import (
    SelectChoice,
)

from councils import clock
from councils.errors import InputError
from councils.models import Role
from councils.tenancy import find
from evidence.case_audits.case_type_areas import default_areas
from evidence.library.items import framework_of
from evidence.mock_inspections import inspections, sample_import
from evidence.mock_inspections.case_sample import AGE_BANDS, CASE_TYPES, ETHNICITIES, GENDERS
from evidence.mock_inspections.comparison import compare
from evidence.mock_inspections.outcome import outcome_content
from evidence.reviews import setup
from evidence.reviews.models import ReviewKind
from evidence.themes import filter_themes
from evidence.why_the_grade import why_the_grade
from inspect_ready import confirmations, once, outcome_report, previews, review_report
from inspect_ready.documents.download import document_download
from inspect_ready.extensions import htmx
from inspect_ready.forms.fields import grade_choices, version_of
from inspect_ready.forms.mock_inspections import (
    GradeForm,
    NewMockInspectionForm,
    NewTrackedCaseForm,
    SampleImportForm,
    TrackedCaseForm,
    grade_data,
)
from inspect_ready.pages import page_of_list
from inspect_ready.permissions import allow, allow_signed_in
from inspect_ready.review_access import Level, ReviewAccess, review_page
from inspect_ready.transactions import errors_flashed, errors_on, roll_back, show_error, valid
from inspect_ready.views.gaps import (
    THEMES_PER_PAGE,
    export_themes,
    linked_actions,
    render_theme,
    theme_filters,
    themes_for,
)
from judgement_framework import list_frameworks, load_framework
from judgement_framework.gaps import KIND_LABELS, KINDS

bp = Blueprint("mock_inspections", __name__, url_prefix="/mock-inspections")
LEADERS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)


@bp.route("/")
@allow(*LEADERS)
def index():
    recorded = inspections.recorded_outcomes()
    return render_template(
        "mock_inspections/index.html",
        inspections=inspections.mock_inspections(),
        recorded=recorded,
        frameworks_by_id={s.id: s for s in list_frameworks()},
    )


@bp.route("/new", methods=["GET", "POST"])
@allow(Role.SENIOR_LEADER)
def new():
    form = NewMockInspectionForm()
    form.framework_id.choices = [SelectChoice(s.id, s.title) for s in list_frameworks()]
    if request.method == "GET":
        form.framework_id.data = current_user.council.framework_id
    if (page := once.sent_before(form)) is not None:
        return page
    fields = setup.ReviewFields(
        title=form.title.data or "",
        kind=ReviewKind.MOCK_INSPECTION,
        scope_area_ids=[],
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        lead_id=current_user.id,
    )
    chosen = next((s.id for s in list_frameworks() if s.id == form.framework_id.data), None)
    if valid(form, lambda: setup.check_review(fields, load_framework(chosen)) if chosen else None):
        with errors_on(form):
            review = setup.create_review(fields, load_framework(form.framework_id.data))
            once.made(
                form, url_for("mock_inspections.show", inspection_id=review.id), f"the mock inspection ‘{review.title}’"
            )
            flash("Mock inspection started. Add the team, the key lines of enquiry and the case sample.", "success")
            return redirect(url_for("mock_inspections.show", inspection_id=review.id))
    return render_template("mock_inspections/new.html", form=form)


@bp.route("/<int:inspection_id>")
@allow_signed_in
@review_page(Level.READ)
def show(inspection_id: int, access: ReviewAccess):
    result = inspections.grading(access.review, access.review.council)
    cases = inspections.sample_of(access.review)
    return render_template(
        "mock_inspections/show.html",
        access=access,
        review=access.review,
        result=result,
        cases=cases,
        shortfalls=inspections.sample_shortfalls(cases),
    )


def _case_form(form: TrackedCaseForm, framework, teams: list[str]) -> TrackedCaseForm:
    """The sample's form with the council's choices: its audited teams (typed when it has none)."""
    form.area_ids.choices = [SelectChoice(a.id, a.title) for a in framework.areas if a.kind != "overall"]
    form.team.choices = [SelectChoice("", "Choose")] + [SelectChoice(t, t) for t in teams]
    return form


def _case_fields(form: TrackedCaseForm) -> inspections.CaseFields:
    return inspections.CaseFields(
        reference=form.reference.data or "",
        age_band=form.age_band.data or "",
        case_type=form.case_type.data or "",
        team=form.team.data or "",
        ethnicity=form.ethnicity.data or "",
        disability=form.disability.data,
        gender=form.gender.data or "",
        area_ids=form.area_ids.data or [],
    )


@bp.route("/<int:inspection_id>/sample", methods=["GET", "POST"])
@allow_signed_in
@review_page(Level.READ, post=Level.CONTRIBUTE)
def sample(inspection_id: int, access: ReviewAccess):
    framework = framework_of(access.review)
    teams = inspections.council_teams()
    form = _case_form(NewTrackedCaseForm(), framework, teams)
    if (page := once.sent_before(form)) is not None:
        return page
    if valid(form, lambda: inspections.checked_case(_case_fields(form), framework, teams)):
        with errors_on(form):
            case = inspections.add_tracked_case(access.review, _case_fields(form), framework, teams=teams)
            once.made(
                form,
                url_for("mock_inspections.edit_case", inspection_id=inspection_id, case_id=case.id),
                f"the case {case.reference} in the sample",
            )
            flash("Case added to the sample.", "success")
            return redirect(url_for("mock_inspections.sample", inspection_id=inspection_id))
    cases = inspections.sample_of(access.review)
    return render_template(
        "mock_inspections/sample.html",
        access=access,
        fixed=access.review.status in inspections.FINISHED,
        review=access.review,
        form=form,
        teams=teams,
        cases=cases,
        shortfalls=inspections.sample_shortfalls(cases),
        framework=framework,
    )


def _tracked_case(access: ReviewAccess, case_id: int):
    case = find(inspections.TrackedCase, case_id)
    if case is None or case.review_id != access.review.id:
        abort(404)
    return case


@bp.route("/<int:inspection_id>/sample/<int:case_id>/edit", methods=["GET", "POST"])
@allow_signed_in
@review_page(Level.CONTRIBUTE)
def edit_case(inspection_id: int, case_id: int, access: ReviewAccess):
    case = _tracked_case(access, case_id)
    framework = framework_of(access.review)
    teams = inspections.council_teams()
    form = _case_form(TrackedCaseForm(obj=case), framework, teams)
    form.submit.label.text = "Save the case"
    if case.ethnicity and case.ethnicity not in ETHNICITIES:
        # Typed before the list: shown as it was, so saving never quietly clears it, and
        # refused until one of the census categories is chosen.
        form.ethnicity.choices = list(form.ethnicity.choices) + [
            SelectChoice(case.ethnicity, f"{case.ethnicity} (typed before the list: choose a category)")
        ]
    if valid(form, lambda: inspections.checked_case(_case_fields(form), framework, teams)):
        with errors_on(form):
            inspections.change_tracked_case(access.review, case, _case_fields(form), framework)
            flash(f"{case.reference} saved.", "success")
            return redirect(url_for("mock_inspections.sample", inspection_id=inspection_id))
    return render_template(
        "mock_inspections/sample_edit.html",
        review=access.review,
        case=case,
        form=form,
        teams=teams,
        fixed=access.review.status in inspections.FINISHED,
    )


def _sample_import_kind(inspection_id: int) -> str:
    return f"sample-{inspection_id}"


@bp.route("/<int:inspection_id>/sample/import", methods=["GET", "POST"])
@allow_signed_in
@review_page(Level.CONTRIBUTE)
def import_sample(inspection_id: int, access: ReviewAccess):
    form = SampleImportForm()
    fixed = access.review.status in inspections.FINISHED
    if request.method == "POST" and form.validate_on_submit():
        upload = request.files.get("file")
        pasted = form.pasted.data or ""
        try:
            inspections.check_sample_open(access.review)
            # A file or pasted rows, then the same checks, preview and all-or-nothing confirm.
            if upload and upload.filename and pasted.strip():
                raise inspections.MockInspectionError("Upload a file or paste the rows, not both", "pasted")
            if upload and upload.filename:
                table, first_row, source = sample_import.read_table(upload.filename, upload.read()), 2, upload.filename
            elif pasted.strip():
                (table, first_row), source = sample_import.read_pasted(pasted), None
            else:
                raise inspections.MockInspectionError("Choose a CSV or XLSX file, or paste the rows", "file")
            already = {c.reference for c in inspections.sample_of(access.review)}
            rows, problems = sample_import.check_rows(
                table, framework_of(access.review), inspections.council_teams(), already, first_row
            )
        except InputError as error:
            show_error(form, error)
            return render_template("mock_inspections/sample_import.html", form=form, review=access.review), 400
        if not problems:
            previews.keep(_sample_import_kind(inspection_id), rows)
        return render_template(
            "mock_inspections/sample_import_preview.html",
            review=access.review,
            rows=rows,
            problems=problems,
            filename=source,
            case_types=CASE_TYPES,
        )
    return render_template("mock_inspections/sample_import.html", form=form, review=access.review, fixed=fixed)


@bp.route("/<int:inspection_id>/sample/import/confirm", methods=["POST"])
@allow_signed_in
@review_page(Level.CONTRIBUTE)
def confirm_sample_import(inspection_id: int, access: ReviewAccess):
    rows = previews.take(_sample_import_kind(inspection_id))
    if rows is None:
        flash("The checked file has expired. Upload it again.", "error")
        return redirect(url_for("mock_inspections.import_sample", inspection_id=inspection_id))
    with errors_flashed("Nothing was imported: "):
        count = inspections.add_tracked_cases(
            access.review,
            [inspections.CaseFields(**row) for row in rows],
            framework_of(access.review),
            "tracked_case.imported",
        )
        flash(f"{count} case{'s' if count != 1 else ''} added to the sample.", "success")
        return redirect(url_for("mock_inspections.sample", inspection_id=inspection_id))
    return redirect(url_for("mock_inspections.import_sample", inspection_id=inspection_id))


@bp.route("/<int:inspection_id>/sample/import/template.csv")
@allow_signed_in
@review_page(Level.READ)
def sample_import_template(inspection_id: int, access: ReviewAccess):
    return current_app.response_class(
        sample_import.template_csv(inspections.council_teams()),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=case-sample-template.csv"},
    )


@bp.route("/<int:inspection_id>/sample/from-audits", methods=["GET", "POST"])
@allow_signed_in
@review_page(Level.CONTRIBUTE)
def sample_from_audits(inspection_id: int, access: ReviewAccess):
    """Choose audited cases for the sample: the audit gives the reference, kind of case and
    team; the person gives what an audit does not hold (age, gender, ethnicity, disability)."""
    review = access.review
    framework = framework_of(review)
    audited = inspections.audited_cases_not_in_sample(review)
    chosen, errors, values = [], [], {}
    if request.method == "POST":
        chosen = [a for a in audited if str(a.id) in request.form.getlist("audit_ids")]
        try:
            inspections.check_sample_open(review)
        except InputError as error:
            errors.append({"text": str(error), "href": "#audit_ids"})
            chosen = []
        if not chosen and not errors:
            errors.append({"text": "Choose at least one audited case to add", "href": "#audit_ids"})
        rows = []
        for audit in chosen:
            row = {
                name: request.form.get(f"{name}-{audit.id}", "")
                for name in ("age_band", "gender", "ethnicity", "disability")
            }
            values[audit.id] = row
            fields = inspections.CaseFields(
                reference=audit.case_reference,
                age_band=row["age_band"],
                case_type=audit.case_type.value,
                team=audit.team,
                ethnicity=row["ethnicity"],
                disability=row["disability"].lower() == "yes",
                gender=row["gender"],
                area_ids=default_areas(framework, audit.case_type.value),
            )
            rows.append(fields)
            try:
                inspections.checked_case(fields, framework, inspections.council_teams())
            except InputError as error:
                field = getattr(error, "field", "") or "age_band"
                errors.append({"text": f"{audit.case_reference}: {error}", "href": f"#{field}-{audit.id}"})
        if not errors:
            with errors_flashed("Nothing was added: "):
                count = inspections.add_tracked_cases(review, rows, framework, "tracked_case.from_audits")
                flash(f"{count} audited case{'s' if count != 1 else ''} added to the sample.", "success")
                return redirect(url_for("mock_inspections.sample", inspection_id=inspection_id))
            return redirect(url_for("mock_inspections.sample_from_audits", inspection_id=inspection_id))
    return render_template(
        "mock_inspections/sample_from_audits.html",
        review=review,
        audited=audited,
        chosen={a.id for a in chosen},
        values=values,
        errors=errors,
        fixed=review.status in inspections.FINISHED,
        age_bands=AGE_BANDS,
        genders=GENDERS,
        ethnicities=ETHNICITIES,
        case_types=CASE_TYPES,
    ), (400 if errors else 200)


@bp.route("/<int:inspection_id>/sample/<int:case_id>/remove", methods=["POST"])
@allow_signed_in
@review_page(Level.MANAGE)
def remove_case(inspection_id: int, case_id: int, access: ReviewAccess):
    case = _tracked_case(access, case_id)
    sample_page = url_for("mock_inspections.sample", inspection_id=inspection_id)
    if not confirmations.confirmed() and _sample_open(access.review):
        return confirmations.page(
            title=f"Remove {case.reference} from the sample",
            final=[
                f"{case.reference} ({case.age_band}, {CASE_TYPES.get(case.case_type, case.case_type).lower()}, "
                f"{case.team}) leaves the case tracking sample, with what was recorded about the child.",
                "To track the case again, add it again.",
            ],
            button="Remove the case",
            back=sample_page,
        )
    with errors_flashed():
        inspections.remove_tracked_case(access.review, case)
        flash(f"{case.reference} removed from the sample.", "success")
    return redirect(url_for("mock_inspections.sample", inspection_id=inspection_id))


def _sample_open(review) -> bool:
    """Whether the sample can still change; when not, a removal is refused as it is asked,
    with no confirmation first."""
    try:
        inspections.check_sample_open(review)
    except InputError:
        return False
    return True


def _area(framework, area_id: str):
    area = framework.area_by_id.get(area_id)
    if area is None:
        abort(404)
    return area


@bp.route("/<int:inspection_id>/judgements/<area_id>", methods=["GET", "POST"])
@allow_signed_in
@review_page(Level.READ, post=Level.CONTRIBUTE)
def judgement(inspection_id: int, area_id: str, access: ReviewAccess):
    review = access.review
    framework = framework_of(review)
    area = _area(framework, area_id)
    saved_proposal = lambda: grade_data(inspections.own_proposal(review, area.id, current_user.id))  # noqa: E731
    saved_final = lambda: grade_data(inspections.final_grade(review, area.id))  # noqa: E731
    initial = request.method == "GET"
    proposal_form = GradeForm(prefix="propose", data=saved_proposal() if initial else None)
    moderation_form = GradeForm(prefix="moderate", data=saved_final() if initial else None)
    for form in (proposal_form, moderation_form):
        form.grade.choices = grade_choices(framework)
    action = request.form.get("action")
    if request.method == "POST":
        form = moderation_form if action == "moderate" else proposal_form
        # Each of the page's two forms is for some of those who contribute: the final grade
        # for those managing, a proposal for the reviewers on the team.
        if action == "moderate" and not access.manages:
            abort(403)
        if action != "moderate" and not access.is_reviewer:
            abort(403)
        if form.validate_on_submit():
            step = inspections.moderate if action == "moderate" else inspections.propose_grade
            with errors_on(form, saved=saved_final if action == "moderate" else saved_proposal):
                step(
                    review,
                    framework,
                    area.id,
                    current_user._get_current_object(),
                    form.grade.data or "",
                    form.rationale.data or "",
                    version=version_of(form),
                )
                flash("Final grade saved." if action == "moderate" else "Your proposed grade is saved.", "success")
                return redirect(url_for("mock_inspections.judgement", inspection_id=inspection_id, area_id=area.id))
    result = inspections.grading(review, review.council)
    errors_form = moderation_form if action == "moderate" else proposal_form
    return render_template(
        "mock_inspections/judgement.html",
        access=access,
        review=review,
        framework=framework,
        area=area,
        result=result,
        evidence=result.evidence.area(area.id),
        proposal_form=proposal_form,
        moderation_form=moderation_form,
        form=errors_form if request.method == "POST" else None,
        kloes=[k for k in setup.kloes_with_findings(review) if area.id in k.area_ids],
        cases=[c for c in inspections.sample_of(review) if area.id in c.area_ids],
        case_types=CASE_TYPES,
        why=why_the_grade(framework, area.id, result.evidence, result.signals),
    )


@bp.route("/<int:inspection_id>/outcome", methods=["GET", "POST"])
@allow_signed_in
@review_page(Level.READ, post=Level.MANAGE)
def outcome(inspection_id: int, access: ReviewAccess):
    review = access.review
    errors = []
    if request.method == "POST" and request.form.get("step") == "record" and not confirmations.confirmed():
        return _confirm_recording(review)
    if request.method == "POST":
        errors = _outcome_step(review)
        if not errors:
            return redirect(url_for("mock_inspections.outcome", inspection_id=inspection_id))
    result = inspections.grading(review, review.council)
    themes = _themes(result)
    return render_template(
        "mock_inspections/outcome.html",
        access=access,
        review=review,
        result=result,
        errors=errors,
        **outcome_content(review, themes),
    )


def _confirm_recording(review) -> str:
    """What recording the outcome makes final, before it is recorded."""
    result = inspections.grading(review, review.council)
    framework = result.framework
    grades = {g.id: g.label for g in framework.grades}
    finals = "; ".join(
        f"{area.title}: {grades.get(result.final_grade(area.id), 'not graded')}"
        for area in framework.areas
        if result.final_grade(area.id)
    )
    return confirmations.page(
        title=f"Record the outcome of {review.title}",
        final=[
            f"These final grades become the mock inspection's outcome: {finals}.",
            "The mock inspection is marked reported and grading closes: no grade, presumption or case in the "
            "sample can change after this.",
            f"The outcome is kept as it stands today, {clock.today():%-d %B %Y}, with its gap list, for comparing "
            "with later mock inspections. It cannot be recorded again.",
        ],
        button="Record the outcome",
        back=url_for("mock_inspections.outcome", inspection_id=review.id),
        problems=[str(problem) for problem in inspections.recording_problems(review, result)],
    )


def _outcome_step(review) -> list[dict]:
    """Set aside or restore a presumption, or record the outcome; errors for the summary."""
    framework = framework_of(review)
    step = request.form.get("step")
    try:
        if step == "set_aside":
            inspections.set_aside(
                review,
                framework,
                request.form.get("rule_id", ""),
                request.form.get("reason", ""),
                current_user._get_current_object(),
            )
            message = "The presumption is set aside, with your reason recorded."
        elif step == "restore":
            inspections.withdraw_set_aside(review, request.form.get("rule_id", ""))
            message = "The presumption applies again."
        elif step == "record":
            inspections.record_outcome(
                review, inspections.grading(review, review.council), current_user._get_current_object()
            )
            message = "Outcome recorded. It is kept as it stands today, for comparing with later mock inspections."
        else:
            abort(400)
    except InputError as error:
        roll_back()  # the outcome page is shown again, with the refusal, as it was saved
        return [{"text": str(error), "href": "#reason" if step == "set_aside" else "#record"}]
    flash(message, "success")
    return []


@bp.route("/<int:inspection_id>/outcome.<any(docx, pdf):file_format>")
@allow_signed_in
@review_page(Level.READ)
def outcome_download(inspection_id: int, access: ReviewAccess, file_format: str):
    review = access.review
    result = inspections.grading(review, review.council)
    themes = _themes(result)
    content = outcome_content(review, themes)
    document = outcome_report.document(
        review, result, content["improve"], content["top_themes"], content["theme_count"]
    )
    return document_download(document, file_format)


@bp.route("/<int:inspection_id>/gaps")
@allow_signed_in
@review_page(Level.READ)
def gaps(inspection_id: int, access: ReviewAccess):
    review = access.review
    result = inspections.grading(review, review.council)
    filters, args, errors = theme_filters(result.framework, service_area=False)
    themes = filter_themes(_themes(result), filters)
    page = page_of_list(themes, THEMES_PER_PAGE)
    template = "mock_inspections/_gaps.html" if htmx else "mock_inspections/gaps.html"
    return render_template(
        template,
        access=access,
        review=review,
        framework=result.framework,
        page=page,
        gap_total=sum(len(t.gaps) for t in themes),
        linked=linked_actions(page.items),
        filters=filters,
        args=args,
        errors=errors,
        kinds=KINDS,
        kind_labels=KIND_LABELS,
        list_endpoint="mock_inspections.gaps",
        theme_endpoint="mock_inspections.theme",
        endpoint_args={"inspection_id": review.id},
    )


@bp.route("/<int:inspection_id>/gaps/themes/<theme_id>")
@allow_signed_in
@review_page(Level.READ)
def theme(inspection_id: int, theme_id: str, access: ReviewAccess):
    result = inspections.grading(access.review, access.review.council)
    found = next((t for t in _themes(result) if t.id == theme_id), None)
    if found is None:
        abort(404)
    back = ("mock_inspections.gaps", {"inspection_id": inspection_id})
    return render_theme(found, result.framework, result.signals, back=back, action_args={"review": inspection_id})


def _themes(result):
    """The mock inspection's themes: a judgement with a final grade has settled any reviewer's
    grade apart from the evidence, so those gaps are closed."""
    return themes_for(result.framework, result.evidence, result.signals, closed_areas=set(result.moderated))


@bp.route("/<int:inspection_id>/gaps.<any(csv, xlsx):file_format>")
@allow_signed_in
@review_page(Level.READ)
def gaps_export(inspection_id: int, file_format: str, access: ReviewAccess):
    result = inspections.grading(access.review, access.review.council)
    name = f"{review_report.file_name(access.review).removesuffix('-report')}-gaps"
    return export_themes(file_format, name, result.framework, _themes(result), result.signals)


@bp.route("/compare")
@allow(*LEADERS)
def compare_outcomes():
    recorded = {str(r.review_id): r for r in inspections.recorded_outcomes()}
    earlier, later = recorded.get(request.args.get("earlier", "")), recorded.get(request.args.get("later", ""))
    errors = []
    if request.args and (earlier is None or later is None):
        errors.append({"text": "Choose two mock inspections whose outcomes have been recorded", "href": "#earlier"})
    comparison = None
    if earlier and later:
        grade_order = [g.id for g in load_framework(later.data["framework_id"]).grades]
        comparison = compare(earlier.data, later.data, grade_order)
    return render_template(
        "mock_inspections/compare.html",
        recorded=list(recorded.values()),
        earlier=earlier,
        later=later,
        comparison=comparison,
        errors=errors,
        framework=framework_of(current_user.council),
    )
