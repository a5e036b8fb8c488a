"""Inviting a person, usually a peer reviewer from another council, onto a review's team.

The lead gets a link holding a random token; only the token's hash is stored. A link works
once, until it expires, and only for the account with the invited email address.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from councils import audit_log, clock
from councils.accounts import normalise_email
from councils.db import db
from councils.models import Role, User
from councils.tokens import token_hash
from evidence.reviews.models import (
    OPEN_FOR_FINDINGS,
    Invitation,
    InvitationStatus,
    MemberRole,
    PartnerAgency,
    Review,
    ReviewKind,
    ReviewMember,
)
from evidence.reviews.setup import ReviewError, add_member, find_review_in_any_council

INVITATION_LIFETIME = timedelta(days=14)


class InvitationRefused(ReviewError):
    """The link cannot be used. `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int, invitation: Invitation | None = None):
        super().__init__(message, "token")
        self.status = status
        self.invitation = invitation


@dataclass(frozen=True)
class NewInvitation:
    invitation: Invitation
    token: str


def invite(
    review: Review,
    email: str,
    role: MemberRole,
    invited_by: str,
    now: datetime | None = None,
    agency: PartnerAgency | None = None,
) -> NewInvitation:
    """`agency` invites a partner agency's auditor, on a JTAI rehearsal only."""
    email = normalise_email(email)
    if agency is not None and review.kind is not ReviewKind.JTAI_REHEARSAL:
        raise ReviewError("Partner agencies join joint targeted area inspection rehearsals only", "agency")
    if "@" not in email:
        raise ReviewError("Enter an email address in the correct format, like name@council.gov.uk", "email")
    if role is MemberRole.LEAD:
        raise ReviewError("Invite people as a reviewer or an observer", "role")
    if not review.is_open_for_findings:
        raise ReviewError(
            "The review has reported: invite people while it is planned, in fieldwork or in moderation", "email"
        )
    if email in emails_on_team(review):
        raise ReviewError(f"{email} is already on the team", "email")
    now = now or clock.now()
    if any(status_of(i, now) is InvitationStatus.WAITING for i in listed(review) if i.email == email):
        # A second link would leave two that work: resending replaces the one there is.
        raise ReviewError(f"{email} already has an invitation waiting: resend it from the list below", "email")
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        review_id=review.id,
        email=email,
        role=role,
        token_hash=token_hash(token),
        expires_at=now + INVITATION_LIFETIME,
        invited_by=invited_by,
        agency=agency,
    )
    db.session.add(invitation)
    db.session.flush()
    audit_log.record(
        "review.invited",
        "review",
        review.id,
        after={"email": email, "role": role, "invitation_id": invitation.id, "agency": agency},
    )
    return NewInvitation(invitation, token)


def emails_on_team(review: Review) -> set[str]:
    """The team's email addresses, whatever their council: a peer reviewer's account is out
    of the reviewed council's tenancy, and only its email is read, to refuse a needless link."""
    query = (
        select(User.email)
        .join(ReviewMember, ReviewMember.user_id == User.id)
        .where(ReviewMember.review_id == review.id)
        .execution_options(all_councils=True)
    )
    return {normalise_email(email) for email in db.session.scalars(query)}


def status_of(invitation: Invitation, now: datetime | None = None) -> InvitationStatus:
    if invitation.accepted_at is not None:
        return InvitationStatus.ACCEPTED
    if invitation.revoked_at is not None:
        return InvitationStatus.REVOKED
    if invitation.expires_at <= (now or clock.now()):
        return InvitationStatus.EXPIRED
    return InvitationStatus.WAITING


def listed(review: Review) -> list[Invitation]:
    """Every invitation to the review, newest first, whatever became of it."""
    query = select(Invitation).where(Invitation.review_id == review.id)
    return db.session.scalars(query.order_by(Invitation.id.desc())).all()


def find(review: Review, invitation_id: int) -> Invitation | None:
    invitation = db.session.get(Invitation, invitation_id)
    return invitation if invitation is not None and invitation.review_id == review.id else None


def _check_changeable(review: Review, invitation: Invitation, now: datetime, doing: str) -> None:
    status = status_of(invitation, now)
    if status is InvitationStatus.ACCEPTED:
        raise ReviewError(f"{invitation.email} has already accepted, so the invitation cannot be {doing}", "invitation")
    if status is InvitationStatus.REVOKED:
        raise ReviewError(
            f"The invitation for {invitation.email} was revoked: invite them again if they should join", "invitation"
        )
    if not review.is_open_for_findings:
        raise ReviewError(f"The review has reported, so invitations cannot be {doing}", "invitation")


def resend(review: Review, invitation: Invitation, now: datetime | None = None) -> NewInvitation:
    """A new link for a waiting or expired invitation. The old link stops working: only the
    new token's hash is stored, in the place of the old one."""
    now = now or clock.now()
    _check_changeable(review, invitation, now, "resent")
    if normalise_email(invitation.email) in emails_on_team(review):
        raise ReviewError(f"{invitation.email} is already on the team", "invitation")
    before = {"expires_at": audit_log.json_safe(invitation.expires_at)}
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    invitation.expires_at = now + INVITATION_LIFETIME
    db.session.flush()
    audit_log.record(
        "review.invitation_resent",
        "review",
        review.id,
        before=before,
        after={
            "email": invitation.email,
            "invitation_id": invitation.id,
            "expires_at": audit_log.json_safe(invitation.expires_at),
        },
    )
    return NewInvitation(invitation, token)


def revoke(review: Review, invitation: Invitation, now: datetime | None = None) -> None:
    now = now or clock.now()
    _check_changeable(review, invitation, now, "revoked")
    was = status_of(invitation, now)
    invitation.revoked_at = now
    db.session.flush()
    audit_log.record(
        "review.invitation_revoked",
        "review",
        review.id,
        before={"email": invitation.email, "invitation_id": invitation.id, "status": was},
        after={"email": invitation.email, "invitation_id": invitation.id, "status": InvitationStatus.REVOKED},
    )


def find_by_token(token: str) -> Invitation | None:
    """Looked up across councils: the token is the proof of being invited."""
    query = select(Invitation).where(Invitation.token_hash == token_hash(token))
    return db.session.scalars(query.execution_options(all_councils=True)).first()


def check(invitation: Invitation | None, user: User, now: datetime | None = None) -> Invitation:
    """The invitation, if this person may use it now; otherwise InvitationRefused."""
    now = now or clock.now()
    if invitation is None or invitation.email != normalise_email(user.email):
        # The same answer for an unknown link and someone else's: it reveals nothing.
        raise InvitationRefused(
            "This invitation link is not valid for your account. Check you are signed in with the email "
            "address the invitation was sent to, and that you copied the whole link.",
            404,
        )
    if invitation.accepted_at is not None:
        raise InvitationRefused(
            "This invitation has already been used. Ask the review's lead for a new one if you need it.",
            410,
            invitation,
        )
    if invitation.revoked_at is not None:
        raise InvitationRefused(
            "The review's lead has withdrawn this invitation. Ask them for a new one if you should join.",
            410,
            invitation,
        )
    if invitation.expires_at <= now:
        raise InvitationRefused(
            "This invitation has expired. Ask the review's lead to invite you again.", 410, invitation
        )
    if invitation.council_id != user.council_id and user.role is not Role.PEER_REVIEWER:
        raise InvitationRefused(
            "Invitations to another council's review are for peer reviewer accounts. "
            "Ask your council's administrator to give you one.",
            403,
            invitation,
        )
    if find_review_in_any_council(invitation.review_id).status not in OPEN_FOR_FINDINGS:
        raise InvitationRefused("This review has finished, so the invitation can no longer be used.", 410, invitation)
    return invitation


def accept(invitation: Invitation, user: User, now: datetime | None = None) -> None:
    """Put the person on the team. Call under the reviewed council (tenancy.acting_for)."""
    check(invitation, user, now)
    add_member(invitation.review, user, invitation.role, agency=invitation.agency)
    invitation.accepted_at = now or clock.now()
    invitation.accepted_by_id = user.id
    db.session.flush()
    audit_log.record(
        "review.invitation_accepted",
        "review",
        invitation.review_id,
        actor=user,
        after={"invitation_id": invitation.id, "user_id": user.id},
    )


def record_refusal(refused: InvitationRefused, user: User) -> None:
    invitation_id = refused.invitation.id if refused.invitation else None
    audit_log.record(
        "review.invitation_refused", "invitation", invitation_id, actor=user, detail=f"{refused} ({user.email})"[:500]
    )
