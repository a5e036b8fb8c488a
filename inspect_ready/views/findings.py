"""Recording findings: a key line of enquiry's page, where the people assigned to it write
what they found. Drafts autosave through htmx; the same form works as a plain post."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import (
    SelectChoice,
)

from councils import clock
from councils.ids import record_id
from councils.versions import StaleSave
from evidence.library.child_names import named_child
from evidence.library.items import framework_of
from evidence.library.models import EvidenceKind, Leaning
from evidence.reviews import findings
from evidence.reviews.models import FindingStatus
from evidence.reviews.setup import ReviewError
from inspect_ready import once
from inspect_ready.extensions import htmx
from inspect_ready.forms.findings import FindingForm, ObservationForm
from inspect_ready.permissions import allow_signed_in
from inspect_ready.review_access import Level, ReviewAccess, refuse, review_page
from inspect_ready.transactions import errors_on, roll_back, show_error
from inspect_ready.views.library import send_attachment
from inspect_ready.views.reviews import find_kloe

bp = Blueprint("findings", __name__, url_prefix="/reviews/<int:review_id>/kloes/<int:kloe_id>")

NOT_ASSIGNED = (
    "You are not assigned to this key line of enquiry",
    "Only the people the lead assigned to it can record its finding. Nothing was saved.",
)
EVIDENCE_NOT_FOUND = (
    "Evidence not found",
    "The evidence is not in this review's scope, or does not exist. Nothing was saved.",
)
CLOSED_FOR_FINDINGS = (
    "Findings can no longer be changed",
    "The review has reported, so its findings are the record. Nothing was saved.",
)


def _form_for(kloe, framework) -> FindingForm:
    finding, data = kloe.finding, {"version": "0"}
    if finding:
        data = {name: getattr(finding, name) for name in ("strengths", "areas_for_development", "needs_to_improve")}
        data |= {
            "grade": finding.grade or "",
            "confidence": finding.confidence.value,
            "version": str(finding.version),
            "evidence_ids": [str(c.evidence_item_id) for c in finding.citations],
        }
    form = FindingForm(formdata=None, data=data)
    form.fill_choices(framework, kloe)
    return form


def _writable(access: ReviewAccess, kloe) -> None:
    """Who writes depends on the KLOE (its assigned people), not only on the review, so the
    writing routes are READ review pages that ask this of their KLOE."""
    if not access.review.is_open_for_findings:
        refuse(403, "finding.refused", "review_kloe", kloe.id, "the review has reported", CLOSED_FOR_FINDINGS)
    if not access.may_write(kloe):
        refuse(403, "finding.refused", "review_kloe", kloe.id, "not assigned to the key line of enquiry", NOT_ASSIGNED)


@bp.route("")
@allow_signed_in
@review_page(Level.READ)
def show(review_id: int, kloe_id: int, access: ReviewAccess):
    kloe = find_kloe(access.review, kloe_id)
    framework = framework_of(access.review)
    writable = access.may_write(kloe)
    form = _form_for(kloe, framework) if writable else None
    return _finding_page(access, kloe, framework, form, kloe.finding if access.sees_finding(kloe) else None)


def _finding_page(access, kloe, framework, form, finding, named=None, action=None):
    return render_template(
        "findings/show.html",
        access=access,
        review=access.review,
        kloe=kloe,
        framework=framework,
        form=form,
        finding=finding,
        named=named,
        action=action,
    )


TEXT_FIELDS = ("strengths", "areas_for_development", "needs_to_improve")


def _newly_named_child(form: FindingForm, saved) -> str | None:
    """Words of the finding that look like a child's name with an age or date of birth
    (child_names.named_child, as the observation form checks), unless the saved finding
    already holds them: the person confirmed those when they were saved, so autosave does
    not stop on them again."""
    for name in TEXT_FIELDS:
        named = named_child(getattr(form, name).data)
        if named and not (saved and named in (getattr(saved, name) or "")):
            return named
    return None


@bp.route("/finding", methods=["POST"])
@allow_signed_in
@review_page(Level.READ)  # then _writable, for the KLOE
def save(review_id: int, kloe_id: int, access: ReviewAccess):
    kloe = find_kloe(access.review, kloe_id)
    _writable(access, kloe)
    framework = framework_of(access.review)
    form = FindingForm()
    form.fill_choices(framework, kloe)
    # "It names no child: save it as it is" carries the action the warning stopped.
    confirmed = request.form.get("names_no_child")
    action = confirmed or request.form.get("action")
    try:
        if not form.validate():
            raise ReviewError(next(iter(form.errors.values()))[0], next(iter(form.errors)))
        named = None if confirmed else _newly_named_child(form, kloe.finding)
        if named:
            if htmx:
                return render_template("findings/_status.html", named=named, kloe=kloe, review=access.review)
            return _finding_page(access, kloe, framework, form, kloe.finding, named=named, action=action)
        version = record_id(form.version.data)
        version = -1 if version is None else version
        finding = findings.save_finding(
            kloe,
            form.fields(action),
            framework,
            version=version,
            author=f"{current_user.name}, {current_user.council.name}",
        )
    except findings.EvidenceOutsideScope as outside:
        refuse(
            404,
            "finding.refused",
            "review_kloe",
            kloe.id,
            f"cited evidence outside the review: {outside.evidence_ids}",
            EVIDENCE_NOT_FOUND,
        )
    except StaleSave:
        roll_back()
        if htmx:
            return render_template("findings/_status.html", conflict=True, kloe=kloe, review=access.review)
        saved = kloe.finding
        # The person's own text, now based on the saved version: saving again is a choice made
        # having seen both.
        form.version.data = str(saved.version)
        return render_template(
            "findings/conflict.html", review=access.review, kloe=kloe, saved=saved, form=form, framework=framework
        ), 409
    except ReviewError as error:
        roll_back()
        if htmx:
            return render_template("findings/_status.html", problem=str(error), kloe=kloe, review=access.review)
        show_error(form, error)
        return _finding_page(access, kloe, framework, form, kloe.finding), 400
    if htmx:
        return render_template("findings/_status.html", finding=finding, kloe=kloe, review=access.review)
    flash("Finding marked complete." if finding.status is FindingStatus.COMPLETE else "Draft saved.", "success")
    return redirect(url_for("findings.show", review_id=review_id, kloe_id=kloe_id))


@bp.route("/observation", methods=["GET", "POST"])
@allow_signed_in
@review_page(Level.READ)  # then _writable, for the KLOE
def observation(review_id: int, kloe_id: int, access: ReviewAccess):
    kloe = find_kloe(access.review, kloe_id)
    _writable(access, kloe)
    framework = framework_of(access.review)
    form = ObservationForm(data=None if request.method == "POST" else {"evidence_date": clock.today()})
    if access.review.has_grades:
        form.grade.choices = [SelectChoice("", "Not graded")] + [SelectChoice(g.id, g.label) for g in framework.grades]
    else:
        del form.grade  # Ofsted grades no such visit, so neither does its rehearsal
    if (page := once.sent_before(form)) is not None:
        return page
    named = None
    if form.validate_on_submit() and not form.names_no_child.data:
        named = named_child(form.title.data) or named_child(form.summary.data)
    if form.validate_on_submit() and not named:
        fields = findings.ObservationFields(
            EvidenceKind(form.kind.data),
            form.title.data,
            form.summary.data,
            Leaning(form.leaning.data),
            form.evidence_date.data,
            form.grade.data or None if "grade" in form else None,
        )
        with errors_on(form):
            findings.add_observation(
                kloe, fields, framework, author=f"{current_user.name}, {current_user.council.name}", today=clock.today()
            )
            shown = url_for("findings.show", review_id=review_id, kloe_id=kloe_id)
            once.made(form, shown, f"the evidence ‘{fields.title}’, cited in the finding")
            flash("Evidence added and cited in the finding.", "success")
            return redirect(shown)
    return render_template("findings/observation.html", form=form, review=access.review, kloe=kloe, named=named)


@bp.route("/evidence/<int:evidence_item_id>")
@allow_signed_in
@review_page(Level.READ)
def evidence(review_id: int, kloe_id: int, evidence_item_id: int, access: ReviewAccess):
    kloe = find_kloe(access.review, kloe_id)
    framework = framework_of(access.review)
    item = _evidence_in_scope(access, framework, evidence_item_id)
    return render_template("findings/evidence.html", review=access.review, kloe=kloe, item=item, framework=framework)


@bp.route("/evidence/<int:evidence_item_id>/attachments/<int:attachment_id>")
@allow_signed_in
@review_page(Level.READ)
def attachment(review_id: int, kloe_id: int, evidence_item_id: int, attachment_id: int, access: ReviewAccess):
    """A document attached to evidence the review may judge: the team reads it here, and only
    here; the council's library stays the council's."""
    find_kloe(access.review, kloe_id)
    item = _evidence_in_scope(access, framework_of(access.review), evidence_item_id)
    found = next((a for a in item.attachments if a.id == attachment_id), None)
    if found is None:
        refuse(
            404,
            "review.evidence_refused",
            "evidence_item",
            evidence_item_id,
            "an attachment that is not this evidence's",
            EVIDENCE_NOT_FOUND,
        )
    return send_attachment(found)


def _evidence_in_scope(access: ReviewAccess, framework, evidence_item_id: int):
    item = findings.find_in_scope(access.review, framework, evidence_item_id)
    if item is None:
        refuse(
            404,
            "review.evidence_refused",
            "evidence_item",
            evidence_item_id,
            "evidence outside the review's scope",
            EVIDENCE_NOT_FOUND,
        )
    return item
