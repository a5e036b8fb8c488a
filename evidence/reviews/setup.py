"""Setting up a review: its details, status, team and key lines of enquiry; and what the
review pages show.

Service functions take plain values, check everything before writing, record each change in
the audit log and leave committing to the caller.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select, union
from sqlalchemy.orm import selectinload

from councils import audit_log
from councils.db import db
from councils.errors import InputError, raise_all
from councils.models import Council, User
from councils.tenancy import find
from evidence.reviews import visit_themes
from evidence.reviews.models import (
    FOCUSED_KINDS,
    OPEN_FOR_FINDINGS,
    Finding,
    FindingStatus,
    KloeAssignment,
    MemberRole,
    PartnerAgency,
    Review,
    ReviewKind,
    ReviewKloe,
    ReviewMember,
    ReviewStatus,
)
from judgement_framework import Framework

REVIEW_FIELDS = [
    "title",
    "kind",
    "framework_id",
    "focus_theme_id",
    "scope_area_ids",
    "starts_on",
    "ends_on",
    "lead_id",
    "status",
]
KLOE_FIELDS = ["question", "sub_questions", "area_ids", "criterion_ids"]


class ReviewError(InputError):
    """Bad input to a review, its team or its lines of enquiry."""


@dataclass
class ReviewFields:
    title: str
    kind: ReviewKind
    scope_area_ids: list[str]
    starts_on: date
    ends_on: date
    lead_id: int
    # The theme of a focused visit or JTAI rehearsal (visit_themes.yaml); ignored for other kinds.
    focus_theme_id: str | None = None


@dataclass
class KloeFields:
    question: str
    sub_questions: list[str]
    area_ids: list[str]
    criterion_ids: list[str]


# Reading across councils: the lookups review_access needs, and the team's names -----------------


def find_review_in_any_council(review_id: int) -> Review | None:
    query = select(Review).where(Review.id == review_id).execution_options(all_councils=True)
    return db.session.scalars(query).first()


def membership(review: Review, user_id: int) -> ReviewMember | None:
    query = select(ReviewMember).where(ReviewMember.review_id == review.id, ReviewMember.user_id == user_id)
    return db.session.scalars(query.execution_options(all_councils=True)).first()


def names_on_review(review: Review, *user_columns) -> dict[int, str]:
    """The names of the people this review's own rows name, whatever their council, by user id.

    A peer reviewer's account belongs to their own council, so the reviewed council's tenancy
    filter hides it; yet their words and grades are shown with their name to everyone who may
    see the review. This is the one deliberate way across: only the lead, the team and the
    users that `user_columns` (say `ProposedGrade.reviewer_id`, on rows with a `review_id`)
    name on this review's own rows - a reviewer removed from the team is still named beside
    what they wrote - and only their names.
    """
    named = [
        select(Review.lead_id).where(Review.id == review.id),
        select(ReviewMember.user_id).where(ReviewMember.review_id == review.id),
        *(select(column).where(column.class_.review_id == review.id) for column in user_columns),
    ]
    query = select(User.id, User.name).where(User.id.in_(union(*named)))
    return {user_id: name for user_id, name in db.session.execute(query.execution_options(all_councils=True))}


@dataclass(frozen=True)
class MyReview:
    review: Review
    council_name: str
    role: MemberRole
    my_kloes: int
    left_to_do: int


def _memberships(user_id: int):
    """The person's places on reviews not yet closed, in any council."""
    return (
        select(ReviewMember, Review, Council.name)
        .join(Review, ReviewMember.review_id == Review.id)
        .join(Council, Review.council_id == Council.id)
        .where(ReviewMember.user_id == user_id, Review.status != ReviewStatus.CLOSED)
        .execution_options(all_councils=True)
    )


def reviews_of(user_id: int, *, soonest_open: int | None = None) -> list[MyReview]:
    """The reviews a person is on, in any council, with the work left on their KLOEs, the
    latest started first; or, with `soonest_open`, that many at most, those still open for
    findings first, the soonest ending first.

    Read across councils on purpose: these are the person's own memberships. Closed reviews
    are left out, as access ends when a review closes.
    """
    query = _memberships(user_id)
    if soonest_open is None:
        query = query.order_by(Review.starts_on.desc(), Review.id)
    else:
        still_open = case((Review.status.in_(OPEN_FOR_FINDINGS), 0), else_=1)
        query = query.order_by(still_open, Review.ends_on, Review.starts_on.desc(), Review.id).limit(soonest_open)
    rows = db.session.execute(query).all()
    member_ids = [member.id for member, _, _ in rows]
    counts = db.session.execute(
        select(KloeAssignment.member_id, Finding.status, func.count())
        .join(ReviewKloe, KloeAssignment.kloe_id == ReviewKloe.id)
        .outerjoin(Finding, Finding.kloe_id == ReviewKloe.id)
        .where(KloeAssignment.member_id.in_(member_ids))
        .group_by(KloeAssignment.member_id, Finding.status)
        .execution_options(all_councils=True)
    ).all()
    assigned, done = Counter(), Counter()
    for member_id, status, count in counts:
        assigned[member_id] += count
        if status is FindingStatus.COMPLETE:
            done[member_id] += count
    return [
        MyReview(review, council_name, member.role, assigned[member.id], assigned[member.id] - done[member.id])
        for member, review, council_name in rows
    ]


