"""Reviews: setting one up, its team and invitations, its key lines of enquiry, the lead's
progress page and the report. Every page with a review id is a `@review_page`
(inspect_ready/review_access.py): the team may read a review, only those managing it change it."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import (
    SelectChoice,
)

from councils import accounts
from councils.models import Role, User
from councils.tenancy import acting_for
from evidence.library.items import framework_of
from evidence.mock_inspections import inspections
from evidence.reviews import invitations, setup
from evidence.reviews.models import (
    InvitationStatus,
    MemberRole,
    PartnerAgency,
    ReviewKind,
    ReviewKloe,
    ReviewMember,
    ReviewStatus,
)
from evidence.visits import joint_audits, recommendations
from inspect_ready import confirmations, once, review_report, visit_report
from inspect_ready.documents.download import document_download
from inspect_ready.documents.model import parts
from inspect_ready.forms.fields import people_choices
from inspect_ready.forms.reviews import AddMemberForm, BankForm, InviteForm, KloeForm, ReviewForm, review_details
from inspect_ready.pages import find_or_404
from inspect_ready.permissions import allow, allow_signed_in
from inspect_ready.review_access import Level, ReviewAccess, review_page
from inspect_ready.transactions import commit_now, errors_flashed, errors_on, valid
from judgement_framework import load_framework

bp = Blueprint("reviews", __name__, url_prefix="/reviews")
log = logging.getLogger(__name__)


# Lists and setting up -------------------------------------------------------------------------


@bp.route("/")
@allow_signed_in
def index():
    mine = setup.reviews_of(current_user.id)
    council = setup.council_reviews() if current_user.role is Role.SENIOR_LEADER else []
    return render_template("reviews/index.html", mine=mine, council_reviews=council)


@bp.route("/new", methods=["GET", "POST"])
@allow(Role.SENIOR_LEADER)
def new():
    framework = load_framework(current_user.council.framework_id)
    form = ReviewForm(data=None if request.method == "POST" else {"lead_id": str(current_user.id)})
    form.fill_choices(framework)
    del form.status
    if (page := once.sent_before(form)) is not None:
        return page
    if valid(form, lambda: setup.check_review(form.fields(), framework)):
        with errors_on(form):
            review = setup.create_review(form.fields(), framework)
            once.made(form, url_for("reviews.show", review_id=review.id), f"the review ‘{review.title}’")
            flash(f"Review '{review.title}' set up. Add its key lines of enquiry and its team.", "success")
            return redirect(url_for("reviews.show", review_id=review.id))
    return render_template("reviews/form.html", form=form, review=None, framework=framework)


@bp.route("/<int:review_id>")
@allow_signed_in
@review_page(Level.READ)
def show(review_id: int, access: ReviewAccess):
    framework = framework_of(access.review)
    return render_template(
        "reviews/show.html",
        access=access,
        review=access.review,
        kloes=setup.kloes_with_findings(access.review),
        framework=framework,
        scope=setup.scope_areas(access.review, framework),
    )


@bp.route("/<int:review_id>/edit", methods=["GET", "POST"])
@allow_signed_in
@review_page(Level.MANAGE)
def edit(review_id: int, access: ReviewAccess):
    review = access.review
    framework = framework_of(review)
    form = ReviewForm(data=None if request.method == "POST" else review_details(review))
    form.fill_choices(framework)
    del form.once
    if valid(form, lambda: setup.check_review(form.fields(), framework)):
        with errors_on(form):
            inspections.update_review(review, form.fields(), framework, ReviewStatus(form.status.data))
            flash("Review details saved.", "success")
            return redirect(url_for("reviews.show", review_id=review.id))
    return render_template("reviews/form.html", form=form, review=review, framework=framework)


# The team -------------------------------------------------------------------------------------


def _team_page(review, member_form=None, invite_form=None, new_link=None, status=200):
    """`new_link` is (invitation, link, resent): the only time a link can be shown, as only its
    token's hash is kept."""
    member_form = member_form or AddMemberForm(formdata=None)
    member_form.user_id.choices = _people_off_team(review)
    return render_template(
        "reviews/team.html",
        review=review,
        member_form=member_form,
        invite_form=invite_form or InviteForm(formdata=None),
        invitations=[(i, invitations.status_of(i)) for i in invitations.listed(review)],
        waiting=InvitationStatus.WAITING,
        expired=InvitationStatus.EXPIRED,
        new_link=new_link,
        errors=[
            {"text": e, "href": f"#{name}"}
            for form in (member_form, invite_form)
            if form
            for name, messages in form.errors.items()
            for e in messages
        ],
    ), status


