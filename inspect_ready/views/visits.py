"""Rehearsing the visits that are not inspections: a JTAI's cases audited jointly by the
agencies, and a monitoring visit's findings on the last inspection's recommendations, with
the council's record of those recommendations and their progress over visits.

Pages with a review id are `@review_page`s, named by `jtai_id` or `monitoring_visit_id` so
that another kind of review's id is not found (inspect_ready/review_access.py): a partner
agency's auditor, like a peer reviewer, is let into the one review they are on and no further.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from councils import clock
from councils.ids import record_id
from councils.models import Role
from evidence.visits import joint_audits, recommendations
from inspect_ready import once
from inspect_ready.forms.fields import version_of
from inspect_ready.forms.visits import (
    CaseViewForm,
    JointCaseForm,
    ProgressForm,
    RecommendationForm,
    case_view_data,
    progress_data,
    recommendation_data,
)
from inspect_ready.permissions import allow, allow_signed_in
from inspect_ready.review_access import Level, ReviewAccess, review_page
from inspect_ready.transactions import errors_on, valid

bp = Blueprint("visits", __name__)

LEADERS = (Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)


def _author() -> str:
    return f"{current_user.name}, {current_user.council.name}"


# A JTAI's joint case audits -------------------------------------------------------------------


@bp.route("/reviews/<int:jtai_id>/cases", methods=["GET", "POST"])
@allow_signed_in
@review_page(Level.READ, post=Level.MANAGE)
def joint_cases(jtai_id: int, access: ReviewAccess):
    review = access.review
    form = JointCaseForm()
    form.fill_choices(joint_audits.audits_to_choose(review) if access.manages else [])
    if form.validate_on_submit():
        with errors_on(form):
            joint_case = joint_audits.add_case(review, record_id(form.case_audit_id.data or ""))
            flash(f"Case {joint_case.audit.case_reference} added: each agency can now record its view.", "success")
            return redirect(url_for("visits.joint_cases", jtai_id=review.id))
    status = 400 if form.errors else 200
    return render_template(
        "visits/joint_cases.html",
        access=access,
        review=review,
        cases=joint_audits.cases_of(review),
        most=joint_audits.MOST_CASES,
        form=form,
        agency=joint_audits.agency_of(access.member),
    ), status


@bp.route("/reviews/<int:jtai_id>/cases/<int:joint_case_id>", methods=["GET", "POST"])
@allow_signed_in
@review_page(Level.READ, post=Level.CONTRIBUTE)
def joint_case(jtai_id: int, joint_case_id: int, access: ReviewAccess):
    review = access.review
    found = joint_audits.find_case(review, joint_case_id)
    if found is None:
        abort(404)
    agency = joint_audits.agency_of(access.member)
    mine = joint_audits.view_from(found, agency)
    # A post reaches here from a contributor only (the guard); the service refuses it once reported.
    form = CaseViewForm(data=None if request.method == "POST" else case_view_data(mine))
    if form.validate_on_submit():
        with errors_on(form, saved=lambda: case_view_data(joint_audits.view_from(found, agency))):
            joint_audits.save_view(
                found,
                agency,
                form.what_we_saw.data or "",
                form.what_to_improve.data or "",
                version=version_of(form),
                author=_author(),
            )
            flash(f"The view of {agency.label.lower()} saved.", "success")
            return redirect(url_for("visits.joint_case", jtai_id=review.id, joint_case_id=found.id))
    status = 400 if form.errors else 200
    return render_template(
        "visits/joint_case.html",
        access=access,
        review=review,
        joint_case=found,
        agency=agency,
        # A refused post shows why, on its form, even once the rehearsal has reported.
        form=form if access.contributes and (review.is_open_for_findings or form.errors) else None,
    ), status


# A monitoring visit's findings on the recommendations ----------------------------------------


@bp.route("/reviews/<int:monitoring_visit_id>/recommendations")
@allow_signed_in
@review_page(Level.READ)
def visit_recommendations(monitoring_visit_id: int, access: ReviewAccess):
    found = recommendations.recommendations()
    return render_template(
        "visits/visit_recommendations.html",
        access=access,
        review=access.review,
        rows=[(r, recommendations.progress_on(access.review, r)) for r in found],
    )


@bp.route("/reviews/<int:monitoring_visit_id>/recommendations/<int:recommendation_id>", methods=["GET", "POST"])
@allow_signed_in
@review_page(Level.READ, post=Level.CONTRIBUTE)
def record_progress(monitoring_visit_id: int, recommendation_id: int, access: ReviewAccess):
    review = access.review
    recommendation = recommendations.find_recommendation(recommendation_id)
    if recommendation is None:
        abort(404)
    record = recommendations.progress_on(review, recommendation)
    form = ProgressForm(data=None if request.method == "POST" else progress_data(record))
    if form.validate_on_submit():  # from a contributor only (the guard); refused once reported
        with errors_on(form, saved=lambda: progress_data(recommendations.progress_on(review, recommendation))):
            recommendations.record_progress(
                review,
                recommendation,
                recommendations.Progress(form.progress.data),
                form.findings.data or "",
                version=version_of(form),
                author=_author(),
            )
            flash("Finding on the recommendation saved.", "success")
            return redirect(url_for("visits.visit_recommendations", monitoring_visit_id=review.id))
    status = 400 if form.errors else 200
    return render_template(
        "visits/record_progress.html",
        access=access,
        review=review,
        recommendation=recommendation,
        record=record,
        # A refused post shows why, on its form, even once the rehearsal has reported.
        form=form if access.contributes and (review.is_open_for_findings or form.errors) else None,
    ), status


# The council's record of its last inspection's recommendations --------------------------------


@bp.route("/recommendations")
@allow(*LEADERS)
def recommendations_index():
    visits, rows = recommendations.progress_over_visits()
    return render_template(
        "visits/recommendations.html",
        visits=visits,
        rows=rows,
        shown=recommendations.VISITS_SHOWN,
        manages=current_user.role is Role.SENIOR_LEADER,
    )


@bp.route("/recommendations/new", methods=["GET", "POST"])
@allow(Role.SENIOR_LEADER)
def new_recommendation():
    form = RecommendationForm()
    del form.version
    if (page := once.sent_before(form)) is not None:
        return page
    today = clock.today()
    if valid(form, lambda: recommendations.check_recommendation(form.text.data or "", form.reported_on.data, today)):
        with errors_on(form):
            recommendations.add_recommendation(form.text.data or "", form.reported_on.data, today)
            once.made(form, url_for("visits.recommendations_index"), "the recommendation")
            flash("Recommendation recorded.", "success")
            return redirect(url_for("visits.recommendations_index"))
    return render_template("visits/recommendation_form.html", form=form, recommendation=None)


@bp.route("/recommendations/<int:recommendation_id>/edit", methods=["GET", "POST"])
@allow(Role.SENIOR_LEADER)
def edit_recommendation(recommendation_id: int):
    recommendation = recommendations.find_recommendation(recommendation_id)
    if recommendation is None:
        abort(404)
    form = RecommendationForm(data=None if request.method == "POST" else recommendation_data(recommendation))
    del form.once
    today = clock.today()
    if valid(form, lambda: recommendations.check_recommendation(form.text.data or "", form.reported_on.data, today)):
        with errors_on(form, saved=lambda: recommendation_data(recommendation)):
            recommendations.update_recommendation(
                recommendation, form.text.data or "", form.reported_on.data, today, version=version_of(form)
            )
            flash("Recommendation saved.", "success")
            return redirect(url_for("visits.recommendations_index"))
    return render_template("visits/recommendation_form.html", form=form, recommendation=recommendation)
