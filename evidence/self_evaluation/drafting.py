"""The first draft of a self-evaluation's answers, from the standing: pure functions over plain
data, so every sentence can be tested against the evidence it claims.

For each judgement, three answers, as Ofsted asks them of a council each year:
- what we know about the quality and impact of social work practice (the scored outcome, the
  case audits, the indicators against their standard and England, peer review findings);
- how we know it (the evidence behind the claims, how broad and how fresh it is);
- our plans to maintain or improve it (the action plan's actions, with owners and dates, and
  the gaps no action answers yet).

Each answer is a list of `Sentence`s, and each sentence carries the records it came from
(`Source`), so a reader can follow any claim to its evidence. Where there is no evidence the
draft says what is missing; it never fills the space with words of its own.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from judgement_framework import AreaOutcome, EvidenceSignal, Gap

WHAT_WE_KNOW = "what_we_know"
HOW_WE_KNOW = "how_we_know"
OUR_PLANS = "our_plans"
QUESTIONS = {
    WHAT_WE_KNOW: "What do we know about the quality and impact of social work practice?",
    HOW_WE_KNOW: "How do we know it?",
    OUR_PLANS: "What are our plans to maintain or improve practice?",
}

# A sentence names at most this many records behind it: past that it counts them, and the
# sources kept are the first ones (newest first), so a section stays the same size at 200
# items or 100,000.
SOURCES_KEPT = 25
INDICATORS_SHOWN = 6
ACTIONS_SHOWN = 10
GAPS_SHOWN = 3
UNCOVERED_SHOWN = 5
NAMED_EVIDENCE = 3
# Gaps that ask for evidence rather than better practice.
EVIDENCE_TO_GATHER = frozenset({"no_evidence", "not_enough_evidence"})


@dataclass(frozen=True)
class Source:
    """A record a sentence came from: "evidence:12", "indicator:4", "finding:7", "action:9",
    with its title as people know it."""

    record: str
    title: str

    def to_dict(self) -> dict:
        return {"record": self.record, "title": self.title}


@dataclass(frozen=True)
class Sentence:
    text: str
    sources: tuple[Source, ...] = ()

    def to_dict(self) -> dict:
        return {"text": self.text, "sources": [s.to_dict() for s in self.sources]}


@dataclass(frozen=True)
class IndicatorFact:
    """An indicator's latest position, as the draft needs it."""

    record: str
    name: str
    latest: str  # the value in the indicator's own units: "82.0%", "14 days"
    month: dt.date
    target: str
    england: str | None  # None when no England figure is recorded
    on_target: bool
    near_target: bool
    worse_than_england: bool | None  # None without an England figure
    trend: str | None  # "better", "worse", "same", or None with only one month


@dataclass(frozen=True)
class ActionFact:
    record: str
    what: str
    owner: str
    due: dt.date
    status: str  # in words: "Not started"
    done: bool
    overdue: bool


@dataclass(frozen=True)
class JudgementEvidence:
    """Everything the draft of one judgement is written from."""

    title: str
    outcome: AreaOutcome
    signals: Sequence[EvidenceSignal]  # the judgement's own, fresh and stale
    as_of: dt.date
    freshness_days: int
    grade_labels: dict[str, str]
    good_grades: frozenset[str]  # the expected grade and better
    criteria: dict[str, str] = field(default_factory=dict)  # criterion id: prompt
    indicators: Sequence[IndicatorFact] = ()
    actions: Sequence[ActionFact] = ()
    gaps: Sequence[Gap] = ()

    @cached_property
    def cutoff(self) -> dt.date:
        return self.as_of - dt.timedelta(days=self.freshness_days)

    @cached_property
    def newest_first(self) -> list[EvidenceSignal]:
        """The judgement's signals, the newest first: sorted once, as a council has thousands."""
        return sorted(self.signals, key=lambda s: (-s.date.toordinal(), s.id))

    @cached_property
    def _fresh(self) -> list[EvidenceSignal]:
        cutoff = self.cutoff
        return [s for s in self.newest_first if s.date >= cutoff]

    def fresh(self, kind: str | None = None) -> list[EvidenceSignal]:
        return self._fresh if kind is None else [s for s in self._fresh if s.kind == kind]

    def label(self, grade: str | None) -> str:
        return self.grade_labels.get(grade or "", "not graded").lower()


