"""Who may see and change a review: the one place where a person from another council is let
into a council's data, and only into one review.

Every view with a review id (`review_id`, or `inspection_id` for a mock inspection) is a
`@review_page`, which runs `open_review` before the view. It finds the review in any council,
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

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import wraps

from flask import abort, make_response, render_template, request
from flask_login import current_user

from councils import audit_log
from councils.models import Role
from councils.tenancy import set_current_council
from evidence.reviews import setup
from evidence.reviews.models import MemberRole, Review, ReviewKind, ReviewKloe, ReviewMember, ReviewStatus
from inspect_ready.permissions import declared
from inspect_ready.transactions import commit_now, roll_back

NOT_FOUND = (
    "Page not found",
    "If you typed the web address, check it is correct. If you followed a link, "
    "the review may have been removed or you may not be on its team.",
)


class Level(Enum):
    """How far into a review a page needs the person to be."""

    READ = "read"  # anyone open_review lets in
    CONTRIBUTE = "contribute"  # a team member who is not an observer, or someone who manages it
    MANAGE = "manage"  # the review's lead, or a senior leader of the reviewed council


@dataclass(frozen=True)
class ReviewAccess:
    review: Review
    member: ReviewMember | None
    manages: bool

    @property
    def is_reviewer(self) -> bool:
        """On the team in a role that writes: observers only read."""
        return self.member is not None and self.member.role is not MemberRole.OBSERVER

    @property
    def contributes(self) -> bool:
        return self.manages or self.is_reviewer

    def has(self, level: Level) -> bool:
        return level is Level.READ or (self.contributes if level is Level.CONTRIBUTE else self.manages)

    def is_assigned(self, kloe: ReviewKloe) -> bool:
        return self.member is not None and self.member.id in kloe.member_ids

    def sees_finding(self, kloe: ReviewKloe) -> bool:
        return self.manages or self.is_assigned(kloe)

    def may_write(self, kloe: ReviewKloe) -> bool:
        """Findings are written by the people assigned to the KLOE, or by those managing the review."""
        if not self.review.is_open_for_findings:
            return False
        return self.manages or (self.is_assigned(kloe) and self.is_reviewer)


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
    roll_back()
    audit_log.record(action, record_type, record_id, detail=f"{reason} ({current_user.email})"[:500])
    commit_now()  # the record of the attempt outlives the refusal
    title, advice = page
    abort(make_response(render_template("errors/error.html", title=title, advice=advice, status=status), status))


# Pages of one kind of review name it by their own id: any other review's is not found.
KIND_OF_ID = {
    "inspection_id": ReviewKind.MOCK_INSPECTION,
    "jtai_id": ReviewKind.JTAI_REHEARSAL,
    "monitoring_visit_id": ReviewKind.MONITORING_VISIT_REHEARSAL,
}
REVIEW_ID_ARGUMENTS = frozenset({"review_id", *KIND_OF_ID})


@dataclass(frozen=True)
class ReviewGuard:
    """The level a review page needs: `read` to see it (GET), `post` to send it a form."""

    read: Level
    post: Level

    def level(self, method: str) -> Level:
        return self.read if method in ("GET", "HEAD") else self.post


def review_page(read: Level, *, post: Level | None = None) -> Callable:
    """Open the review named by the route's `review_id` (or `inspection_id`, `jtai_id` or
    `monitoring_visit_id`, which must be a review of that kind: KIND_OF_ID) at the level the view needs, and pass the view its `ReviewAccess`
    as `access`:

        @bp.route("/<int:review_id>/team")
        @allow_signed_in             # the role check first: open_review needs a signed-in person
        @review_page(Level.MANAGE)
        def team(review_id: int, access: ReviewAccess): ...

    The refusals are open_review's (404 off the team, 403 closed or not managing, each
    logged), as the views made them before this decorator; CONTRIBUTE, and a stricter `post`
    for a page some may read but not send to, answer with the plain 403 page, as the views'
    own checks did (the page offered those people no form). Finer rules about one record
    (a KLOE's finding, which form on the page) stay in the view, asking `access`.
    """
    if post is not None and list(Level).index(post) <= list(Level).index(read):
        raise ValueError("post= must name a level stricter than the page's own")
    guard = ReviewGuard(read, post or read)

    def decorator(view: Callable) -> Callable:
        if declared(view):
            raise TypeError(f"{view.__name__}: put @review_page below the role decorator, which must run first")

        @wraps(view)
        def opened(*args, **kwargs):
            argument = next((name for name in KIND_OF_ID if name in kwargs), "review_id")
            access = open_review(kwargs[argument], manage=guard.read is Level.MANAGE)
            if argument in KIND_OF_ID and access.review.kind is not KIND_OF_ID[argument]:
                abort(404)
            if not access.has(guard.level(request.method)):
                abort(403)
            return view(*args, access=access, **kwargs)

        opened.review_guard = guard  # read by the permissions test, like allowed_roles
        return opened

    return decorator
