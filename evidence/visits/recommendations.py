"""The council's last inspection's recommendations, and what each monitoring visit rehearsal
found on them: the plan a council judged inadequate is monitored against, visit by visit.

`latest_progress()` is the one way other parts read them (the annual engagement meeting's
pack lists each recommendation with its latest progress).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from councils import audit_log, clock
from councils.db import db
from councils.errors import InputError, raise_all
from councils.tenancy import find
from councils.versions import check_version, first_save, saving
from evidence.reviews.models import Review, ReviewKind
from evidence.reviews.setup import ReviewError
from evidence.visits.models import InspectionRecommendation, Progress, RecommendationProgress

LONGEST_TEXT = 5000
# An inspection report makes a handful of recommendations; more than this is not one report's.
MOST_RECOMMENDATIONS = 40
# The visits shown side by side on the progress page, the most recent.
VISITS_SHOWN = 8
RECOMMENDATION_FIELDS = ["position", "text", "reported_on"]
PROGRESS_FIELDS = ["recommendation_id", "progress", "findings"]


class RecommendationError(InputError):
    """Bad input to a recommendation or the progress recorded on it."""


def recommendations() -> list[InspectionRecommendation]:
    query = select(InspectionRecommendation).order_by(InspectionRecommendation.position, InspectionRecommendation.id)
    return list(db.session.scalars(query.limit(MOST_RECOMMENDATIONS)))


def find_recommendation(recommendation_id: int) -> InspectionRecommendation | None:
    return find(InspectionRecommendation, recommendation_id)


def _checked(text: str, reported_on: date | None, today: date) -> str:
    problems: list[InputError] = []
    text = (text or "").strip()
    if not text:
        problems.append(RecommendationError("Enter the recommendation, as the inspection report words it", "text"))
    elif len(text) > LONGEST_TEXT:
        problems.append(RecommendationError(f"Keep the recommendation to {LONGEST_TEXT} characters or fewer", "text"))
    if reported_on is None:
        problems.append(RecommendationError("Enter the date of the inspection report", "reported_on"))
    elif reported_on > today:
        problems.append(RecommendationError("The inspection report's date must be today or in the past", "reported_on"))
    raise_all(problems)
    return text


def check_recommendation(text: str, reported_on: date | None, today: date) -> None:
    """The checks alone, writing nothing, for a form to show beside its own."""
    _checked(text, reported_on, today)


def add_recommendation(text: str, reported_on: date | None, today: date) -> InspectionRecommendation:
    text = _checked(text, reported_on, today)
    existing = recommendations()
    if len(existing) >= MOST_RECOMMENDATIONS:
        raise RecommendationError(f"Record at most {MOST_RECOMMENDATIONS} recommendations", "text")
    recommendation = InspectionRecommendation(
        position=max((r.position for r in existing), default=0) + 1, text=text, reported_on=reported_on
    )
    db.session.add(recommendation)
    db.session.flush()
    audit_log.record(
        "recommendation.added",
        "inspection_recommendation",
        recommendation.id,
        after=audit_log.snapshot(recommendation, RECOMMENDATION_FIELDS),
    )
    return recommendation


def update_recommendation(
    recommendation: InspectionRecommendation, text: str, reported_on: date | None, today: date, *, version: int
) -> None:
    text = _checked(text, reported_on, today)
    before = audit_log.snapshot(recommendation, RECOMMENDATION_FIELDS)
    with saving(recommendation, "recommendation", version):
        recommendation.text, recommendation.reported_on = text, reported_on
    audit_log.record(
        "recommendation.updated",
        "inspection_recommendation",
        recommendation.id,
        before=before,
        after=audit_log.snapshot(recommendation, RECOMMENDATION_FIELDS),
    )


# A monitoring visit rehearsal's findings ------------------------------------------------------


def progress_on(review: Review, recommendation: InspectionRecommendation) -> RecommendationProgress | None:
    return next((p for p in recommendation.progress if p.review_id == review.id), None)


def record_progress(
    review: Review,
    recommendation: InspectionRecommendation,
    progress: Progress | None,
    findings: str,
    *,
    version: int,
    author: str,
    now: datetime | None = None,
) -> RecommendationProgress:
    """What the visit found on the recommendation, if based on the version saved (0 for new)."""
    problems: list[InputError] = []
    if review.kind is not ReviewKind.MONITORING_VISIT_REHEARSAL:
        problems.append(
            ReviewError("Only a monitoring visit rehearsal records progress on recommendations", "progress")
        )
    elif not review.is_open_for_findings:
        problems.append(ReviewError("The rehearsal has reported, so its findings are the record", "progress"))
    if progress is None:
        problems.append(RecommendationError("Choose the progress made", "progress"))
    findings = (findings or "").strip()
    if not findings:
        problems.append(RecommendationError("Enter what the visit found on this recommendation", "findings"))
    elif len(findings) > LONGEST_TEXT:
        problems.append(RecommendationError(f"Keep the findings to {LONGEST_TEXT} characters or fewer", "findings"))
    raise_all(problems)
    now = now or clock.now()
    record = progress_on(review, recommendation)
    if record is None:
        check_version(None, version, "finding on the recommendation")
        record = RecommendationProgress(
            review_id=review.id, progress=progress, findings=findings, updated_by=author, updated_at=now
        )
        with first_save("finding on the recommendation"):
            recommendation.progress.append(record)
            db.session.flush()
        audit_log.record(
            "recommendation.progress_recorded",
            "review",
            review.id,
            after=audit_log.snapshot(record, PROGRESS_FIELDS),
        )
        return record
    before = audit_log.snapshot(record, PROGRESS_FIELDS)
    with saving(record, "finding on the recommendation", version):
        record.progress, record.findings, record.updated_by, record.updated_at = progress, findings, author, now
    audit_log.record(
        "recommendation.progress_recorded",
        "review",
        review.id,
        before=before,
        after=audit_log.snapshot(record, PROGRESS_FIELDS),
    )
    return record


# Progress over visits -------------------------------------------------------------------------


def monitoring_visits() -> list[Review]:
    """The council's monitoring visit rehearsals, oldest first, the most recent VISITS_SHOWN."""
    query = (
        select(Review)
        .where(Review.kind == ReviewKind.MONITORING_VISIT_REHEARSAL)
        .order_by(Review.starts_on.desc(), Review.id.desc())
        .limit(VISITS_SHOWN)
    )
    return list(reversed(db.session.scalars(query).all()))