def _people_off_team(review) -> list:
    """Who can be added: the council's active people not yet on the team. The form accepts
    only these, so a person since deactivated cannot be added by a stale page."""
    on_team = {m.user_id for m in review.members}
    return people_choices([p for p in accounts.people() if p.id not in on_team])


@bp.route("/<int:review_id>/team")
@allow_signed_in
@review_page(Level.MANAGE)
def team(review_id: int, access: ReviewAccess):
    return _team_page(access.review)


@bp.route("/<int:review_id>/team/add", methods=["POST"])
@allow_signed_in
@review_page(Level.MANAGE)
def add_member(review_id: int, access: ReviewAccess):
    review = access.review
    form = AddMemberForm()
    form.user_id.choices = _people_off_team(review)
    if form.validate_on_submit():
        with errors_on(form):
            setup.add_member(review, find_or_404(User, int(form.user_id.data)), MemberRole(form.role.data))
            flash("Added to the team.", "success")
            return redirect(url_for("reviews.team", review_id=review.id))
    return _team_page(review, member_form=form, status=400)


@bp.route("/<int:review_id>/team/invite", methods=["POST"])
@allow_signed_in
@review_page(Level.MANAGE)
def invite(review_id: int, access: ReviewAccess):
    review = access.review
    form = InviteForm()
    if form.validate_on_submit():
        with errors_on(form):
            new_invitation = invitations.invite(
                review,
                form.email.data,
                MemberRole(form.invite_role.data),
                current_user.email,
                agency=PartnerAgency(form.agency.data) if form.agency.data else None,
            )
            # No email server is needed: the lead passes on the link shown on the page. Never
            # the link (it admits whoever holds it) nor the email address in the log.
            log.info("Invitation %s to review %s made", new_invitation.invitation.id, review.id)
            return _team_page(review, new_link=(new_invitation.invitation, _link(new_invitation), False))
    return _team_page(review, invite_form=form, status=400)


def _link(new_invitation) -> str:
    return url_for("reviews.accept_invitation", token=new_invitation.token, _external=True)


def _find_invitation(review, invitation_id: int):
    invitation = invitations.find(review, invitation_id)
    if invitation is None:
        abort(404)
    return invitation


@bp.route("/<int:review_id>/team/invitations/<int:invitation_id>/resend", methods=["POST"])
@allow_signed_in
@review_page(Level.MANAGE)
def resend_invitation(review_id: int, invitation_id: int, access: ReviewAccess):
    review = access.review
    invitation = _find_invitation(review, invitation_id)
    with errors_flashed():
        new_invitation = invitations.resend(review, invitation)
        log.info("Invitation %s to review %s resent", invitation.id, review.id)
        return _team_page(review, new_link=(invitation, _link(new_invitation), True))
    return redirect(url_for("reviews.team", review_id=review.id))


@bp.route("/<int:review_id>/team/invitations/<int:invitation_id>/revoke", methods=["GET", "POST"])
@allow_signed_in
@review_page(Level.MANAGE)
def revoke_invitation(review_id: int, invitation_id: int, access: ReviewAccess):
    review = access.review
    invitation = _find_invitation(review, invitation_id)
    if request.method == "POST":
        with errors_flashed():
            invitations.revoke(review, invitation)
            flash(f"Invitation for {invitation.email} revoked: its link no longer works.", "success")
        return redirect(url_for("reviews.team", review_id=review.id))
    return render_template(
        "reviews/revoke_invitation.html",
        review=review,
        invitation=invitation,
        status=invitations.status_of(invitation),
        revocable=(InvitationStatus.WAITING, InvitationStatus.EXPIRED),
    )


