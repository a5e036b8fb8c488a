"""The gap list: what a senior leader should fix or gather before an inspection.

Every gap has a stable id: a hash of (kind, area, criterion, subject), where the
subject is the one evidence id, reviewer or KLOE the gap is about (empty for gaps
about a whole criterion or area). Recomputing with more evidence keeps the ids of
gaps that still exist, so the app can link actions to them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import chain
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING

from .results import SEVERITY_RANK, AreaOutcome, Gap, GapList, new_gap
from .schema import Framework
from .signals import EvidenceSignal, Kloe

if TYPE_CHECKING:
    from .tally import AreaTally


# Listing order within a severity; also the documented set of kinds.
KINDS = (
    "unresolved_escalation",
    "evidence_below_good",
    "reviewer_grade_apart",
    "indicator_off_target",
    "indicator_worsening",
    "no_evidence",
    "not_enough_evidence",
    "reviewer_grade_unsupported",
    "stale_evidence",
    "kloe_not_explored",
    "no_triangulation",
)

KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}

# How each kind reads in a sentence or a spreadsheet column.
KIND_LABELS = {
    "unresolved_escalation": "Unresolved escalation",
    "evidence_below_good": "Evidence below good",
    "reviewer_grade_apart": "Reviewer's grade apart from the evidence",
    "indicator_off_target": "Indicator off target",
    "indicator_worsening": "Indicator worsening",
    "no_evidence": "No evidence",
    "not_enough_evidence": "Not enough evidence for a grade",
    "reviewer_grade_unsupported": "Reviewer's grade not supported by evidence",
    "stale_evidence": "Stale evidence",
    "kloe_not_explored": "Line of enquiry not explored",
    "no_triangulation": "Only one kind of evidence",
}


# The kinds of evidence as a sentence names them ("judged only on case audit evidence").
EVIDENCE_KIND_WORDS = {
    "case_audit": "case audit",
    "performance_data": "performance data",
    "kloe_finding": "review finding",
    "document": "document",
    "observation": "observation",
    "voice_of_child": "children's views",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS[kind]


NEXT_STEP = {
    "unresolved_escalation": "Confirm the child is safe, then record the remedial action and close the escalation.",
    "evidence_below_good": "Agree a named action to improve this practice and re-audit once it has had time to work.",
    "reviewer_grade_apart": "Moderate the grade: set the reviewer's rationale against the evidence and record the agreed grade.",
    "indicator_off_target": "Add a corrective action with an owner and date at the next performance clinic.",
    "indicator_worsening": "Find the reason for the trend at the next performance clinic and record a corrective action.",
    "no_evidence": "Audit cases or gather data that show how well this is done.",
    "not_enough_evidence": "Audit a spread of recent cases (and record observations or children's views) so the judgement can be graded.",
    "reviewer_grade_unsupported": "Gather graded evidence (audits, observations) to test the reviewer's grade.",
    "stale_evidence": "Refresh the evidence with a recent audit, dataset or observation.",
    "kloe_not_explored": "Plan how and when this line of enquiry will be tested, and record the findings.",
    "no_triangulation": "Check the picture with a different kind of evidence, such as the child's voice or an observation.",
}


def gap_id(kind: str, area_id: str, criterion_id: str | None, subject: str) -> str:
    key = f"{kind}\x1f{area_id}\x1f{criterion_id or ''}\x1f{subject}".encode()
    return "gap-" + hashlib.sha1(key, usedforsecurity=False).hexdigest()[:16]


# What a gap is sorted by, before its subject: (severity, kind, area, criterion).
GroupKey = tuple[str, str, str, str | None]
Found = tuple[GroupKey, str, Gap]


def _gap(
    kind: str,
    severity: str,
    area_id: str,
    criterion_id: str | None,
    subject: str,
    sentence: str,
    evidence: tuple[str, ...],
) -> Found:
    """One gap, with the group it sorts in and its subject; `evidence` in id order."""
    g = new_gap(
        gap_id(kind, area_id, criterion_id, subject),
        kind,
        severity,
        area_id,
        criterion_id,
        sentence,
        evidence,
        NEXT_STEP[kind],
    )
    return (severity, kind, area_id, criterion_id), subject, g


class ItemGaps:
    """One group of the gaps there is one of per evidence item (an item below good, an
    unresolved escalation, an indicator off target or worsening), all of one kind, severity,
    judgement and criterion: the items, and the words each gap's sentence is made of, until
    the gaps are first read (a GapList's group). Each gap's subject is its item's id, unique,
    so the items in id order are the gaps in order, and no two have the same gap id.

    The sentence is `before` + the item's title quoted + (for a dated kind) its date +
    `after`, or for an item below good the words for its grade (`after` by grade)."""

    __slots__ = ("kind", "severity", "area_id", "criterion_id", "before", "after", "dated", "items")

    def __init__(
        self,
        key: GroupKey,
        before: str,
        after: str | dict[str, str],
        dated: bool,
    ):
        self.severity, self.kind, self.area_id, self.criterion_id = key
        self.before, self.after, self.dated = before, after, dated
        self.items: list[EvidenceSignal] = []

    def __len__(self) -> int:
        return len(self.items)

    def gaps(self) -> list[Gap]:
        kind, severity, area_id, criterion_id = self.kind, self.severity, self.area_id, self.criterion_id
        # gap_id's hash, its key's fixed part encoded once for the group.
        prefix = f"{kind}\x1f{area_id}\x1f{criterion_id or ''}\x1f".encode()
        sha1 = hashlib.sha1
        next_step = NEXT_STEP[kind]
        before, after, dated = self.before, self.after, self.dated
        by_grade = after if isinstance(after, dict) else None
        days: dict[dt.date, str] = {}
        made: list[Gap] = []
        for s in sorted(self.items, key=_item_id):
            sid = s.id
            title = f"{before}\u2018{s.title.rstrip('.?')}\u2019"
            if dated:
                day = days.get(s.date)
                if day is None:
                    day = days[s.date] = _day(s.date)
                title = f"{title} ({day})"
            sentence = title + (by_grade[s.grade] if by_grade is not None else after)  # type: ignore[index]
            made.append(
                new_gap(
                    "gap-" + sha1(prefix + sid.encode(), usedforsecurity=False).hexdigest()[:16],
                    kind,
                    severity,
                    area_id,
                    criterion_id,
                    sentence,
                    (sid,),
                    next_step,
                )
            )
        return made

    def __getstate__(self):
        return tuple(getattr(self, name) for name in ItemGaps.__slots__)

    def __setstate__(self, state) -> None:
        for name, value in zip(ItemGaps.__slots__, state, strict=True):
            setattr(self, name, value)


_item_id = attrgetter("id")


class BelowGood:
    """Every gap of an item graded below the expected grade, at one severity: the kind a large
    council has by the hundred thousand. In the gaps' order they are one run (severity, then
    kind, then judgement and criterion), so they are kept as each judgement's items, split
    into their criteria's groups (ItemGaps) only when first read."""

    __slots__ = ("severity", "grades", "areas", "criterion_order", "count")

    def __init__(
        self,
        severity: str,
        grades: frozenset[str],
        areas: list[tuple[str, dict[str, str], list[EvidenceSignal]]],
        criterion_order: dict[str, int],
        count: int,
    ):
        self.severity, self.grades, self.criterion_order, self.count = severity, grades, criterion_order, count
        self.areas = areas  # (area id, the words by grade, the area's items below good), framework order

    def __len__(self) -> int:
        return self.count

    def gaps(self) -> list[Gap]:
        made: list[Gap] = []
        grades, order = self.grades, self.criterion_order
        for area_id, rates, items in self.areas:
            by_criterion: dict[str | None, list[EvidenceSignal]] = {}
            for s in items:
                if s.grade in grades:
                    by_criterion.setdefault(_one(s), []).append(s)
            for criterion in sorted(by_criterion, key=lambda c: order.get(c, -1)):  # type: ignore[arg-type]
                group = ItemGaps((self.severity, BELOW_GOOD, area_id, criterion), "", rates, dated=True)
                group.items = by_criterion[criterion]
                made += group.gaps()
        return made

    def __getstate__(self):
        return tuple(getattr(self, name) for name in BelowGood.__slots__)

    def __setstate__(self, state) -> None:
        for name, value in zip(BelowGood.__slots__, state, strict=True):
            setattr(self, name, value)