def draft(evidence: JudgementEvidence) -> dict[str, list[Sentence]]:
    """The three answers for one judgement."""
    return {
        WHAT_WE_KNOW: what_we_know(evidence),
        HOW_WE_KNOW: how_we_know(evidence),
        OUR_PLANS: our_plans(evidence),
    }


def text_of(sentences: Sequence[Sentence]) -> str:
    """The draft as the text people edit: one sentence a line."""
    return "\n".join(s.text for s in sentences)


# What we know ---------------------------------------------------------------------------------


def what_we_know(e: JudgementEvidence) -> list[Sentence]:
    return [*_scored(e), *_audits(e), *_indicators(e), *_findings(e)]


def _scored(e: JudgementEvidence) -> list[Sentence]:
    area = e.outcome
    behind = _sources_of(e, area.driven_by)
    if area.indicative_grade is None:
        opening = Sentence(f"There is not enough fresh graded evidence to grade “{e.title}” yet.", behind)
        return [opening, *(Sentence(_full_stop(_sentence(missing))) for missing in area.missing)]
    text = (
        f"The evidence points to {e.label(area.indicative_grade)} for “{e.title}”, with {area.confidence} "
        f"confidence, from {area.fresh_count} fresh piece{_s(area.fresh_count)} of evidence."
    )
    if area.capped_by_escalation:
        text += " An escalated case that is still unresolved holds the grade down."
    return [Sentence(text, behind)]


def _audits(e: JudgementEvidence) -> list[Sentence]:
    audits = [s for s in e.fresh("case_audit") if s.grade]
    if not audits:
        return [Sentence(f"No graded case audits of this judgement in the last {e.freshness_days} days.")]
    good = [s for s in audits if s.grade in e.good_grades]
    counts = Counter(s.grade for s in audits)
    text = (
        f"Of {len(audits)} case audit{_s(len(audits))} in the last {e.freshness_days} days, "
        f"{len(good)} ({_percent(len(good), len(audits))}) found practice good or better"
    )
    sentences = [Sentence(text + ".", _sources(audits))]
    # The grades below good, in the framework's order (best first), each with its count.
    below = [grade for grade in e.grade_labels if grade not in e.good_grades and counts[grade]]
    if below:
        parts = [f"{counts[grade]} found it {e.label(grade)}" for grade in below]
        sentences.append(Sentence(f"{_and(parts)}.", _sources([s for s in audits if s.grade not in e.good_grades])))
    return sentences


def _indicators(e: JudgementEvidence) -> list[Sentence]:
    if not e.indicators:
        return [Sentence("No indicators are recorded for this judgement.")]
    shown = sorted(e.indicators, key=lambda i: (i.on_target, not i.worse_than_england, i.name))[:INDICATORS_SHOWN]
    sentences = [Sentence(_indicator_words(i), (Source(i.record, i.name),)) for i in shown]
    if len(e.indicators) > len(shown):
        rest = len(e.indicators) - len(shown)
        sentences.append(
            Sentence(
                f"{rest} more indicator{_s(rest)} of this judgement {'are' if rest != 1 else 'is'} not described here."
            )
        )
    return sentences


def _indicator_words(i: IndicatorFact) -> str:
    standing = "on target" if i.on_target else ("close to target" if i.near_target else "off target")
    text = f"{i.name} was {i.latest} in {i.month:%B %Y}, {standing} (the target is {i.target})"
    if i.england is None:
        text += "; no England figure is recorded to compare it with"
    else:
        text += f"; England's figure is {i.england}, so it is {'worse' if i.worse_than_england else 'no worse'} than England"
    if i.trend == "better":
        text += ", and improving on the month before"
    elif i.trend == "worse":
        text += ", and worse than the month before"
    elif i.trend == "same":
        text += ", the same as the month before"
    return text + "."


