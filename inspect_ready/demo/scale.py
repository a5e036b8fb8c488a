"""The demo council grown to a large council's size, for trying the service (and timing it)
at scale: `flask setup-demo --evidence-items 100000`.

On top of the hand-made demo (demo/evidence.py, reviews.py, mock_inspections.py), this adds
case audits with their answers, evidence items and links, other kinds of evidence, local
indicators with monthly values, peer reviews with findings, reported mock inspections with
their recorded outcomes, an action plan and escalations, all in proportion to the number of
evidence items asked for. Rows go in with SQLAlchemy Core inserts of many rows at a time: the
ORM's one object per row would take minutes at 100,000 items.

Seeded random numbers: the same council every time for the same size.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import insert, select, text

from councils import audit_log, clock
from councils.db import db
from councils.models import Council, Role, ServiceArea, User
from councils.tenancy import acting_for
from evidence.action_plan.models import Action, ActionNote, ActionStatus
from evidence.case_audits.audit_templates import default_template
from evidence.case_audits.audits import leaning_of
from evidence.case_audits.case_type_areas import default_areas
from evidence.case_audits.models import (
    CASE_TYPE_SERVICE,
    AuditAnswer,
    CaseAudit,
    CaseType,
    Escalation,
    EscalationStatus,
)
from evidence.library.items import framework_of
from evidence.library.models import EvidenceItem, EvidenceKind, EvidenceLink, EvidenceStatus, Leaning
from evidence.mock_inspections.case_sample import AGE_BANDS, CASE_TYPES, GENDERS
from evidence.mock_inspections.models import ModeratedGrade, ProposedGrade, RecordedOutcome, TrackedCase
from evidence.performance import indicators
from evidence.performance.models import Indicator, IndicatorValue, Polarity, Unit
from evidence.reviews.models import (
    Finding,
    FindingStatus,
    MemberRole,
    Review,
    ReviewKind,
    ReviewKloe,
    ReviewMember,
    ReviewStatus,
)
from inspect_ready.demo.evidence import AUDITORS, GRADES, TEAMS, WORKERS, _answer
from judgement_framework import Confidence, Framework, apply_rules

# The fewest evidence items setup-demo grows the demo to: the hand-made demo has about 360 of
# its own, and fewer than this would not be a larger council.
MIN_EVIDENCE_ITEMS = 500
# The most evidence items setup-demo builds: a million is ten times the largest council the
# service is sized for, and takes an hour and gigabytes to build on a small machine.
MAX_EVIDENCE_ITEMS = 1_000_000
DAYS = 3 * 365  # audits and evidence over the last three years
MONTHS = 36
# For every 20,000 evidence items (the large council), how many of each record.
PER_20000 = {
    "case_audits": 5_000,  # each with its own evidence item, so 15,000 items of other kinds
    "local_indicators": 20,
    "peer_reviews": 10,
    "mock_inspections": 20,
    "actions": 300,
}
KLOES_PER_REVIEW = 8
CASES_PER_MOCK_INSPECTION = 25
OTHER_KINDS = [k for k in EvidenceKind if k is not EvidenceKind.CASE_AUDIT]
# What other evidence says, by kind, so the library reads like a council's and not a test's.
TITLES = {
    EvidenceKind.DOCUMENT: ["Practice standards, revised", "Service plan update", "Board report on caseloads"],
    EvidenceKind.OBSERVATION: ["Observation of a child protection conference", "Supervision observed"],
    EvidenceKind.VOICE_OF_CHILD: ["Children in care council feedback", "Exit survey of care leavers"],
    EvidenceKind.KLOE_FINDING: ["Peer review finding on assessments", "Audit theme: management oversight"],
}
SERVICE_AREAS = [None, *ServiceArea]
# Chunks of rows per insert: bounded memory at any size, and SQLite's limit on bound values.
CHUNK = 5_000


@dataclass(frozen=True)
class Sizes:
    """How many of each record a council of `evidence_items` gets, beyond the hand-made demo."""

    evidence_items: int
    case_audits: int
    other_evidence: int
    local_indicators: int
    peer_reviews: int
    mock_inspections: int
    actions: int

    @classmethod
    def for_items(cls, evidence_items: int, already: int) -> Sizes:
        """The sizes that bring the council from `already` evidence items to `evidence_items`."""
        extra = max(0, evidence_items - already)

        def share(name: str) -> int:
            return round(extra * PER_20000[name] / 20_000)

        case_audits = share("case_audits")
        return cls(
            evidence_items=extra,
            case_audits=case_audits,
            other_evidence=extra - case_audits,
            local_indicators=share("local_indicators"),
            peer_reviews=share("peer_reviews"),
            mock_inspections=share("mock_inspections"),
            actions=share("actions"),
        )


def evidence_count() -> int:
    return db.session.scalar(select(db.func.count(EvidenceItem.id)))


def grow(council: Council, evidence_items: int, today: dt.date, seed: int = 2026) -> Sizes:
    """Add records to the demo council until it has about `evidence_items` evidence items."""
    rng = random.Random(seed)
    with acting_for(council.id):
        sizes = Sizes.for_items(evidence_items, evidence_count())
        if sizes.evidence_items == 0:
            return sizes
        framework = framework_of(council)
        with acting_for(None):  # the peer reviewer is another council's
            people = list(db.session.scalars(select(User).order_by(User.id)))
        builder = _Builder(council, framework, people, today, rng)
        builder.audits(sizes.case_audits)
        builder.other_evidence(sizes.other_evidence)
        builder.indicators(sizes.local_indicators)
        builder.peer_reviews(sizes.peer_reviews)
        builder.mock_inspections(sizes.mock_inspections)
        builder.actions(sizes.actions)
        audit_log.record(
            "evidence.demo_loaded",
            "evidence_item",
            detail=f"{sizes.evidence_items:,} demo evidence items loaded in bulk",
        )
        db.session.flush()
    return sizes


def analyze() -> None:
    """Planner statistics for the new rows, as autovacuum would gather on a live server:
    without them PostgreSQL guesses a handful of rows per table and nests loops over every
    item (scoring 100,000 items then passed the 30 s statement timeout). Run in the loader's
    own transaction, whose rows ANALYZE counts, so the demo is still loaded all or nothing
    and what is scored before the commit (the self-evaluation's draft) is planned on them."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.flush()
        db.session.execute(text("ANALYZE"))


class _Builder:
    def __init__(self, council: Council, framework: Framework, people: list[User], today: dt.date, rng):
        self.owned = {"council_id": council.id}
        self.framework = framework
        self.grades = [g.id for g in framework.grades]
        self.today = today
        self.rng = rng
        self.leader = next(p for p in people if p.role is Role.SENIOR_LEADER)
        self.heads = [p for p in people if p.role is Role.HEAD_OF_SERVICE]
        self.staff = [p for p in people if p.council_id == council.id and p.role is not Role.ADMINISTRATOR]
        self.reviewers = [p for p in people if p.role is Role.PEER_REVIEWER] + self.heads
        self.recorded_at = clock.now()

    def _day(self, days: int = DAYS, at_least: int = 0) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randrange(at_least, days))

    def _insert(self, model, rows: list[dict], *, ids: bool = False) -> list[int]:
        """Many rows at once, in chunks; their ids in order if asked."""
        new_ids: list[int] = []
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            if ids:
                statement = insert(model).returning(model.id, sort_by_parameter_order=True)
                new_ids.extend(db.session.scalars(statement, chunk))
            else:
                db.session.execute(insert(model), chunk)
        return new_ids

    def _links(self, item_ids: list[int], areas_of_items: list[list[str]]) -> None:
        """Each item's judgement areas, most of them with one of the area's criteria."""
        rows = []
        for item_id, area_ids in zip(item_ids, areas_of_items, strict=True):
            for area_id in area_ids:
                area = self.framework.area_by_id[area_id]
                criterion = self.rng.choice([None, *[c.id for c in area.criteria]])
                rows.append(self.owned | {"evidence_item_id": item_id, "area_id": area_id, "criterion_id": criterion})
        self._insert(EvidenceLink, rows)

    def audits(self, count: int) -> None:
        """Case audits as record_audit() makes them: answers, an evidence item and its links;
        about one in six inadequate audits escalated, those over two months old resolved."""
        template = default_template()
        rows, answers, areas = [], [], []
        for number in range(count):
            team = self.rng.choice(list(TEAMS))
            case_types, weights = TEAMS[team]
            case_type = CaseType(self.rng.choice(case_types))
            grade = self.rng.choices(GRADES, weights)[0]
            rows.append(
                self.owned
                | {
                    "template_id": template.id,
                    "case_reference": f"NB-{200000 + number}",
                    "case_type": case_type,
                    "team": team,
                    "worker": self.rng.choice(WORKERS),
                    "auditor": self.rng.choice(AUDITORS),
                    "audit_date": self._day(),
                    "overall_grade": grade,
                    "comment": "The child's plan is clear; management oversight is recorded.",
                }
            )
            answers.append({q.id: _answer(self.rng, q, grade) for q in template.questions})
            areas.append(default_areas(self.framework, case_type.value) or [self.framework.areas[0].id])
        audit_ids = self._insert(CaseAudit, rows, ids=True)
        self._insert(
            AuditAnswer,
            [
                self.owned | {"case_audit_id": audit_id, "question_id": question, "answer": answer, "comment": ""}
                for audit_id, given in zip(audit_ids, answers, strict=True)
                for question, answer in given.items()
            ],
        )
        items = [
            self.owned
            | {
                "title": f"Case audit {a['case_reference']} ({a['case_type'].label.lower()}, {a['team']})",
                "kind": EvidenceKind.CASE_AUDIT,
                "summary": a["comment"],
                "grade": a["overall_grade"],
                "leaning": leaning_of(a["overall_grade"], self.framework),
                "evidence_date": a["audit_date"],
                "owner_id": self.leader.id,
                "service_area": CASE_TYPE_SERVICE[a["case_type"]],
                "source_reference": f"Case file audit of {a['case_reference']}",
                "status": EvidenceStatus.ACCEPTED,
                "case_audit_id": audit_id,
            }
            for audit_id, a in zip(audit_ids, rows, strict=True)
        ]
        self._links(self._insert(EvidenceItem, items, ids=True), areas)
        escalations = []
        for audit_id, audit in zip(audit_ids, rows, strict=True):
            if audit["overall_grade"] != "inadequate" or self.rng.random() > 0.33:
                continue
            resolved = (self.today - audit["audit_date"]).days > 60
            raised = dt.datetime.combine(audit["audit_date"], dt.time(10))
            escalations.append(
                self.owned
                | {
                    "case_audit_id": audit_id,
                    "concern": "Risk from a parent's partner not assessed; no recent visit recorded.",
                    "owner_id": self.rng.choice(self.heads or [self.leader]).id,
                    "due_date": audit["audit_date"] + dt.timedelta(days=self.rng.choice([5, 10, 14])),
                    "status": EscalationStatus.RESOLVED if resolved else EscalationStatus.OPEN,
                    "action_taken": "Strategy discussion held; the child was seen." if resolved else None,
                    "raised_at": raised,
                    "resolved_at": raised + dt.timedelta(days=7) if resolved else None,
                }
            )
        self._insert(Escalation, escalations)

    def other_evidence(self, count: int) -> None:
        """Documents, observations, children's voices and findings: most accepted, some drafts
        and archived; a few ungraded."""
        statuses = [EvidenceStatus.ACCEPTED] * 8 + [EvidenceStatus.DRAFT, EvidenceStatus.ARCHIVED]
        rows, areas = [], []
        for number in range(count):
            kind = self.rng.choice(OTHER_KINDS)
            grade = self.rng.choices([*GRADES, None], [8, 40, 35, 9, 8])[0]
            rows.append(
                self.owned
                | {
                    "title": f"{self.rng.choice(TITLES.get(kind, ['Evidence']))} ({number + 1})",
                    "kind": kind,
                    "summary": "What it shows about practice, and for which children.",
                    "grade": grade,
                    "leaning": leaning_of(grade, self.framework) if grade else self.rng.choice(list(Leaning)),
                    "evidence_date": self._day(),
                    "owner_id": self.rng.choice(self.staff).id,
                    "service_area": self.rng.choice(SERVICE_AREAS),
                    "status": self.rng.choice(statuses),
                }
            )
            areas.append([a.id for a in self.rng.sample(self.framework.areas, k=self.rng.choice((1, 1, 2)))])
        self._links(self._insert(EvidenceItem, rows, ids=True), areas)

    def indicators(self, count: int) -> None:
        """Local copies of the standard indicators, each with 36 monthly values and their
        counts, drifting towards the target."""
        defaults = indicators.all_indicators()
        templates = [defaults[n % len(defaults)] for n in range(count)]
        extra = [
            self.owned
            | {
                "code": f"{t.code}_local_{n}",
                "position": len(defaults) + n,
                "name": f"{t.name} (locality {n + 1})",
                "numerator": t.numerator,
                "denominator": t.denominator,
                "unit": t.unit,
                "polarity": t.polarity,
                "target": t.target,
                "tolerance": t.tolerance,
                "areas": t.areas,
                "criteria": t.criteria,
                "service_area": t.service_area,
            }
            for n, t in enumerate(templates)
        ]
        first = _months_back(self.today.replace(day=1), MONTHS)
        values = []
        for indicator_id, t in zip(self._insert(Indicator, extra, ids=True), templates, strict=True):
            worse = 1 if t.polarity is Polarity.LOWER else -1
            start = t.target + worse * t.tolerance * 3
            for month in range(MONTHS):
                value = start + (t.target - start) * month / (MONTHS - 8) + self.rng.uniform(-1, 1) * t.tolerance
                numerator = denominator = None
                if t.unit is Unit.PERCENT:
                    value = max(0.0, min(100.0, value))
                    denominator = self.rng.randrange(40, 400)
                    numerator = round(denominator * value / 100)
                    value = 100 * numerator / denominator
                values.append(
                    self.owned
                    | {
                        "indicator_id": indicator_id,
                        "period": _months_back(first, -month),
                        "value": round(max(0.0, value), 1),
                        "numerator": numerator,
                        "denominator": denominator,
                        "source": "demo",
                        "recorded_at": self.recorded_at,
                    }
                )
        self._insert(IndicatorValue, values)

    def _reviews(self, count: int, kind: ReviewKind, title: str, oldest: int, newest: int) -> list[tuple[int, dict]]:
        """Reported reviews spread evenly between `oldest` and `newest` days ago, with their team."""
        rows = []
        for n in range(count):
            ends_on = self.today - dt.timedelta(days=oldest - (oldest - newest) * n // max(1, count - 1))
            rows.append(
                self.owned
                | {
                    "title": f"{title} {n + 1}",
                    "kind": kind,
                    "framework_id": self.framework.id,
                    "scope_area_ids": [],
                    "starts_on": ends_on - dt.timedelta(days=4),
                    "ends_on": ends_on,
                    "lead_id": self.leader.id,
                    "status": ReviewStatus.REPORTED,
                }
            )
        review_ids = self._insert(Review, rows, ids=True)
        team = [(self.leader, MemberRole.LEAD)] + [(r, MemberRole.REVIEWER) for r in self.reviewers]
        self._insert(
            ReviewMember,
            [
                self.owned
                | {
                    "review_id": review_id,
                    "user_id": person.id,
                    "role": role,
                    "name": person.name,
                    "organisation": person.council.name,
                }
                for review_id in review_ids
                for person, role in team
            ],
        )
        return list(zip(review_ids, rows, strict=True))

    def peer_reviews(self, count: int) -> None:
        """Reported peer reviews, each with lines of enquiry and complete findings."""
        reviews = self._reviews(count, ReviewKind.PEER_REVIEW, "Thematic peer review", DAYS - 30, 150)
        kloes = []
        for review_id, _review in reviews:
            for position in range(KLOES_PER_REVIEW):
                area = self.framework.areas[position % len(self.framework.areas)]
                kloes.append(
                    self.owned
                    | {
                        "review_id": review_id,
                        "position": position,
                        "question": f"How well does {area.title.lower()} work for children? ({position + 1})",
                        "sub_questions": [],
                        "area_ids": [area.id],
                        "criterion_ids": [self.rng.choice(area.criteria).id],
                    }
                )
        kloe_ids = self._insert(ReviewKloe, kloes, ids=True)
        ends = {review_id: review["ends_on"] for review_id, review in reviews}
        self._insert(
            Finding,
            [
                self.owned
                | {
                    "kloe_id": kloe_id,
                    "strengths": "Visits are timely and children are seen alone.",
                    "areas_for_development": "Plans are not always updated after reviews.",
                    "needs_to_improve": "Management oversight of drift in long-running plans.",
                    "grade": self.rng.choices(GRADES, [5, 45, 40, 10])[0],
                    "confidence": self.rng.choice(list(Confidence)),
                    "status": FindingStatus.COMPLETE,
                    "version": 1,
                    "updated_by": self.reviewers[0].name,
                    "updated_at": dt.datetime.combine(ends[kloe["review_id"]], dt.time(16)),
                }
                for kloe_id, kloe in zip(kloe_ids, kloes, strict=True)
            ],
        )

    def mock_inspections(self, count: int) -> None:
        """Reported mock inspections older than the demo's own two (so those stay the latest):
        tracked cases, each reviewer's proposed grades, the lead's moderated grades and the
        RecordedOutcome as record_outcome() keeps it."""
        reviews = self._reviews(count, ReviewKind.MOCK_INSPECTION, "Themed mock inspection", DAYS, 250)
        cases, proposed, moderated, outcomes = [], [], [], []
        for review_id, review in reviews:
            at = dt.datetime.combine(review["ends_on"], dt.time(16))
            for n in range(CASES_PER_MOCK_INSPECTION):
                case_type = self.rng.choice(list(CASE_TYPES))
                cases.append(
                    self.owned
                    | {
                        "review_id": review_id,
                        "reference": f"TC-{review_id}-{n + 1}",
                        "age_band": "18 and over" if case_type == "care_leaver" else self.rng.choice(AGE_BANDS[:-1]),
                        "case_type": case_type,
                        "team": self.rng.choice(list(TEAMS)),
                        "ethnicity": "White British",
                        "disability": self.rng.random() < 0.1,
                        "gender": self.rng.choice(GENDERS),
                        "area_ids": [],
                    }
                )
            grades = {area.id: self.rng.choices(GRADES, [5, 45, 40, 10])[0] for area in self.framework.areas}
            for area_id, grade in grades.items():
                for reviewer in self.reviewers:
                    proposed.append(
                        self.owned
                        | {
                            "review_id": review_id,
                            "area_id": area_id,
                            "reviewer_id": reviewer.id,
                            "grade": grade if self.rng.random() < 0.7 else self.rng.choice(GRADES),
                            "rationale": "What the tracked cases showed.",
                            "updated_at": at,
                        }
                    )
                moderated.append(
                    self.owned
                    | {
                        "review_id": review_id,
                        "area_id": area_id,
                        "grade": grade,
                        "rationale": "Moderated on the evidence and the tracked cases.",
                        "moderated_by_id": self.leader.id,
                        "moderated_at": at,
                    }
                )
            outcomes.append(self.owned | self._recorded(review_id, review, grades))
        self._insert(TrackedCase, cases)
        self._insert(ProposedGrade, proposed)
        self._insert(ModeratedGrade, moderated)
        self._insert(RecordedOutcome, outcomes)

    def _recorded(self, review_id: int, review: dict, grades: dict[str, str]) -> dict:
        """A RecordedOutcome row shaped as evidence.mock_inspections.snapshot_data() makes it."""
        rules = apply_rules(self.framework, grades)
        return {
            "review_id": review_id,
            "recorded_on": review["ends_on"],
            "data": {
                "framework_id": self.framework.id,
                "areas": [
                    {"area_id": a.id, "title": a.title, "final_grade": rules.final_grades.get(a.id)}
                    for a in self.framework.areas
                ],
                "rules": rules.to_dict(),
                "gaps": [],
            },
        }

    def actions(self, count: int) -> None:
        """An action plan: some done, a third overdue, a quarter with a progress note."""
        rows = []
        for n in range(count):
            status = self.rng.choice(list(ActionStatus))
            due = self.today + dt.timedelta(days=self.rng.randrange(-90, 120))
            rows.append(
                self.owned
                | {
                    "what": f"Audit drift on open plans in locality {n % 12 + 1}",
                    "owner_id": self.rng.choice(self.staff).id,
                    "due_date": due,
                    "success_measure": "Fewer plans open over six months at the next audit.",
                    "status": status,
                    "area_id": self.rng.choice(self.framework.areas).id,
                    "evidence_ids": [],
                    "completion_evidence": "Plans over six months halved." if status is ActionStatus.DONE else None,
                    "completed_on": min(due, self.today) if status is ActionStatus.DONE else None,
                }
            )
        action_ids = self._insert(Action, rows, ids=True)
        self._insert(
            ActionNote,
            [self.owned | {"action_id": i, "author_id": self.leader.id, "text": "On track."} for i in action_ids[::4]],
        )


def _months_back(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)
