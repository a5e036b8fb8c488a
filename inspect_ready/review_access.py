"""Who may see and change a review: the one place where a person from another council is let
into a council's data, and only into one review.

Every review view starts with `open_review(review_id)`. It finds the review in any council,
then lets in:

- people who manage it: the review's lead, and senior leaders of the reviewed council;
- people on its team (`ReviewMember`), from any council, while the review is not closed.

Only then does the rest of the request run as the reviewed council (`set_current_council`),
so its queries see that council's review, KLOEs, findings and evidence and, because the
review pages are the only views that call this, nothing else of that council. Anyone else
gets the not-found page, exactly as for a review that does not exist, and the attempt is
written to the audit log of their own council. Refusals after entry (a KLOE not assigned
to the person, evidence outside the review's scope) are logged in the reviewed council.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, make_response, render_template
from flask_login import current_user

from councils import audit_log
from councils.models import Role
from councils.tenancy import set_current_council
from evidence.reviews import setup
from evidence.reviews.models import MemberRole, Review, ReviewKloe, ReviewMember, ReviewStatus
from inspect_ready.extensions import db

NOT_FOUND = (
    "Page not found",
    "If you typed the web address, check it is correct. If you followed a link, "
    "the review may have been removed or you may not be on its team.",
)


@dataclass(frozen=True)
class ReviewAccess:
    review: Review
    member: ReviewMember | None
    manages: bool

    def is_assigned(self, kloe: ReviewKloe) -> bool:
        return self.member is not None and self.member.id in kloe.member_ids

    def sees_finding(self, kloe: ReviewKloe) -> bool:
        return self.manages or self.is_assigned(kloe)

    def may_write(self, kloe: ReviewKloe) -> bool:
        """Findings are written by the people assigned to the KLOE, or by those managing the review."""
        if not self.review.is_open_for_findings:
            return False
        return self.manages or (self.is_assigned(kloe) and self.member.role is not MemberRole.OBSERVER)


def open_review(review_id: int, *, manage: bool = False) -> ReviewAccess:
    """Let the signed-in person into the review, or refuse (404/403) and log the attempt."""
    review = setup.find_review_in_any_council(review_id)
    member = setup.membership(review, current_user.id) if review else None
    manages = (
        review is not None
        and review.council_id == current_user.council_id
        and (current_user.role is Role.SENIOR_LEADER or review.lead_id == current_user.id)
    )
    if review is None or not (manages or member):
        refuse(404, "review.access_refused", "review", review_id, "not on the review's team", NOT_FOUND)
    if review.status is ReviewStatus.CLOSED and not manages:
        refuse(
            403,
            "review.access_refused",
            "review",
            review_id,
            "the review is closed",
            (
                "This review has closed",
                "Access for the review team ends when a review closes. The reviewed council keeps its report.",
            ),
        )
    if manage and not manages:
        refuse(
            403,
            "review.access_refused",
            "review",
            review_id,
            "managing needs the lead or a senior leader",
            (
                "Only the review's lead can do this",
                "Ask the lead or a senior leader of the council to make the change.",
            ),
        )
    set_current_council(review.council_id)
    return ReviewAccess(review, member, manages)


def refuse(status: int, action: str, record_type: str, record_id, reason: str, page: tuple[str, str]):
    """Answer with an error page: nothing changed, and the attempt is in the audit log."""
    db.session.rollback()
    audit_log.record(action, record_type, record_id, detail=f"{reason} ({current_user.email})"[:500])
    db.session.commit()
    title, advice = page
    abort(make_response(render_template("errors/error.html", title=title, advice=advice, status=status), status))