BELOW_GOOD = "evidence_below_good"


def _below_good(
    framework: Framework, tallies: dict[str, AreaTally], outcomes: Sequence[AreaOutcome], crit_pos: dict[str, int]
) -> dict[str, BelowGood]:
    """The gaps of items below good, by severity: those at the worst grade high, the rest medium."""
    labels = {g.id: g.label.lower() for g in framework.grades}  # pydantic look-ups, once
    expected = framework.grade_rank[framework.expected_grade]
    worst = len(framework.grades) - 1
    below = {"high": [worst] if worst > expected else [], "medium": list(range(expected + 1, worst))}
    parts = {}
    for severity, ranks in below.items():
        grades = frozenset(framework.grades[r].id for r in ranks)
        areas = []
        count = 0
        for o in outcomes:
            t = tallies.get(o.area_id)
            if t is None or not t.below_good:
                continue
            title = _q(o.title)
            rates = {
                g: f" rates practice in {title} as {labels[g]}, below {labels[framework.expected_grade]}."
                for g in grades
            }
            areas.append((o.area_id, rates, t.below_good))
            count += sum(t.fresh_counts[r] for r in ranks)  # the fresh graded items at those grades: those below good
        if count:
            parts[severity] = BelowGood(severity, grades, areas, crit_pos, count)
    return parts