def review_count_of(user_id: int) -> int:
    """How many reviews not yet closed the person is on, in any council."""
    counting = _memberships(user_id).with_only_columns(func.count(ReviewMember.id))
    return db.session.scalar(counting.execution_options(all_councils=True))


# The review itself ----------------------------------------------------------------------------


def council_reviews() -> list[Review]:
    return db.session.scalars(select(Review).order_by(Review.starts_on.desc(), Review.id)).all()


def _check_review(fields: ReviewFields, framework: Framework) -> User:
    """Everything wrong with a review's details, all at once, before anything is written."""
    problems: list[InputError] = []
    if not fields.title.strip():
        problems.append(ReviewError("Enter a title for the review", "title"))
    unknown = [a for a in fields.scope_area_ids if a not in framework.area_by_id]
    if unknown:
        problems.append(ReviewError(f"Choose judgement areas of {framework.title} from the list", "scope_area_ids"))
    if fields.starts_on is None:
        problems.append(ReviewError("Enter the first day of the review", "starts_on"))
    if fields.ends_on is None:
        problems.append(ReviewError("Enter the last day of the review", "ends_on"))
    elif fields.starts_on is not None and fields.ends_on < fields.starts_on:
        problems.append(ReviewError("The end date must be the same as or after the start date", "ends_on"))
    lead = find(User, fields.lead_id) if fields.lead_id is not None else None
    if lead is None:
        problems.append(ReviewError("Choose a lead from your council", "lead_id"))
    if fields.kind in FOCUSED_KINDS and visit_themes.find_theme(fields.kind, framework, fields.focus_theme_id) is None:
        problems.append(
            ReviewError(f"Choose the focus of the {fields.kind.label.lower()} from the list", "focus_theme_id")
        )
    raise_all(problems)
    return lead


def _focus_and_scope(fields: ReviewFields, framework: Framework) -> tuple[str | None, list[str]]:
    """A focused visit looks at its theme's area of practice alone, so its theme sets its
    scope; a JTAI keeps the judgements chosen; other kinds have no theme."""
    theme = visit_themes.find_theme(fields.kind, framework, fields.focus_theme_id)
    if theme is None:
        return None, list(dict.fromkeys(fields.scope_area_ids))
    if fields.kind is ReviewKind.FOCUSED_VISIT_REHEARSAL:
        return theme.id, list(theme.area_ids)
    return theme.id, list(dict.fromkeys(fields.scope_area_ids))


def check_review(fields: ReviewFields, framework: Framework) -> None:
    """The checks of a review's details alone, writing nothing: a form runs them beside its
    own field checks so every problem is shown at once."""
    _check_review(fields, framework)


def create_review(fields: ReviewFields, framework: Framework) -> Review:
    lead = _check_review(fields, framework)
    focus, scope = _focus_and_scope(fields, framework)
    review = Review(
        title=fields.title.strip(),
        kind=fields.kind,
        framework_id=framework.id,
        focus_theme_id=focus,
        scope_area_ids=scope,
        starts_on=fields.starts_on,
        ends_on=fields.ends_on,
        lead_id=lead.id,
        status=ReviewStatus.PLANNED,
    )
    db.session.add(review)
    db.session.flush()
    _join(review, lead, MemberRole.LEAD)
    audit_log.record("review.created", "review", review.id, after=audit_log.snapshot(review, REVIEW_FIELDS))
    return review