@dataclass(frozen=True)
class ProgressRow:
    recommendation: InspectionRecommendation
    by_visit: list[RecommendationProgress | None]  # in the order of the visits


def progress_over_visits() -> tuple[list[Review], list[ProgressRow]]:
    visits = monitoring_visits()
    query = (
        select(InspectionRecommendation)
        .options(selectinload(InspectionRecommendation.progress))
        .order_by(InspectionRecommendation.position, InspectionRecommendation.id)
        .limit(MOST_RECOMMENDATIONS)
    )
    rows = []
    for recommendation in db.session.scalars(query):
        found = {p.review_id: p for p in recommendation.progress}
        rows.append(ProgressRow(recommendation, [found.get(visit.id) for visit in visits]))
    return visits, rows


@dataclass(frozen=True)
class LatestProgress:
    """A recommendation with what the most recent visit to look at it found (None: no visit yet)."""

    text: str
    reported_on: date
    progress: Progress | None
    findings: str | None
    visit_title: str | None
    visit_starts_on: date | None


def latest_progress() -> list[LatestProgress]:
    """Each of the last inspection's recommendations with its latest progress, in the report's
    order: for the annual engagement meeting's pack and anything else that reports on them."""
    query = (
        select(InspectionRecommendation)
        .options(selectinload(InspectionRecommendation.progress).selectinload(RecommendationProgress.review))
        .order_by(InspectionRecommendation.position, InspectionRecommendation.id)
        .limit(MOST_RECOMMENDATIONS)
    )
    found = []
    for recommendation in db.session.scalars(query):
        latest = max(recommendation.progress, key=lambda p: (p.review.starts_on, p.review.id), default=None)
        found.append(
            LatestProgress(
                recommendation.text,
                recommendation.reported_on,
                latest.progress if latest else None,
                latest.findings if latest else None,
                latest.review.title if latest else None,
                latest.review.starts_on if latest else None,
            )
        )
    return found
