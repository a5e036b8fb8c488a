"""What the scorer gives back: the outcome per judgement area, its coverage, and the gaps.

Plain frozen values in one module, which both the scorer and the gap rules build on, so
neither needs the other's types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .rules import RulesResult
from .signals import ReviewerGrade

SEVERITY_RANK = {"high": 3, "medium": 2, "low": 1}


@dataclass(frozen=True, slots=True)
class Gap:
    id: str
    kind: str
    severity: str
    area_id: str
    criterion_id: str | None
    sentence: str
    evidence_ids: tuple[str, ...]
    next_step: str

    @property
    def severity_rank(self) -> int:
        return SEVERITY_RANK[self.severity]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "severity": self.severity,
            "severity_rank": self.severity_rank,
            "area_id": self.area_id,
            "criterion_id": self.criterion_id,
            "sentence": self.sentence,
            "evidence_ids": list(self.evidence_ids),
            "next_step": self.next_step,
        }

    def __reduce__(self):
        # Pickled as its fields, rebuilt by __init__: the slotted dataclass's own state walks
        # fields() and sets each through object.__setattr__, twice as slow to read back.
        return (
            Gap,
            (
                self.id,
                self.kind,
                self.severity,
                self.area_id,
                self.criterion_id,
                self.sentence,
                self.evidence_ids,
                self.next_step,
            ),
        )


_new = object.__new__
_set_id, _set_kind, _set_severity, _set_area, _set_criterion, _set_sentence, _set_evidence, _set_next = (
    getattr(Gap, name).__set__ for name in Gap.__slots__
)


def new_gap(
    id: str,
    kind: str,
    severity: str,
    area_id: str,
    criterion_id: str | None,
    sentence: str,
    evidence_ids: tuple[str, ...],
    next_step: str,
) -> Gap:
    """Gap(...) at half the cost, for the gap list's hundred thousand: each field set through
    its slot, where the frozen dataclass's __init__ goes through object.__setattr__ by name."""
    g = _new(Gap)
    _set_id(g, id)
    _set_kind(g, kind)
    _set_severity(g, severity)
    _set_area(g, area_id)
    _set_criterion(g, criterion_id)
    _set_sentence(g, sentence)
    _set_evidence(g, evidence_ids)
    _set_next(g, next_step)
    return g


@dataclass(frozen=True)
class Coverage:
    covered: int
    total: int
    uncovered: tuple[str, ...]  # criteria with no fresh evidence, in framework order

    def to_dict(self) -> dict[str, Any]:
        return {"covered": self.covered, "total": self.total, "uncovered": list(self.uncovered)}


@dataclass(frozen=True)
class Driver:
    """One reason the grade is what it is, in words, with the evidence behind it.

    `rule` names the scoring rule (see docs/scoring_rules.md): "weighted_median",
    "widespread_inadequate", "more_than_a_few_inadequate", "escalation_cap",
    "not_enough_evidence", or for the overall area the aggregation rule's id.
    """

    rule: str
    sentence: str
    evidence_ids: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "sentence": self.sentence, "evidence_ids": list(self.evidence_ids)}


@dataclass(frozen=True)
class GradeShare:
    """How much graded evidence sits at one grade: the number of items (and of fresh ones)
    and the per cent of the decayed weight (recent evidence counts more)."""

    grade: str
    count: int
    fresh: int
    weight_percent: int

    def to_dict(self) -> dict[str, Any]:
        return dict(grade=self.grade, count=self.count, fresh=self.fresh, weight_percent=self.weight_percent)


@dataclass(frozen=True)
class Breadth:
    """What the fresh evidence covers: the kinds of evidence, the case types and teams of
    the audited cases, and how many graded audits were moderated."""

    kinds: tuple[str, ...] = ()
    case_types: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()
    audits: int = 0
    moderated: int = 0

    def to_dict(self) -> dict[str, Any]:
        return dict(
            kinds=list(self.kinds),
            case_types=list(self.case_types),
            teams=list(self.teams),
            audits=self.audits,
            moderated=self.moderated,
        )


