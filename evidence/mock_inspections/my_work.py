"""What a review asks of one person, in every council they review: the lines of enquiry
assigned to them and their findings' state, the grades a mock inspection awaits from them,
and when the review ends. A peer reviewer's home page is this list.

Read across councils on purpose, and only through the person's own memberships (as
`reviews.setup.reviews_of` does).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from councils.db import db
from evidence.mock_inspections.models import ProposedGrade
from evidence.reviews.models import (
    OPEN_FOR_FINDINGS,
    Finding,
    KloeAssignment,
    MemberRole,
    ReviewKind,
    ReviewKloe,
    ReviewMember,
    ReviewStatus,
)
from evidence.reviews.setup import MyReview, reviews_of, scope_areas
from judgement_framework import load_framework

# A mock inspection takes proposals while its team is at work, before the outcome is recorded.
TAKING_PROPOSALS = frozenset({ReviewStatus.FIELDWORK, ReviewStatus.MODERATION})


@dataclass(frozen=True)
class AssignedKloe:
    kloe_id: int
    question: str
    state: str  # "Not started", "Draft" or "Complete", as the review's pages say


@dataclass(frozen=True)
class AwaitedGrade:
    area_id: str
    title: str


@dataclass(frozen=True)
class ReviewWork:
    mine: MyReview
    kloes: tuple[AssignedKloe, ...]
    awaited_grades: tuple[AwaitedGrade, ...]
    overdue: bool

    @property
    def to_do(self) -> int:
        return sum(k.state != "Complete" for k in self.kloes) + len(self.awaited_grades)


def work_of(user_id: int, today: dt.date, shown: int | None = None) -> list[ReviewWork]:
    """Each review not yet closed the person is on, with what it asks of them: those open for
    findings first, the soonest ending first; `shown` of them at most (the home page's, which
    a director leading every review of years would otherwise find growing without end)."""
    mine = reviews_of(user_id) if shown is None else reviews_of(user_id, soonest_open=shown)
    if not mine:
        return []
    kloes = _assigned_kloes(user_id, [m.review.id for m in mine])
    proposed = _proposed_areas(user_id, [m.review.id for m in mine if m.review.kind is ReviewKind.MOCK_INSPECTION])
    work = []
    for entry in mine:
        review = entry.review
        awaited = ()
        if (
            review.kind is ReviewKind.MOCK_INSPECTION
            and review.status in TAKING_PROPOSALS
            and entry.role in (MemberRole.LEAD, MemberRole.REVIEWER)
        ):
            framework = load_framework(review.framework_id)
            awaited = tuple(
                AwaitedGrade(area.id, area.title)
                for area in scope_areas(review, framework)
                if area.id not in proposed[review.id]
            )
        open_work = review.status in OPEN_FOR_FINDINGS
        work.append(ReviewWork(entry, tuple(kloes[review.id]), awaited, overdue=open_work and review.ends_on < today))
    return sorted(work, key=lambda w: (w.mine.review.status not in OPEN_FOR_FINDINGS, w.mine.review.ends_on))


def _assigned_kloes(user_id: int, review_ids: list[int]) -> dict[int, list[AssignedKloe]]:
    # Columns, not objects: a lazy load of another council's finding would be hidden by the
    # tenancy filter and every line of enquiry would read "Not started".
    rows = db.session.execute(
        select(ReviewKloe.review_id, ReviewKloe.id, ReviewKloe.question, Finding.status)
        .join(KloeAssignment, KloeAssignment.kloe_id == ReviewKloe.id)
        .join(ReviewMember, KloeAssignment.member_id == ReviewMember.id)
        .outerjoin(Finding, Finding.kloe_id == ReviewKloe.id)
        .where(ReviewMember.user_id == user_id, ReviewKloe.review_id.in_(review_ids))
        .order_by(ReviewKloe.review_id, ReviewKloe.position, ReviewKloe.id)
        .execution_options(all_councils=True)
    )
    found = defaultdict(list)
    for review_id, kloe_id, question, status in rows:
        found[review_id].append(AssignedKloe(kloe_id, question, status.label if status else "Not started"))
    return found


def _proposed_areas(user_id: int, review_ids: list[int]) -> dict[int, set[str]]:
    rows = db.session.execute(
        select(ProposedGrade.review_id, ProposedGrade.area_id)
        .where(ProposedGrade.reviewer_id == user_id, ProposedGrade.review_id.in_(review_ids))
        .execution_options(all_councils=True)
    )
    proposed = defaultdict(set)
    for review_id, area_id in rows:
        proposed[review_id].add(area_id)
    return proposed