def update_review(review: Review, fields: ReviewFields, framework: Framework, status: ReviewStatus) -> None:
    lead = _check_review(fields, framework)
    before = audit_log.snapshot(review, REVIEW_FIELDS)
    review.title, review.kind = fields.title.strip(), fields.kind
    review.focus_theme_id, review.scope_area_ids = _focus_and_scope(fields, framework)
    review.starts_on, review.ends_on, review.status = fields.starts_on, fields.ends_on, status
    if lead.id != review.lead_id:
        for member in review.members:
            if member.role is MemberRole.LEAD:
                member.role = MemberRole.REVIEWER
        current = next((m for m in review.members if m.user_id == lead.id), None)
        if current:
            current.role = MemberRole.LEAD
        else:
            _join(review, lead, MemberRole.LEAD)
        review.lead_id = lead.id
    db.session.flush()
    audit_log.record(
        "review.updated", "review", review.id, before=before, after=audit_log.snapshot(review, REVIEW_FIELDS)
    )


def scope_areas(review: Review, framework: Framework) -> list:
    """The judgement areas the review looks at, in framework order."""
    chosen = set(review.scope_area_ids)
    return [a for a in framework.areas if a.kind != "overall" and (not chosen or a.id in chosen)]


# The team -------------------------------------------------------------------------------------


def _join(review: Review, user: User, role: MemberRole, agency: PartnerAgency | None = None) -> ReviewMember:
    # A partner agency's auditor speaks for the agency, not for the council that holds the account.
    organisation = agency.label if agency else user.council.name
    member = ReviewMember(user_id=user.id, role=role, name=user.name, organisation=organisation, agency=agency)
    review.members.append(member)
    db.session.flush()
    audit_log.record(
        "review.member_added",
        "review",
        review.id,
        after={"user_id": user.id, "name": user.name, "role": role, "agency": agency},
    )
    return member


def add_member(review: Review, user: User, role: MemberRole, agency: PartnerAgency | None = None) -> ReviewMember:
    if role is MemberRole.LEAD:
        raise ReviewError("Choose the lead on the review's details page", "role")
    if any(member.user_id == user.id for member in review.members):
        raise ReviewError(f"{user.name} is already on the team", "user_id")
    if not user.active:
        raise ReviewError(f"{user.name} can no longer sign in, so cannot join the team", "user_id")
    return _join(review, user, role, agency)


def check_removable(review: Review, member: ReviewMember) -> None:
    """What refuses removing the member now, writing nothing (its confirmation says it)."""
    if member.review_id != review.id:
        raise ReviewError("That person is not on this review's team", "member")
    if member.role is MemberRole.LEAD:
        raise ReviewError("The lead cannot be removed: choose another lead first", "member")


def remove_member(review: Review, member: ReviewMember) -> None:
    check_removable(review, member)
    before = {"user_id": member.user_id, "name": member.name, "role": member.role}
    review.members.remove(member)
    db.session.delete(member)
    db.session.flush()
    audit_log.record("review.member_removed", "review", review.id, before=before)


# Key lines of enquiry -------------------------------------------------------------------------


def bank_kloes(review: Review, framework: Framework) -> list[tuple]:
    """(area, bank KLOE) pairs for the review's scope not yet added to it."""
    added = {kloe.bank_id for kloe in review.kloes}
    return [(area, k) for area in scope_areas(review, framework) for k in area.kloes if k.id not in added]


def add_bank_kloes(review: Review, framework: Framework, bank_ids: list[str]) -> list[ReviewKloe]:
    available = {k.id: (area, k) for area, k in bank_kloes(review, framework)}
    if not bank_ids:
        raise ReviewError("Choose at least one key line of enquiry", "bank_ids")
    if any(b not in available for b in bank_ids):
        raise ReviewError("Choose key lines of enquiry from the options shown", "bank_ids")
    added = []
    for bank_id in [b for b in available if b in set(bank_ids)]:  # in the framework's order
        area, template = available[bank_id]
        added.append(
            _add_kloe(review, KloeFields(template.question, list(template.sub_questions), [area.id], []), bank_id)
        )
    return added


def _check_kloe(fields: KloeFields, framework: Framework) -> KloeFields:
    """Everything wrong with a key line of enquiry, all at once, before anything is written."""
    problems: list[InputError] = []
    question = fields.question.strip()
    if not question:
        problems.append(ReviewError("Enter the key line of enquiry", "question"))
    areas = [a for a in dict.fromkeys(fields.area_ids) if a in framework.area_by_id]
    if not fields.area_ids:
        problems.append(ReviewError("Choose at least one judgement area", "area_ids"))
    elif len(areas) < len(set(fields.area_ids)):
        problems.append(ReviewError("Choose judgement areas from the options shown", "area_ids"))
    criteria = list(dict.fromkeys(fields.criterion_ids))
    if any(framework.criterion_area.get(c) not in areas for c in criteria):
        problems.append(ReviewError("A criterion chosen is not one of the judgements chosen", "criterion_ids"))
    raise_all(problems)
    subs = [s.strip() for s in fields.sub_questions if s.strip()]
    return KloeFields(question, subs, areas, criteria)


