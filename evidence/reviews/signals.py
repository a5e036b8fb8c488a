"""The adapter from reviews to the scorer: completed findings as `kloe_finding` signals, and
each key line of enquiry of a review at moderation or later as a `Kloe` (explored or not).

One query each, whatever the number of reviews.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from councils.db import db
from evidence.reviews.models import UNGRADED_KINDS, Finding, FindingStatus, Review, ReviewKloe, ReviewStatus
from judgement_framework import EvidenceSignal, Framework, Kloe, SignalKind, signal_id

# A review still being planned has found nothing yet; at moderation its KLOEs should all be answered.
FINDINGS_COUNT_FROM = (ReviewStatus.FIELDWORK, ReviewStatus.MODERATION, ReviewStatus.REPORTED, ReviewStatus.CLOSED)
KLOES_CHECKED_AT = (ReviewStatus.MODERATION, ReviewStatus.REPORTED)


def finding_signals(framework: Framework, as_of: date) -> list[EvidenceSignal]:
    rows = db.session.execute(
        select(Finding, ReviewKloe.question, ReviewKloe.area_ids, ReviewKloe.criterion_ids)
        .join(ReviewKloe, Finding.kloe_id == ReviewKloe.id)
        .join(Review, ReviewKloe.review_id == Review.id)
        .where(
            Review.framework_id == framework.id,
            Review.status.in_(FINDINGS_COUNT_FROM),
            Finding.status == FindingStatus.COMPLETE,
            Finding.grade.is_not(None),
            # A grade kept from before a review became a kind Ofsted does not grade is not one.
            Review.kind.not_in(UNGRADED_KINDS),
        )
        .order_by(Finding.id)
    ).all()
    signals = []
    for finding, question, area_ids, criterion_ids in rows:
        found_on = finding.updated_at.date()
        if found_on > as_of:
            continue
        for area_id in area_ids:
            if area_id not in framework.area_by_id:
                continue
            signals.append(
                EvidenceSignal(
                    id=signal_id("finding", finding.id, area_id),
                    area_id=area_id,
                    date=found_on,
                    title=question,
                    kind=SignalKind.KLOE_FINDING,
                    grade=finding.grade,
                    confidence=finding.confidence,
                    criterion_ids=tuple(c for c in criterion_ids if framework.criterion_area.get(c) == area_id),
                )
            )
    return signals


def review_kloes(framework: Framework, review: Review | None = None) -> list[Kloe]:
    """Key lines of enquiry for the scorer (one not yet answered is a gap): a review's own,
    or every review's on the framework from moderation on, when none is named."""
    query = (
        select(ReviewKloe.id, ReviewKloe.question, ReviewKloe.area_ids, Finding.status)
        .join(Review, ReviewKloe.review_id == Review.id)
        .outerjoin(Finding, Finding.kloe_id == ReviewKloe.id)
        .order_by(ReviewKloe.id)
    )
    if review is not None:
        query = query.where(ReviewKloe.review_id == review.id)
    else:
        query = query.where(Review.framework_id == framework.id, Review.status.in_(KLOES_CHECKED_AT))
    return [
        Kloe(
            id=signal_id("kloe", kloe_id),
            question=question,
            explored=status is FindingStatus.COMPLETE,
            area_ids=tuple(a for a in area_ids if a in framework.area_by_id),
        )
        for kloe_id, question, area_ids, status in db.session.execute(query)
    ]


def needs_to_improve_of(finding_ids: list[int]) -> dict[int, str]:
    """What each of a few findings says needs to improve (the page shows a handful, so the
    list is short), by finding id; findings that say nothing are left out."""
    if not finding_ids:
        return {}
    rows = db.session.execute(select(Finding.id, Finding.needs_to_improve).where(Finding.id.in_(finding_ids)))
    return {finding_id: text.strip() for finding_id, text in rows if text and text.strip()}