def _findings(e: JudgementEvidence) -> list[Sentence]:
    findings = e.fresh("kloe_finding")
    if not findings:
        return [Sentence("No peer review or mock inspection findings speak to this judgement yet.")]
    graded = [s for s in findings if s.grade]
    good = [s for s in graded if s.grade in e.good_grades]
    text = f"{len(findings)} finding{_s(len(findings))} from peer reviews and mock inspections speak{_s(len(findings), '', 's')} to this judgement"
    if graded:
        text += f"; {len(good)} of the {len(graded)} graded point to good or better"
    sentences = [Sentence(text + ".", _sources(findings))]
    weak = [s for s in graded if s.grade not in e.good_grades][:NAMED_EVIDENCE]
    sentences += [Sentence(f"A finding on “{s.title}” points to {e.label(s.grade)}.", _sources([s])) for s in weak]
    return sentences


# How we know ----------------------------------------------------------------------------------

KIND_WORDS = {
    "case_audit": ("case audit", "case audits"),
    "performance_data": ("indicator", "indicators"),
    "kloe_finding": ("review finding", "review findings"),
    "document": ("document", "documents"),
    "observation": ("practice observation", "practice observations"),
    "voice_of_child": ("record of children's and families' views", "records of children's and families' views"),
}


def how_we_know(e: JudgementEvidence) -> list[Sentence]:
    fresh = e.fresh()
    if not fresh:
        sentences = [Sentence(f"No evidence of this judgement is fresher than {e.freshness_days} days.")]
    else:
        kinds = Counter(s.kind.value for s in fresh)
        parts = [f"{n} {KIND_WORDS.get(kind, (kind, kind))[n != 1]}" for kind, n in kinds.most_common()]
        sentences = [
            Sentence(
                f"We know this from {len(fresh)} fresh piece{_s(len(fresh))} of evidence: {_and(parts)}.",
                _sources(fresh),
            )
        ]
        sentences += _breadth(e)
        sentences += _named_evidence(e, fresh)
    sentences += _missing(e)
    return sentences


def _breadth(e: JudgementEvidence) -> list[Sentence]:
    breadth = e.outcome.breadth
    sentences = []
    if breadth.audits:
        cover = "covers" if breadth.audits == 1 else "cover"
        cases = (
            f" {cover} {len(breadth.case_types)} case type{_s(len(breadth.case_types))}" if breadth.case_types else ""
        )
        teams = f" across {len(breadth.teams)} team{_s(len(breadth.teams))}" if breadth.teams else ""
        moderated = f"{breadth.moderated} {'was' if breadth.moderated == 1 else 'were'} moderated by a second person"
        sentences.append(Sentence(f"The {breadth.audits} graded audit{_s(breadth.audits)}{cases}{teams}; {moderated}."))
    for reason in e.outcome.confidence_reasons[:2]:
        sentences.append(Sentence(reason if reason.endswith(".") else reason + "."))
    return sentences


def _named_evidence(e: JudgementEvidence, fresh: list[EvidenceSignal]) -> list[Sentence]:
    """The strongest and the weakest graded evidence other than case audits and indicators
    (which the first answer counts), by name."""
    named = [s for s in fresh if s.grade and s.kind.value not in ("case_audit", "performance_data")]
    strong = [s for s in named if s.grade in e.good_grades][:NAMED_EVIDENCE]
    weak = [s for s in named if s.grade not in e.good_grades][:NAMED_EVIDENCE]
    sentences = []
    if strong:
        sentences.append(
            Sentence(f"Evidence of good practice includes {_and([f'“{s.title}”' for s in strong])}.", _sources(strong))
        )
    if weak:
        sentences.append(
            Sentence(f"Evidence of weaker practice includes {_and([f'“{s.title}”' for s in weak])}.", _sources(weak))
        )
    return sentences


def _missing(e: JudgementEvidence) -> list[Sentence]:
    coverage = e.outcome.coverage
    sentences = []
    if coverage.total:
        sentences.append(
            Sentence(
                f"{coverage.covered} of {coverage.total} criteria of this judgement "
                f"{'has' if coverage.covered == 1 else 'have'} fresh evidence."
            )
        )
    for criterion in coverage.uncovered[:UNCOVERED_SHOWN]:
        sentences.append(
            Sentence(f"There is no fresh evidence yet that {_lower_first(e.criteria.get(criterion, 'one criterion'))}")
        )
    if len(coverage.uncovered) > UNCOVERED_SHOWN:
        rest = len(coverage.uncovered) - UNCOVERED_SHOWN
        sentences.append(Sentence(f"{rest} more criteri{'a have' if rest != 1 else 'on has'} no fresh evidence."))
    cutoff = e.cutoff
    stale = [s for s in e.newest_first if s.date < cutoff]
    if stale:
        records = {_record(s.id) for s in stale}
        sentences.append(
            Sentence(
                f"{len(records)} older piece{_s(len(records))} of evidence no longer count{_s(len(records), '', 's')}, "
                f"being more than {e.freshness_days} days old.",
                _sources(stale),
            )
        )
    return sentences