def build_gaps(
    framework: Framework,
    tallies: dict[str, AreaTally],
    outcomes: Sequence[AreaOutcome],
    kloes: Sequence[Kloe],
    as_of: dt.date,
    freshness_days: int,
) -> GapList:
    """Most severe first; then by kind, judgement and criterion in the framework's order, then
    by subject. A large council has a couple of hundred thousand gaps in a few dozen groups of
    the same severity, kind, judgement and criterion: the groups are put in order here, and the
    per-item gaps of each group (ItemGaps) worded and put in order when first read."""
    groups: defaultdict[GroupKey, list[tuple[str, str, Gap]]] = defaultdict(list)
    per_item: dict[GroupKey, ItemGaps] = {}
    found: list[Iterable[Found]] = [_kloe_gaps(framework, kloes)]
    for o in outcomes:
        found.append(_reviewer_gaps(framework, o))
        if o.area_id in tallies:
            t = tallies[o.area_id]
            found.append(_evidence_gaps(framework, o, t, freshness_days))
            _item_gaps(framework, o, t, per_item)
    for key, subject, g in chain.from_iterable(found):
        groups[key].append((subject, g.id, g))
    area_pos = framework.area_order
    crit_pos = {c.id: i for a in framework.areas for i, c in enumerate(a.criteria)}

    def position(key: GroupKey) -> tuple[int, int, int, int]:
        severity, kind, area_id, criterion_id = key
        return -SEVERITY_RANK[severity], KIND_ORDER[kind], area_pos[area_id], crit_pos.get(criterion_id, -1)

    in_order: defaultdict[tuple[int, int, int, int], list[tuple[str, str, Gap]]] = defaultdict(list)
    for key, members in groups.items():  # two groups at one position (never in practice) sort as one
        in_order[position(key)].extend(members)
    # Per-item gaps are of kinds no other gap is, so never at a position with gaps built here;
    # the gaps below good, one run at each severity, sort before any judgement's (-1).
    item_groups: dict[tuple[int, int, int, int], ItemGaps | BelowGood] = {
        position(key): g for key, g in per_item.items() if g.items
    }
    for severity, part in _below_good(framework, tallies, outcomes, crit_pos).items():
        item_groups[-SEVERITY_RANK[severity], KIND_ORDER[BELOW_GOOD], -1, -1] = part
    # The same reviewer giving the same grade twice is one gap, not two. A per-item gap's id
    # hashes its kind and its item's id, both unlike any other gap's, so it is never repeated.
    seen: set[str] = set()
    ordered: list[tuple[Gap, ...] | ItemGaps | BelowGood] = []
    for at in sorted([*in_order, *item_groups]):
        if at in item_groups:
            ordered.append(item_groups[at])
            continue
        members = in_order[at]
        members.sort(key=itemgetter(0, 1))
        kept = []
        for _, gid, g in members:
            if gid not in seen:
                seen.add(gid)
                kept.append(g)
        ordered.append(tuple(kept))
    return GapList(ordered)


