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
from evidence.reviews.models import OPEN_FOR_FINDINGS, Invitation, MemberRole, Review
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


def invite(review: Review, email: str, role: MemberRole, invited_by: str, now: datetime | None = None) -> NewInvitation:
    email = normalise_email(email)
    if "@" not in email:
        raise ReviewError("Enter an email address in the correct format, like name@council.gov.uk", "email")
    if role is MemberRole.LEAD:
        raise ReviewError("Invite people as a reviewer or an observer", "role")
    if not review.is_open_for_findings:
        raise ReviewError(
            "The review has reported: invite people while it is planned, in fieldwork or in moderation", "email"
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        review_id=review.id,
        email=email,
        role=role,
        token_hash=token_hash(token),
        expires_at=(now or clock.now()) + INVITATION_LIFETIME,
        invited_by=invited_by,
    )
    db.session.add(invitation)
    db.session.flush()
    audit_log.record(
        "review.invited", "review", review.id, after={"email": email, "role": role, "invitation_id": invitation.id}
    )
    return NewInvitation(invitation, token)


def pending(review: Review) -> list[Invitation]:
    query = select(Invitation).where(Invitation.review_id == review.id, Invitation.accepted_at.is_(None))
    return db.session.scalars(query.order_by(Invitation.id)).all()


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
    add_member(invitation.review, user, invitation.role)
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