@bp.route("/<int:review_id>/team/<int:member_id>/remove", methods=["POST"])
@allow_signed_in
@review_page(Level.MANAGE)
def remove_member(review_id: int, member_id: int, access: ReviewAccess):
    review = access.review
    member = find_or_404(ReviewMember, member_id)
    if not confirmations.confirmed():
        assigned = [kloe.question for kloe in review.kloes if member.id in kloe.member_ids]
        return confirmations.page(
            title=f"Remove {member.name} from the team",
            final=[
                f"{member.name} leaves the team of {review.title} as its {member.role.label.lower()}.",
                *(
                    [f"They are no longer assigned to these key lines of enquiry: {'; '.join(assigned)}."]
                    if assigned
                    else []
                ),
            ],
            button="Remove from the team",
            back=url_for("reviews.team", review_id=review.id),
            problems=confirmations.refusals(lambda: setup.check_removable(review, member)),
            warning="To bring them back, add them to the team again and assign their lines of enquiry again.",
        )
    with errors_flashed():
        setup.remove_member(review, member)
        flash("Removed from the team.", "success")
    return redirect(url_for("reviews.team", review_id=review.id))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@allow_signed_in
def accept_invitation(token: str):
    invitation = invitations.find_by_token(token)
    user = current_user._get_current_object()
    try:
        invitations.check(invitation, user)
    except invitations.InvitationRefused as refused:
        # Logged in the inviting council when the link is known, else in the person's own.
        with acting_for(refused.invitation.council_id if refused.invitation else current_user.council_id):
            invitations.record_refusal(refused, user)
            commit_now()  # inside acting_for, and kept though the answer is a refusal
        return render_template("reviews/invitation_refused.html", message=str(refused)), refused.status
    with acting_for(invitation.council_id):
        review = setup.find_review_in_any_council(invitation.review_id)
        if request.method == "POST":
            # A second press of the button (or a second tab) finds the person on the team already.
            with errors_flashed():
                invitations.accept(invitation, user)
                commit_now()  # inside acting_for: the new team member belongs to the reviewed council
                flash(f"You have joined the team of '{review.title}'.", "success")
            return redirect(url_for("reviews.show", review_id=review.id))
        council_name = review.council.name
    return render_template(
        "reviews/accept_invitation.html", review=review, invitation=invitation, council_name=council_name, token=token
    )


# Key lines of enquiry -------------------------------------------------------------------------


@bp.route("/<int:review_id>/kloes/bank", methods=["GET", "POST"])
@allow_signed_in
@review_page(Level.MANAGE)
def add_bank_kloes(review_id: int, access: ReviewAccess):
    review = access.review
    framework = framework_of(review)
    form = BankForm()
    form.bank_ids.choices = [
        SelectChoice(k.id, f"{area.title}: {k.question}") for area, k in setup.bank_kloes(review, framework)
    ]
    if form.validate_on_submit():
        with errors_on(form):
            added = setup.add_bank_kloes(review, framework, form.bank_ids.data or [])
            flash(f"{len(added)} key lines of enquiry added. Assign each to the team.", "success")
            return redirect(url_for("reviews.show", review_id=review.id))
    return render_template("reviews/bank.html", form=form, review=review)


@bp.route("/<int:review_id>/kloes/new", methods=["GET", "POST"])
@allow_signed_in
@review_page(Level.MANAGE)
def new_kloe(review_id: int, access: ReviewAccess):
    review = access.review
    framework = framework_of(review)
    form = KloeForm()
    form.fill_choices(framework, None)
    if (page := once.sent_before(form)) is not None:
        return page
    if valid(form, lambda: setup.check_kloe(form.fields(), framework)):
        with errors_on(form):
            kloe = setup.add_kloe(review, form.fields(), framework)
            once.made(
                form,
                url_for("reviews.edit_kloe", review_id=review.id, kloe_id=kloe.id),
                f"the key line of enquiry ‘{kloe.question}’",
            )
            flash("Key line of enquiry added. Assign it to the team.", "success")
            return redirect(url_for("reviews.edit_kloe", review_id=review.id, kloe_id=kloe.id))
    return render_template("reviews/kloe_form.html", form=form, review=review, kloe=None)