@dataclass(frozen=True)
class AreaOutcome:
    area_id: str
    title: str
    kind: str
    indicative_grade: str | None
    driven_by: tuple[str, ...]  # ids of the signals behind the grade, sorted
    capped_by_escalation: bool
    coverage: Coverage
    confidence: str
    signal_count: int
    fresh_count: int
    reviewer_grades: tuple[ReviewerGrade, ...]
    # The weighted median alone, before the limits (inadequate share, escalation): shown
    # beside the grade so a reader sees when a limit, not the median, set it.
    evidence_grade: str | None = None
    # True when the evidence is too thin (or absent) to grade: indicative_grade is then None and
    # `missing` says what would be needed (see docs/scoring_rules.md).
    not_enough_evidence: bool = False
    missing: tuple[str, ...] = ()
    drivers: tuple[Driver, ...] = ()  # what set the grade, the deciding rule first
    confidence_reasons: tuple[str, ...] = ()  # why the confidence is what it is, in words
    distribution: tuple[GradeShare, ...] = ()  # one per grade, best first
    breadth: Breadth = Breadth()

    def to_dict(self) -> dict[str, Any]:
        return dict(
            self.__dict__,
            driven_by=list(self.driven_by),
            coverage=self.coverage.to_dict(),
            missing=list(self.missing),
            drivers=[d.to_dict() for d in self.drivers],
            confidence_reasons=list(self.confidence_reasons),
            distribution=[g.to_dict() for g in self.distribution],
            breadth=self.breadth.to_dict(),
            reviewer_grades=[
                dict(area_id=r.area_id, reviewer=r.reviewer, grade=r.grade, rationale=r.rationale)
                for r in self.reviewer_grades
            ],
        )


class GapGroup(Protocol):
    """Gaps of one group, worded when first read (gaps.py builds them)."""

    def __len__(self) -> int: ...

    def gaps(self) -> Sequence[Gap]: ...


class GapList:
    """An outcome's gaps, most severe first, as the scorer leaves them: groups in order, each
    either its gaps or a GapGroup that words its gaps when first read. A council of a million
    items has a couple of hundred thousand gaps, nearly all one per item; wording, hashing and
    ordering them is half the work of a score, and a page that shows a judgement's grade, or
    the ten gaps that matter most, reads none or few of them. Read once, kept; pickled as
    its groups (a cached standing holds their items anyway), never as the worded gaps."""

    __slots__ = ("_groups", "_gaps")

    def __init__(self, groups: Sequence[tuple[Gap, ...] | GapGroup]):
        self._groups = tuple(groups)
        self._gaps: tuple[Gap, ...] | None = None

    def __len__(self) -> int:
        return sum(map(len, self._groups))

    def gaps(self) -> tuple[Gap, ...]:
        if self._gaps is None:
            worded: list[Gap] = []
            for group in self._groups:
                worded += group if type(group) is tuple else group.gaps()
            self._gaps = tuple(worded)
        return self._gaps

    def __getstate__(self):
        return self._groups

    def __setstate__(self, groups) -> None:
        self._groups, self._gaps = groups, None


@dataclass(frozen=True, eq=False)
class Outcome:
    framework_id: str
    as_of: dt.date
    freshness_days: int
    areas: tuple[AreaOutcome, ...]  # framework order, overall included
    overall: RulesResult
    # The gaps (read them as .gaps): a tuple, or the GapList the scorer gives, worded when read.
    gap_list: tuple[Gap, ...] | GapList

    @property
    def gaps(self) -> tuple[Gap, ...]:
        """Most severe first."""
        gaps = self.gap_list
        return gaps if type(gaps) is tuple else gaps.gaps()

    @property
    def gap_count(self) -> int:
        """How many gaps, without wording them."""
        return len(self.gap_list)

    def _compared(self) -> tuple:
        return self.framework_id, self.as_of, self.freshness_days, self.areas, self.overall, self.gaps

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._compared() == other._compared()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # as before: equal by value, and its rules hold a dict

    def area(self, area_id: str) -> AreaOutcome:
        for a in self.areas:
            if a.area_id == area_id:
                return a
        raise KeyError(area_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "framework_id": self.framework_id,
            "as_of": self.as_of.isoformat(),
            "freshness_days": self.freshness_days,
            "areas": [a.to_dict() for a in self.areas],
            "rules": self.overall.to_dict(),
            "gaps": [g.to_dict() for g in self.gaps],
        }