def _evidence_gaps(framework: Framework, o: AreaOutcome, t: AreaTally, freshness_days: int) -> Iterator[Found]:
    """A judgement's gaps about the whole judgement or one criterion: a few, built here."""
    area = framework.area_by_id[o.area_id]
    if o.not_enough_evidence and o.signal_count:  # an area with nothing at all has its no_evidence gaps
        yield _gap(
            "not_enough_evidence",
            "medium",
            area.id,
            None,
            "",
            f"{_q(area.title)} cannot be graded yet: " + " ".join(m[0].lower() + m[1:] for m in o.missing),
            (),
        )
    for c in area.criteria:
        if c.id in t.covered:
            continue
        stale = t.stale.get(c.id)
        if stale:
            newest = max(stale, key=lambda s: (s.date, s.id))
            yield _gap(
                "stale_evidence",
                "low",
                area.id,
                c.id,
                "",
                f"The evidence for {_q(area.title)} on {_q(c.prompt)} is out of date: the newest item, "
                f"{_q(newest.title)}, is from {_day(newest.date)}, more than {freshness_days} days ago.",
                tuple(sorted(s.id for s in stale)),
            )
        else:
            yield _gap(
                "no_evidence",
                "medium",
                area.id,
                c.id,
                "",
                f"There is no evidence yet for {_q(area.title)} on {_q(c.prompt)}.",
                (),
            )
    if t.fresh and len(t.kinds) == 1:
        (kind,) = t.kinds
        yield _gap(
            "no_triangulation",
            "low",
            area.id,
            None,
            "",
            f"{_q(area.title)} is judged only on {EVIDENCE_KIND_WORDS[kind.value]} evidence; no other kind of evidence confirms it.",
            (),
        )


def _item_gaps(framework: Framework, o: AreaOutcome, t: AreaTally, groups: dict[GroupKey, ItemGaps]) -> None:
    """A judgement's gaps one per evidence item, put in their groups (ItemGaps) unworded; but
    those below good (BelowGood)."""
    area_id, title = o.area_id, _q(framework.area_by_id[o.area_id].title)
    kinds = (
        ("unresolved_escalation", t.escalations, "", f" is an escalated case in {title} that is still unresolved."),
        ("indicator_off_target", t.off_target, "The indicator ", f" for {title} is off target."),
        ("indicator_worsening", t.worsening, "The indicator ", f" for {title} is getting worse."),
    )
    for kind, items, before, after in kinds:
        severity = "high" if kind == "unresolved_escalation" else "medium"
        for s in items:
            key = (severity, kind, area_id, _one(s))
            group = groups.get(key)
            if group is None:
                group = groups[key] = ItemGaps(key, before, after, dated=False)
            group.items.append(s)


def _reviewer_gaps(framework: Framework, o: AreaOutcome) -> Iterator[Found]:
    rank = framework.grade_rank
    for r in o.reviewer_grades:
        subject = f"{r.reviewer}\x1f{r.grade}"  # one gap per distinct grade a reviewer gave
        label = framework.grade(r.grade).label.lower()
        if o.indicative_grade is None:
            yield _gap(
                "reviewer_grade_unsupported",
                "medium",
                o.area_id,
                None,
                subject,
                f"{r.reviewer} graded {_q(o.title)} as {label}, but there is not enough graded evidence for this area to test it.",
                (),
            )
            continue
        apart = abs(rank[r.grade] - rank[o.indicative_grade])
        if apart >= 1:
            evidence_label = framework.grade(o.indicative_grade).label.lower()
            yield _gap(
                "reviewer_grade_apart",
                "high" if apart >= 2 else "medium",
                o.area_id,
                None,
                subject,
                f"{r.reviewer} graded {_q(o.title)} as {label}, but the evidence points to {evidence_label} "
                f"({apart} grade{'s' if apart > 1 else ''} apart).",
                o.driven_by,
            )


def _kloe_gaps(framework: Framework, kloes: Sequence[Kloe]) -> Iterator[Found]:
    for k in kloes:
        if k.explored:
            continue
        area_ids = sorted(set(k.area_ids), key=framework.area_order.__getitem__)
        titles = " and ".join(_q(framework.area_by_id[a].title) for a in area_ids)
        yield _gap(
            "kloe_not_explored",
            "low",
            area_ids[0],
            None,
            k.id,
            f"The key line of enquiry {_q(k.question)} ({titles}) has not been explored yet.",
            (),
        )


def _one(s: EvidenceSignal) -> str | None:
    return s.criterion_ids[0] if len(s.criterion_ids) == 1 else None


@lru_cache(maxsize=4096)  # gaps share dates: strftime once per date, not per gap
def _day(day: dt.date) -> str:
    """A date as GOV.UK writes it, like the app's pages: 1 December 2026."""
    return f"{day.day} {day:%B %Y}"


def _q(text: str) -> str:
    return f"\u2018{text.rstrip('.?')}\u2019"