@bp.route("/<int:review_id>/kloes/<int:kloe_id>/edit", methods=["GET", "POST"])
@allow_signed_in
@review_page(Level.MANAGE)
def edit_kloe(review_id: int, kloe_id: int, access: ReviewAccess):
    review = access.review
    kloe = find_kloe(review, kloe_id)
    framework = framework_of(review)
    initial = (
        None
        if request.method == "POST"
        else {
            "question": kloe.question,
            "sub_questions": "\n".join(kloe.sub_questions),
            "area_ids": kloe.area_ids,
            "criterion_ids": kloe.criterion_ids,
            "member_ids": [str(m) for m in sorted(kloe.member_ids)],
        }
    )
    form = KloeForm(data=initial)
    form.fill_choices(framework, review.members)
    del form.once
    if valid(form, lambda: setup.check_kloe(form.fields(), framework)):
        with errors_on(form):
            setup.update_kloe(kloe, form.fields(), framework, [int(m) for m in form.member_ids.data or []])
            flash("Key line of enquiry saved.", "success")
            return redirect(url_for("reviews.show", review_id=review.id))
    return render_template("reviews/kloe_form.html", form=form, review=review, kloe=kloe)


@bp.route("/<int:review_id>/kloes/<int:kloe_id>/delete", methods=["GET", "POST"])
@allow_signed_in
@review_page(Level.MANAGE)
def delete_kloe(review_id: int, kloe_id: int, access: ReviewAccess):
    review = access.review
    kloe = find_kloe(review, kloe_id)
    if request.method == "POST":
        with errors_flashed():
            setup.delete_kloe(review, kloe)
            flash("Line of enquiry deleted, with its finding.", "success")
        return redirect(url_for("reviews.show", review_id=review.id))
    return render_template("reviews/delete_kloe.html", review=review, kloe=kloe)


def find_kloe(review, kloe_id: int) -> ReviewKloe:
    kloe = find_or_404(ReviewKloe, kloe_id)
    if kloe.review_id != review.id:
        abort(404)
    return kloe


# Progress -------------------------------------------------------------------------------------


@bp.route("/<int:review_id>/progress")
@allow_signed_in
@review_page(Level.MANAGE)
def progress(review_id: int, access: ReviewAccess):
    review = access.review
    return render_template(
        "reviews/progress.html",
        review=review,
        by_member=setup.progress_by_member(review),
        framework=framework_of(review),
    )


# The report -----------------------------------------------------------------------------------


@bp.route("/<int:review_id>/report")
@allow_signed_in
@review_page(Level.MANAGE)
def report(review_id: int, access: ReviewAccess):
    review = access.review
    framework = framework_of(review)
    scope = setup.scope_areas(review, framework)
    # A visit Ofsted does not grade has its own report; the page shows its document as it downloads.
    document = None if review.has_grades else _visit_document(review, framework, scope)
    return render_template(
        "reviews/report.html",
        review=review,
        framework=framework,
        scope=scope,
        document=document,
        document_parts=parts,
    )


@bp.route("/<int:review_id>/report.<any(docx, pdf):file_format>")
@allow_signed_in
@review_page(Level.MANAGE)
def report_download(review_id: int, access: ReviewAccess, file_format: str):
    review = access.review
    framework = framework_of(review)
    scope = setup.scope_areas(review, framework)
    if review.has_grades:
        document = review_report.document(review, framework, scope)
    else:
        document = _visit_document(review, framework, scope)
    return document_download(document, file_format)


def _visit_document(review, framework, scope):
    return visit_report.document(
        review,
        framework,
        scope,
        joint_cases=joint_audits.cases_of(review) if review.kind is ReviewKind.JTAI_REHEARSAL else (),
        recommendations=(
            recommendations.recommendations() if review.kind is ReviewKind.MONITORING_VISIT_REHEARSAL else ()
        ),
    )
