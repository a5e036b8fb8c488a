"""The self-evaluation for Ofsted: a senior leader starts the year's, drafted from the evidence;
the leadership team edits and agrees each section (autosaved through htmx, a plain post
without it); the director signs it off; the years are compared; it downloads as Word and PDF."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from councils import clock
from councils.models import Role
from councils.versions import StaleSave
from evidence.library.items import framework_of
from evidence.self_evaluation import self_evaluations
from evidence.self_evaluation.drafting import QUESTIONS
from evidence.self_evaluation.models import SelfEvaluation, SelfEvaluationSection
from evidence.self_evaluation.self_evaluations import SelfEvaluationError
from inspect_ready import confirmations, once, self_evaluation_report, stale_saves
from inspect_ready.documents.download import document_download
from inspect_ready.extensions import htmx
from inspect_ready.forms.fields import version_of
from inspect_ready.forms.self_evaluation import SectionForm, SignOffForm, StartForm, section_data
from inspect_ready.pages import find_or_404, signal_url
from inspect_ready.permissions import allow
from inspect_ready.transactions import errors_flashed, errors_on, roll_back, show_error, valid
from judgement_framework import load_framework

bp = Blueprint("self_evaluation", __name__, url_prefix="/self-evaluation")
LEADERS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)
# The director signs off; in the app, a senior leader.
DIRECTOR = (Role.SENIOR_LEADER,)


@bp.route("/")
@allow(*LEADERS)
def index():
    found = self_evaluations.all_self_evaluations()
    this_year = self_evaluations.year_of(clock.today())
    return render_template(
        "self_evaluation/index.html",
        self_evaluations=found,
        has_this_year=any(s.year_starting == this_year for s in found),
        may_start=current_user.role in DIRECTOR,
    )


@bp.route("/new", methods=["GET", "POST"])
@allow(*DIRECTOR)
def new():
    framework = framework_of(current_user.council)
    form = StartForm()
    form.fill_years(self_evaluations.year_of(clock.today()))
    if (page := once.sent_before(form)) is not None:
        return page
    if valid(form, lambda: self_evaluations.check_year(form.year_starting.data)):
        with errors_on(form):
            made = self_evaluations.start(
                current_user.council, framework, form.year_starting.data, by=current_user._get_current_object()
            )
            shown = url_for("self_evaluation.show", self_evaluation_id=made.id)
            once.made(form, shown, f"the self-evaluation for {made.year}")
            flash(
                f"Self-evaluation for {made.year} drafted from the evidence. Check and agree each section.", "success"
            )
            return redirect(shown)
    return render_template("self_evaluation/new.html", form=form, framework=framework)


@bp.route("/<int:self_evaluation_id>")
@allow(*LEADERS)
def show(self_evaluation_id: int):
    found = find_or_404(SelfEvaluation, self_evaluation_id)
    return _show_page(found)


def _show_page(found: SelfEvaluation, form: SignOffForm | None = None):
    form = form or SignOffForm(formdata=None, data={"version": str(found.version)})
    return render_template(
        "self_evaluation/show.html",
        self_evaluation=found,
        framework=_framework(found),
        judgements=self_evaluations.sections_by_judgement(found),
        questions=QUESTIONS,
        unagreed=len(self_evaluations.unagreed(found)),
        year_before=self_evaluations.year_before(found),
        form=form,
        may_sign_off=current_user.role in DIRECTOR,
    )


def _framework(found: SelfEvaluation):
    return load_framework(found.framework_id)


def _section_of(self_evaluation_id: int, section_id: int) -> SelfEvaluationSection:
    found = find_or_404(SelfEvaluation, self_evaluation_id)
    section = next((s for s in found.sections if s.id == section_id), None)
    if section is None:
        abort(404)
    return section


@bp.route("/<int:self_evaluation_id>/sections/<int:section_id>", methods=["GET", "POST"])
@allow(*LEADERS)
def section(self_evaluation_id: int, section_id: int):
    found = _section_of(self_evaluation_id, section_id)
    form = SectionForm(data=None if request.method == "POST" else section_data(found))
    if request.method == "POST":
        return _save(found, form)
    return _section_page(found, form)


def _section_page(found: SelfEvaluationSection, form: SectionForm, errors: list | None = None):
    """The section's page: its form while in draft; once signed off, its text alone."""
    return render_template(
        "self_evaluation/section.html",
        section=found,
        self_evaluation=found.self_evaluation,
        question=QUESTIONS[found.question],
        form=None if found.self_evaluation.signed_off else form,
        errors=errors,
        source_url=_source_url,
    )


