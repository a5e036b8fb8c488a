"""Plain, immutable inputs to the scorer. The app builds these from its database rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class SignalKind(StrEnum):
    CASE_AUDIT = "case_audit"
    PERFORMANCE_DATA = "performance_data"
    KLOE_FINDING = "kloe_finding"
    DOCUMENT = "document"
    OBSERVATION = "observation"
    VOICE_OF_CHILD = "voice_of_child"


class Confidence(StrEnum):
    """How far the person recording the evidence trusts it.

    Three named levels rather than a float: people grading evidence agree on
    "low / medium / high" far more reliably than on 0.62 versus 0.7.
    """

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


# Flags the scorer understands; other strings are allowed and carried through.
UNRESOLVED_ESCALATION = "unresolved_escalation"
OFF_TARGET = "off_target"
WORSENING = "worsening"


def signal_id(source: str, record_id: int, area_id: str | None = None) -> str:
    """The one form of a signal's (or KLOE's) id: source, record and judgement area, as in
    "evidence:12:leaders". Unique across every source, and stable, since gap ids hash it."""
    return f"{source}:{record_id}" + (f":{area_id}" if area_id else "")


@dataclass(frozen=True, slots=True)
class EvidenceSignal:
    id: str
    area_id: str
    date: dt.date
    title: str
    kind: SignalKind = SignalKind.DOCUMENT
    criterion_ids: tuple[str, ...] = ()
    grade: str | None = None
    weight: float = 1.0
    confidence: Confidence = Confidence.MEDIUM
    service_area: str | None = None
    flags: frozenset[str] = field(default_factory=frozenset)
    # Sample breadth and assurance, for confidence: the audited case's type and team, and
    # whether a second person moderated its grade (None when the evidence is not a case).
    case_type: str | None = None
    team: str | None = None
    moderated: bool = False

    def __post_init__(self) -> None:
        if not self.weight > 0:  # also rejects NaN
            raise ValueError(f"signal {self.id!r}: weight must be greater than 0, got {self.weight!r}")
        # Accept plain strings and lists from callers, but store one canonical form:
        # str-Enums hash by name, so mixing "case_audit" and SignalKind.CASE_AUDIT in a
        # set would count one kind twice.
        # The app's adapters already pass the canonical types: only convert what is not, as a
        # council's 100,000 signals are built on each change of its evidence.
        if type(self.kind) is not SignalKind:
            object.__setattr__(self, "kind", SignalKind(self.kind))
        if type(self.confidence) is not Confidence:
            object.__setattr__(self, "confidence", Confidence(self.confidence))
        if type(self.criterion_ids) is not tuple:
            object.__setattr__(self, "criterion_ids", tuple(self.criterion_ids))
        if type(self.flags) is not frozenset:
            object.__setattr__(self, "flags", frozenset(self.flags))

    def __reduce__(self):
        # Pickled as its fields in order, rebuilt by __init__: the dataclass default walks
        # fields() for each signal, seconds for a council's standing (councils/standing_cache.py).
        return (EvidenceSignal, tuple(getattr(self, name) for name in _SIGNAL_FIELDS))


_SIGNAL_FIELDS = tuple(EvidenceSignal.__dataclass_fields__)


@dataclass(frozen=True, slots=True)
class ReviewerGrade:
    """A grade a person (mock inspector, moderator) gave an area, with their reasoning."""

    area_id: str
    reviewer: str
    grade: str
    rationale: str = ""


@dataclass(frozen=True, slots=True)
class Kloe:
    """A key line of enquiry a council chose to test, and whether it has been explored."""

    id: str
    area_ids: tuple[str, ...]
    question: str
    explored: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "area_ids", tuple(self.area_ids))
