"""Reviews: setting one up, its team and invitations, its key lines of enquiry, the lead's
progress page and the report. Access to every page with a review id goes through
inspect_ready/review_access.py."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from sqlalchemy import select
from wtforms import (
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length

from councils.models import Role, User
from councils.tenancy import acting_for
from evidence import invitations, reviews
from evidence.library import framework_of
from evidence.review_models import MemberRole, ReviewKind, ReviewKloe, ReviewMember, ReviewStatus
from inspect_ready import review_report
from inspect_ready.exports import download
from inspect_ready.extensions import db
from inspect_ready.forms import enum_choices, show_error
from inspect_ready.pages import find_or_404
from inspect_ready.permissions import allow, allow_signed_in
from inspect_ready.review_access import open_review
from judgement_framework import Framework, load_framework

reviews_bp = Blueprint("reviews", __name__, url_prefix="/reviews")
log = logging.getLogger(__name__)
DATE_FORMAT = "%d %m %Y"


class ReviewForm(FlaskForm):
    title = StringField(
        "Title", widget=GovTextInput(), validators=[DataRequired("Enter a title for the review"), Length(max=200)]
    )
    kind = RadioField(
        "Kind of review",
        widget=GovRadioInput(),
        choices=enum_choices(ReviewKind),
        validators=[DataRequired("Choose the kind of review")],
    )
    scope_area_ids = SelectMultipleField(
        "Judgements in scope",
        widget=GovCheckboxesInput(),
        choices=[],
        description="Leave all unticked to review every judgement.",
    )
    starts_on = DateField(
        "Start date",
        widget=GovDateInput(),
        format=DATE_FORMAT,
        validators=[InputRequired("Enter the start date")],
        description="For example, 27 1 2026",
    )
    ends_on = DateField(
        "End date", widget=GovDateInput(), format=DATE_FORMAT, validators=[InputRequired("Enter the end date")]
    )
    lead_id = SelectField("Lead", widget=GovSelect(), choices=[], validators=[DataRequired("Choose the lead")])
    status = RadioField(
        "Status", widget=GovRadioInput(), choices=enum_choices(ReviewStatus), default=ReviewStatus.PLANNED.value
    )
    submit = SubmitField("Save review", widget=GovSubmitInput())

    def fill_choices(self, framework: Framework) -> None:
        self.scope_area_ids.choices = [SelectChoice(a.id, a.title) for a in framework.areas if a.kind != "overall"]
        people = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)).all()
        self.lead_id.choices = [SelectChoice(str(p.id), f"{p.name} ({p.role.label.lower()})") for p in people]

    def fields(self) -> reviews.ReviewFields:
        return reviews.ReviewFields(
            title=self.title.data,
            kind=ReviewKind(self.kind.data),
            scope_area_ids=self.scope_area_ids.data or [],
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            lead_id=int(self.lead_id.data),
        )


# A review has one lead, set with the review; the team adds reviewers and observers.
TEAM_ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in (MemberRole.REVIEWER, MemberRole.OBSERVER)]


class AddMemberForm(FlaskForm):
    user_id = SelectField(
        "Person from your council", widget=GovSelect(), choices=[], validators=[DataRequired("Choose a person")]
    )
    role = RadioField(
        "Role on the review",
        widget=GovRadioInput(),
        validators=[DataRequired("Choose their role")],
        choices=TEAM_ROLE_CHOICES,
        default=MemberRole.REVIEWER.value,
    )
    submit = SubmitField("Add to the team", widget=GovSubmitInput())


class InviteForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter their email address"),
            Email("Enter an email address in the correct format, like name@council.gov.uk"),
            Length(max=254),
        ],
        description="The person signs in with their own council's peer reviewer account with this email address.",
    )
    invite_role = RadioField(
        "Role on the review",
        widget=GovRadioInput(),
        validators=[DataRequired("Choose their role")],
        choices=TEAM_ROLE_CHOICES,
        default=MemberRole.REVIEWER.value,
    )
    invite = SubmitField("Invite", widget=GovSubmitInput())


class BankForm(FlaskForm):
    bank_ids = SelectMultipleField("Key lines of enquiry from the framework", widget=GovCheckboxesInput(), choices=[])
    submit = SubmitField("Add chosen lines of enquiry", widget=GovSubmitInput())


class KloeForm(FlaskForm):
    question = TextAreaField(
        "Key line of enquiry", widget=GovTextArea(), validators=[DataRequired("Enter the key line of enquiry")]
    )
    sub_questions = TextAreaField("Sub-questions", widget=GovTextArea(), description="One on each line.")
    area_ids = SelectMultipleField("Judgement areas", widget=GovCheckboxesInput(), choices=[])
    criterion_ids = SelectMultipleField(
        "Criteria",
        widget=GovCheckboxesInput(),
        choices=[],
        description="Optional: the criteria of the areas chosen that this line tests.",
    )
    member_ids = SelectMultipleField("Assigned to", widget=GovCheckboxesInput(), choices=[])
    submit = SubmitField("Save key line of enquiry", widget=GovSubmitInput())

    def fill_choices(self, framework: Framework, members: list[ReviewMember] | None) -> None:
        areas = [a for a in framework.areas if a.kind != "overall"]
        self.area_ids.choices = [SelectChoice(a.id, a.title) for a in areas]
        self.criterion_ids.choices = [SelectChoice(c.id, f"{a.title}: {c.prompt}") for a in areas for c in a.criteria]
        if members is None:
            del self.member_ids
        else:
            self.member_ids.choices = [
                SelectChoice(str(m.id), f"{m.name}, {m.organisation} ({m.role.label.lower()})")
                for m in members
                if m.role is not MemberRole.OBSERVER
            ]

    def fields(self) -> reviews.KloeFields:
        return reviews.KloeFields(
            self.question.data or "",
            (self.sub_questions.data or "").splitlines(),
            self.area_ids.data or [],
            self.criterion_ids.data or [],
        )


# Lists and setting up -------------------------------------------------------------------------


@reviews_bp.route("/")
@allow_signed_in
def index():
    mine = reviews.reviews_of(current_user.id)
    council = reviews.council_reviews() if current_user.role is Role.SENIOR_LEADER else []
    return render_template("reviews/index.html", mine=mine, council_reviews=council)


@reviews_bp.route("/new", methods=["GET", "POST"])
@allow(Role.SENIOR_LEADER)
def new():
    framework = load_framework(current_user.council.framework_id)
    form = ReviewForm(data=None if request.method == "POST" else {"lead_id": str(current_user.id)})
    form.fill_choices(framework)
    del form.status
    if form.validate_on_submit():
        try:
            review = reviews.create_review(form.fields(), framework)
        except reviews.ReviewError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"Review '{review.title}' set up. Add its key lines of enquiry and its team.", "success")
            return redirect(url_for("reviews.show", review_id=review.id))
    return render_template("reviews/form.html", form=form, review=None, framework=framework)


@reviews_bp.route("/<int:review_id>")
@allow_signed_in
def show(review_id: int):
    access = open_review(review_id)
    framework = framework_of(access.review)
    return render_template(
        "reviews/show.html",
        access=access,
        review=access.review,
        kloes=reviews.kloes_with_findings(access.review),
        framework=framework,
        scope=reviews.scope_areas(access.review, framework),
    )


@reviews_bp.route("/<int:review_id>/edit", methods=["GET", "POST"])
@allow_signed_in
def edit(review_id: int):
    review = open_review(review_id, manage=True).review
    framework = framework_of(review)
    form = ReviewForm(
        obj=None if request.method == "POST" else review,
        data=None
        if request.method == "POST"
        else {"lead_id": str(review.lead_id), "kind": review.kind.value, "status": review.status.value},
    )
    form.fill_choices(framework)
    if form.validate_on_submit():
        try:
            reviews.update_review(review, form.fields(), framework, ReviewStatus(form.status.data))
        except reviews.ReviewError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash("Review details saved.", "success")
            return redirect(url_for("reviews.show", review_id=review.id))
    return render_template("reviews/form.html", form=form, review=review, framework=framework)


# The team -------------------------------------------------------------------------------------


def _team_page(review, member_form=None, invite_form=None, new_link=None, status=200):
    member_form = member_form or AddMemberForm(formdata=None)
    on_team = {m.user_id for m in review.members}
    people = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name)).all()
    member_form.user_id.choices = [SelectChoice(str(p.id), p.name) for p in people if p.id not in on_team]
    return render_template(
        "reviews/team.html",
        review=review,
        member_form=member_form,
        invite_form=invite_form or InviteForm(formdata=None),
        pending=invitations.pending(review),
        new_link=new_link,
        errors=[
            {"text": e, "href": f"#{name}"}
            for form in (member_form, invite_form)
            if form
            for name, messages in form.errors.items()
            for e in messages
        ],
    ), status


@reviews_bp.route("/<int:review_id>/team")
@allow_signed_in
def team(review_id: int):
    return _team_page(open_review(review_id, manage=True).review)


@reviews_bp.route("/<int:review_id>/team/add", methods=["POST"])
@allow_signed_in
def add_member(review_id: int):
    review = open_review(review_id, manage=True).review
    form = AddMemberForm()
    on_team = {m.user_id for m in review.members}
    form.user_id.choices = [
        SelectChoice(str(p.id), p.name) for p in db.session.scalars(select(User)) if p.id not in on_team
    ]
    if form.validate_on_submit():
        try:
            reviews.add_member(review, find_or_404(User, int(form.user_id.data)), MemberRole(form.role.data))
        except reviews.ReviewError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash("Added to the team.", "success")
            return redirect(url_for("reviews.team", review_id=review.id))
    return _team_page(review, member_form=form, status=400)


@reviews_bp.route("/<int:review_id>/team/invite", methods=["POST"])
@allow_signed_in
def invite(review_id: int):
    review = open_review(review_id, manage=True).review
    form = InviteForm()
    if form.validate_on_submit():
        try:
            new_invitation = invitations.invite(
                review, form.email.data, MemberRole(form.invite_role.data), current_user.email
            )
        except reviews.ReviewError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            link = url_for("reviews.accept_invitation", token=new_invitation.token, _external=True)
            # No email server is needed: the lead passes the link on, and it is in the log.
            log.info("Invitation to review %s for %s: %s", review.id, new_invitation.invitation.email, link)
            return _team_page(review, new_link=(new_invitation.invitation, link))
    return _team_page(review, invite_form=form, status=400)


@reviews_bp.route("/<int:review_id>/team/<int:member_id>/remove", methods=["POST"])
@allow_signed_in
def remove_member(review_id: int, member_id: int):
    review = open_review(review_id, manage=True).review
    try:
        reviews.remove_member(review, find_or_404(ReviewMember, member_id))
    except reviews.ReviewError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash("Removed from the team.", "success")
    return redirect(url_for("reviews.team", review_id=review.id))


@reviews_bp.route("/invitations/<token>", methods=["GET", "POST"])
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
            db.session.commit()
        return render_template("reviews/invitation_refused.html", message=str(refused)), refused.status
    with acting_for(invitation.council_id):
        review = reviews.find_review_in_any_council(invitation.review_id)
        if request.method == "POST":
            invitations.accept(invitation, user)
            db.session.commit()  # inside acting_for: the new team member belongs to the reviewed council
            flash(f"You have joined the team of '{review.title}'.", "success")
            return redirect(url_for("reviews.show", review_id=review.id))
        council_name = review.council.name
    return render_template(
        "reviews/accept_invitation.html", review=review, invitation=invitation, council_name=council_name, token=token
    )


# Key lines of enquiry -------------------------------------------------------------------------


@reviews_bp.route("/<int:review_id>/kloes/bank", methods=["GET", "POST"])
@allow_signed_in
def add_bank_kloes(review_id: int):
    review = open_review(review_id, manage=True).review
    framework = framework_of(review)
    form = BankForm()
    form.bank_ids.choices = [
        SelectChoice(k.id, f"{area.title}: {k.question}") for area, k in reviews.bank_kloes(review, framework)
    ]
    if form.validate_on_submit():
        try:
            added = reviews.add_bank_kloes(review, framework, form.bank_ids.data or [])
        except reviews.ReviewError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash(f"{len(added)} key lines of enquiry added. Assign each to the team.", "success")
            return redirect(url_for("reviews.show", review_id=review.id))
    return render_template("reviews/bank.html", form=form, review=review)


@reviews_bp.route("/<int:review_id>/kloes/new", methods=["GET", "POST"])
@allow_signed_in
def new_kloe(review_id: int):
    review = open_review(review_id, manage=True).review
    framework = framework_of(review)
    form = KloeForm()
    form.fill_choices(framework, None)
    if form.validate_on_submit():
        try:
            kloe = reviews.add_kloe(review, form.fields(), framework)
        except reviews.ReviewError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash("Key line of enquiry added. Assign it to the team.", "success")
            return redirect(url_for("reviews.edit_kloe", review_id=review.id, kloe_id=kloe.id))
    return render_template("reviews/kloe_form.html", form=form, review=review, kloe=None)


@reviews_bp.route("/<int:review_id>/kloes/<int:kloe_id>/edit", methods=["GET", "POST"])
@allow_signed_in
def edit_kloe(review_id: int, kloe_id: int):
    review = open_review(review_id, manage=True).review
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
    if form.validate_on_submit():
        try:
            reviews.update_kloe(kloe, form.fields(), framework, [int(m) for m in form.member_ids.data or []])
        except reviews.ReviewError as error:
            db.session.rollback()
            show_error(form, error)
        else:
            db.session.commit()
            flash("Key line of enquiry saved.", "success")
            return redirect(url_for("reviews.show", review_id=review.id))
    return render_template("reviews/kloe_form.html", form=form, review=review, kloe=kloe)


def find_kloe(review, kloe_id: int) -> ReviewKloe:
    kloe = find_or_404(ReviewKloe, kloe_id)
    if kloe.review_id != review.id:
        abort(404)
    return kloe


# Progress -------------------------------------------------------------------------------------


@reviews_bp.route("/<int:review_id>/progress")
@allow_signed_in
def progress(review_id: int):
    review = open_review(review_id, manage=True).review
    return render_template(
        "reviews/progress.html",
        review=review,
        by_member=reviews.progress_by_member(review),
        framework=framework_of(review),
    )


# The report -----------------------------------------------------------------------------------


def _report_html(review, *, for_download: bool) -> str:
    framework = framework_of(review)
    template = "reviews/report_document.html" if for_download else "reviews/report.html"
    return render_template(
        template,
        review=review,
        framework=framework,
        stylesheet=review_report.stylesheet(),
        scope=reviews.scope_areas(review, framework),
    )


@reviews_bp.route("/<int:review_id>/report")
@allow_signed_in
def report(review_id: int):
    review = open_review(review_id, manage=True).review
    return _report_html(review, for_download=False)


@reviews_bp.route("/<int:review_id>/report.pdf")
@allow_signed_in
def report_pdf(review_id: int):
    review = open_review(review_id, manage=True).review
    pdf = review_report.pdf(_report_html(review, for_download=True))
    return download(pdf, f"{review_report.file_name(review)}.pdf", "application/pdf")


@reviews_bp.route("/<int:review_id>/report.doc")
@allow_signed_in
def report_doc(review_id: int):
    review = open_review(review_id, manage=True).review
    html = _report_html(review, for_download=True)
    return download(html.encode(), f"{review_report.file_name(review)}.doc", "application/msword")