def _source_url(record: str) -> str | None:
    """The page of a record a drafted sentence came from: an action's, or a signal's."""
    kind, _, number = record.partition(":")
    if kind == "action" and number.isdigit():
        return url_for("actions.show", action_id=int(number))
    return signal_url(record)


AGREE = {"agree": True, "unagree": False}


def _save(found: SelfEvaluationSection, form: SectionForm):
    """Autosave (htmx, the status line comes back) or a plain post (the page again, or the
    self-evaluation with a message); either way the version check first."""
    action = request.form.get("action")
    try:
        if not form.validate():
            raise SelfEvaluationError(next(iter(form.errors.values()))[0], next(iter(form.errors)))
        self_evaluations.save_section(
            found,
            form.text.data or "",
            version=version_of(form),
            by=current_user._get_current_object(),
            agreed=None if htmx else AGREE.get(action),
        )
    except StaleSave as stale:
        roll_back()
        if htmx:
            return render_template("self_evaluation/_save_status.html", conflict=True)
        stale_saves.show_both(form, stale, section_data(found))  # answered 409, both shown
        return _section_page(found, form)
    except SelfEvaluationError as error:
        roll_back()
        if htmx:
            return render_template("self_evaluation/_save_status.html", problem=str(error))
        if found.self_evaluation.signed_off:
            return _section_page(found, form, errors=[{"text": str(error)}]), 409
        show_error(form, error)
        return _section_page(found, form), 400
    if htmx:
        return render_template("self_evaluation/_save_status.html", section=found)
    words = {"agree": "Section saved and marked agreed.", "unagree": "Section saved and no longer marked agreed."}
    flash(words.get(action, "Section saved."), "success")
    if action in AGREE:
        return redirect(url_for("self_evaluation.show", self_evaluation_id=found.self_evaluation_id))
    return redirect(
        url_for("self_evaluation.section", self_evaluation_id=found.self_evaluation_id, section_id=found.id)
    )


@bp.route("/<int:self_evaluation_id>/sign-off", methods=["POST"])
@allow(*DIRECTOR)
def sign_off(self_evaluation_id: int):
    found = find_or_404(SelfEvaluation, self_evaluation_id)
    form = SignOffForm()
    back = url_for("self_evaluation.show", self_evaluation_id=found.id)
    if not form.validate():
        return _show_page(found, form), 400
    if not confirmations.confirmed():
        return confirmations.page(
            title=f"Sign off the self-evaluation for {found.year}",
            final=[
                f"The self-evaluation for {found.year} becomes the council's record for the year, signed off by you today.",
                "No section can be changed after it is signed off.",
            ],
            button="Sign off",
            back=back,
            problems=confirmations.refusals(lambda: self_evaluations.check_sign_off(found)),
        )
    with errors_flashed():
        self_evaluations.sign_off(found, version=version_of(form), by=current_user._get_current_object())
        flash(f"Self-evaluation for {found.year} signed off.", "success")
    return redirect(back)


@bp.route("/<int:self_evaluation_id>/compare")
@allow(*LEADERS)
def compare(self_evaluation_id: int):
    found = find_or_404(SelfEvaluation, self_evaluation_id)
    before = self_evaluations.year_before(found)
    rows = self_evaluations.compare(found, before) if before else []
    return render_template("self_evaluation/compare.html", self_evaluation=found, before=before, rows=rows)


@bp.route("/<int:self_evaluation_id>/download.<any(docx, pdf):file_format>")
@allow(*LEADERS)
def download(self_evaluation_id: int, file_format: str):
    found = find_or_404(SelfEvaluation, self_evaluation_id)
    document = self_evaluation_report.document(found, _framework(found))
    return document_download(document, file_format)