def check_kloe(fields: KloeFields, framework: Framework) -> None:
    """The checks of a key line of enquiry alone, writing nothing: a form runs them beside its
    own field checks so every problem is shown at once."""
    _check_kloe(fields, framework)


def _add_kloe(review: Review, fields: KloeFields, bank_id: str | None = None) -> ReviewKloe:
    position = max((k.position for k in review.kloes), default=0) + 1
    kloe = ReviewKloe(position=position, bank_id=bank_id, **vars(fields))
    review.kloes.append(kloe)
    db.session.flush()
    audit_log.record(
        "review.kloe_added", "review_kloe", kloe.id, after=audit_log.snapshot(kloe, KLOE_FIELDS + ["bank_id"])
    )
    return kloe


def add_kloe(review: Review, fields: KloeFields, framework: Framework) -> ReviewKloe:
    return _add_kloe(review, _check_kloe(fields, framework))


def update_kloe(kloe: ReviewKloe, fields: KloeFields, framework: Framework, member_ids: list[int]) -> None:
    checked = _check_kloe(fields, framework)
    team = {m.id: m for m in kloe.review.members}
    if any(member_id not in team for member_id in member_ids):
        raise ReviewError("Choose people from the review's team", "member_ids")
    if any(team[member_id].role is MemberRole.OBSERVER for member_id in member_ids):
        raise ReviewError("Observers watch and do not record findings: choose reviewers or the lead", "member_ids")
    before = _kloe_snapshot(kloe)
    for name, value in vars(checked).items():
        setattr(kloe, name, value)
    wanted = set(member_ids)
    kloe.assignments = [a for a in kloe.assignments if a.member_id in wanted]
    kloe.assignments.extend(KloeAssignment(member_id=m) for m in sorted(wanted - kloe.member_ids))
    db.session.flush()
    audit_log.record("review.kloe_updated", "review_kloe", kloe.id, before=before, after=_kloe_snapshot(kloe))


def delete_kloe(review: Review, kloe: ReviewKloe) -> None:
    """Take a line of enquiry off the review, with its finding, while the review is open. Once
    reported, the findings are the record and stay."""
    if kloe.review_id != review.id:
        raise ReviewError("That line of enquiry is not on this review", "kloe")
    if not review.is_open_for_findings:
        raise ReviewError(
            "The review has reported, so its lines of enquiry are the record and cannot be deleted", "kloe"
        )
    before = _kloe_snapshot(kloe)
    if kloe.finding is not None:
        before["finding"] = audit_log.snapshot(
            kloe.finding, ["strengths", "areas_for_development", "needs_to_improve", "grade", "confidence", "status"]
        ) | {"evidence_item_ids": sorted(c.evidence_item_id for c in kloe.finding.citations)}
        # Deleted through the session, not left to the database's cascade: SQLite may not enforce it.
        db.session.delete(kloe.finding)
    review.kloes.remove(kloe)
    db.session.delete(kloe)
    db.session.flush()
    audit_log.record("review.kloe_deleted", "review_kloe", kloe.id, before=before)


def _kloe_snapshot(kloe: ReviewKloe) -> dict:
    return audit_log.snapshot(kloe, KLOE_FIELDS) | {"member_ids": sorted(kloe.member_ids)}


# Progress -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberProgress:
    member: ReviewMember
    assigned: int
    complete: int
    drafts: int


def progress_by_member(review: Review) -> list[MemberProgress]:
    rows = []
    for member in review.members:
        kloes = [k for k in review.kloes if member.id in k.member_ids]
        statuses = [k.finding.status for k in kloes if k.finding]
        rows.append(
            MemberProgress(
                member, len(kloes), statuses.count(FindingStatus.COMPLETE), statuses.count(FindingStatus.DRAFT)
            )
        )
    return rows


def kloes_with_findings(review: Review) -> list[ReviewKloe]:
    """The review's key lines of enquiry with their findings and who is assigned, in a fixed
    number of queries however many there are (pages list them all)."""
    query = (
        select(ReviewKloe)
        .options(
            selectinload(ReviewKloe.finding),
            selectinload(ReviewKloe.assignments).selectinload(KloeAssignment.member),
        )
        .where(ReviewKloe.review_id == review.id)
        .order_by(ReviewKloe.position, ReviewKloe.id)
    )
    return list(db.session.scalars(query))