# Our plans ------------------------------------------------------------------------------------


def our_plans(e: JudgementEvidence) -> list[Sentence]:
    open_actions = sorted((a for a in e.actions if not a.done), key=lambda a: (not a.overdue, a.due, a.what))
    done = [a for a in e.actions if a.done]
    sentences = []
    if not e.actions:
        sentences.append(Sentence("There are no actions for this judgement in the action plan."))
    for action in open_actions[:ACTIONS_SHOWN]:
        late = ", and is overdue" if action.overdue else ""
        sentences.append(
            Sentence(
                f"{_sentence(action.what)} Owner: {action.owner}; due {_date(action.due)} "
                f"({action.status.lower()}{late}).",
                (Source(action.record, action.what),),
            )
        )
    if len(open_actions) > ACTIONS_SHOWN:
        rest = len(open_actions) - ACTIONS_SHOWN
        sentences.append(
            Sentence(f"{rest} more open action{_s(rest)} {'are' if rest != 1 else 'is'} in the action plan.")
        )
    if done:
        sentences.append(
            Sentence(
                f"{len(done)} action{_s(len(done))} of this judgement {'have' if len(done) != 1 else 'has'} been completed.",
                tuple(Source(a.record, a.what) for a in done[:SOURCES_KEPT]),
            )
        )
    # Evidence that is missing, or too thin to grade, is said in the first two answers: here,
    # only how many such gaps no action answers.
    thin = [gap for gap in e.gaps if gap.kind in EVIDENCE_TO_GATHER]
    others = [gap for gap in e.gaps if gap.kind not in EVIDENCE_TO_GATHER]
    for gap in others[:GAPS_SHOWN]:
        sentences.append(
            Sentence(f"No action answers this gap yet: {_lower_first(gap.sentence)}", _sources_of(e, gap.evidence_ids))
        )
    if len(others) > GAPS_SHOWN:
        rest = len(others) - GAPS_SHOWN
        sentences.append(Sentence(f"{rest} more gap{_s(rest)} of this judgement {_have(rest)} no action yet."))
    if thin:
        sentences.append(
            Sentence(
                f"{len(thin)} gap{_s(len(thin))} in the evidence (none, or too little to grade) "
                f"{_have(len(thin))} no action to gather it yet."
            )
        )
    return sentences


# Helpers --------------------------------------------------------------------------------------


def _record(signal_id: str) -> str:
    """The record a signal comes from: "evidence:12" of "evidence:12:leaders"."""
    return ":".join(signal_id.split(":", 2)[:2])


def _sources(signals: Sequence[EvidenceSignal]) -> tuple[Source, ...]:
    seen: dict[str, Source] = {}
    for signal in signals:
        record = _record(signal.id)
        if record not in seen:
            seen[record] = Source(record, signal.title)
            if len(seen) == SOURCES_KEPT:
                break
    return tuple(seen.values())


def _sources_of(e: JudgementEvidence, signal_ids: Sequence[str]) -> tuple[Source, ...]:
    if not signal_ids:
        return ()
    wanted = set(signal_ids)
    return _sources([s for s in e.newest_first if s.id in wanted])


def _s(count: int, many: str = "s", one: str = "") -> str:
    return one if count == 1 else many


def _have(count: int) -> str:
    return "has" if count == 1 else "have"


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%"


def _and(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _lower_first(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[1].isupper():  # an acronym keeps its capitals
        return _full_stop(text)
    return _full_stop(text[:1].lower() + text[1:])


def _sentence(text: str) -> str:
    text = text.strip()
    return _full_stop(text[:1].upper() + text[1:])


def _full_stop(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
