"""What to fix first: the gaps grouped into themes, one per judgement and criterion, ranked.

A senior leader plans by theme ("the quality of plans in help and protection, 14 cases in
4 teams"), not by the hundred gaps one audit at a time makes. Themes are built in one pass
over the gaps; a theme's id hashes its judgement and criterion, so it is stable while the
gaps inside it come and go (gap ids stay the engine's, which actions link to).

Ranking, most pressing first: the worst severity in the theme; then breadth (the teams, then
the cases, then the gaps behind it); then recency (its newest evidence). Severity leads because
one unresolved escalation matters more than many stale documents; breadth next because
widespread weakness is what an inspector calls inadequate; recency settles the rest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from councils import standing_cache
from councils.models import ServiceArea
from evidence.standing import record_of, service_areas_of_gap
from judgement_framework import EvidenceSignal, Framework, Gap, Outcome
from judgement_framework.results import SEVERITY_RANK

WHOLE_JUDGEMENT = "Across the judgement"
TOP = 10


def theme_id(area_id: str, criterion_id: str | None) -> str:
    key = f"{area_id}\x1f{criterion_id or ''}".encode()
    return "theme-" + hashlib.sha1(key, usedforsecurity=False).hexdigest()[:12]


@dataclass
class Theme:
    id: str
    area_id: str
    area_title: str
    criterion_id: str | None
    title: str  # the criterion's prompt, or WHOLE_JUDGEMENT
    gaps: list[Gap] = field(default_factory=list)  # the engine's order: most severe first
    cases: set[str] = field(default_factory=set)
    teams: set[str] = field(default_factory=set)
    services: set[ServiceArea] = field(default_factory=set)
    latest: dt.date | None = None
    with_action: int = 0  # gaps in the theme that already have an action

    @property
    def severity(self) -> str:
        """The most serious of its gaps."""
        return max((g.severity for g in self.gaps), key=SEVERITY_RANK.__getitem__, default="low")

    @property
    def has_action(self) -> bool:
        return self.with_action > 0

    @property
    def high(self) -> int:
        return sum(g.severity == "high" for g in self.gaps)

    def rank_key(self) -> tuple:
        newest = self.latest.toordinal() if self.latest else 0
        return (-SEVERITY_RANK[self.severity], -len(self.teams), -len(self.cases), -len(self.gaps), -newest)

    def searchable(self) -> str:
        return " ".join([self.title, self.area_title, *(g.sentence for g in self.gaps)]).lower()


def build_themes(
    framework: Framework,
    gaps: Iterable[Gap],
    signals: Sequence[EvidenceSignal],
    *,
    cases: Mapping[str, tuple[str, str]],
    gaps_with_action: Collection[str] = frozenset(),
    closed_areas: Collection[str] = frozenset(),
) -> list[Theme]:
    """Themes, most pressing first. `cases` maps a record ("evidence:12") to the audited case's
    (reference, team); `closed_areas` are judgements a moderator has graded, where a reviewer's
    grade apart from the evidence is settled and no longer a gap."""
    by_id = {s.id: s for s in signals}
    themes: dict[str, Theme] = {}
    for gap in gaps:
        if gap.kind == "reviewer_grade_apart" and gap.area_id in closed_areas:
            continue
        if gap.area_id not in framework.area_by_id:
            continue
        key = theme_id(gap.area_id, gap.criterion_id)
        theme = themes.get(key)
        if theme is None:
            theme = themes[key] = _new_theme(framework, key, gap)
        theme.gaps.append(gap)
        theme.services |= service_areas_of_gap(gap, by_id)
        theme.with_action += gap.id in gaps_with_action
        for evidence_id in gap.evidence_ids:
            case = cases.get(record_of(evidence_id))
            if case:
                theme.cases.add(case[0])
                theme.teams.add(case[1])
            signal = by_id.get(evidence_id)
            if signal and (theme.latest is None or signal.date > theme.latest):
                theme.latest = signal.date
    # Ties keep the framework's own order: judgement, then criterion (the whole judgement first).
    order = framework.area_order
    position = {c.id: i for a in framework.areas for i, c in enumerate(a.criteria)}
    return sorted(themes.values(), key=lambda t: (t.rank_key(), order[t.area_id], position.get(t.criterion_id, -1)))


def ranked_themes(
    framework: Framework,
    outcome: Outcome,
    signals: Sequence[EvidenceSignal],
    *,
    cases_of: Callable[[], Mapping[str, tuple[str, str]]],
    gaps_with_action: Collection[str],
    closed_areas: Collection[str] = frozenset(),
) -> list[Theme]:
    """`build_themes` of a standing, built once per standing kept (councils/standing_cache.py)
    and given each time the count of its gaps with an action, which change without it."""
    built = standing_cache.derived(
        outcome,
        f"themes|{sorted(closed_areas)}",
        lambda: build_themes(framework, outcome.gaps, signals, cases=cases_of(), closed_areas=closed_areas),
    )
    return [replace(theme, with_action=sum(gap.id in gaps_with_action for gap in theme.gaps)) for theme in built]


def _new_theme(framework: Framework, key: str, gap: Gap) -> Theme:
    area = framework.area_by_id[gap.area_id]
    prompt = next((c.prompt for c in area.criteria if c.id == gap.criterion_id), None)
    return Theme(key, area.id, area.title, gap.criterion_id if prompt else None, prompt or WHOLE_JUDGEMENT)


@dataclass(frozen=True)
class ThemeFilters:
    area_id: str | None = None
    kind: str | None = None
    service_area: ServiceArea | None = None
    has_action: bool | None = None
    search: str = ""


def filter_themes(themes: Iterable[Theme], filters: ThemeFilters) -> list[Theme]:
    """Themes that match; a kind or service filter keeps a theme with any gap of that kind or service."""
    words = filters.search.lower().split()
    chosen = []
    for theme in themes:
        if filters.area_id and theme.area_id != filters.area_id:
            continue
        if filters.kind and not any(g.kind == filters.kind for g in theme.gaps):
            continue
        if filters.service_area and filters.service_area not in theme.services:
            continue
        if filters.has_action is not None and theme.has_action != filters.has_action:
            continue
        if words and not all(word in theme.searchable() for word in words):
            continue
        chosen.append(theme)
    return chosen


def theme_of_gaps(themes: Iterable[Theme]) -> dict[str, Theme]:
    """Each gap's theme, for exports that list gaps with their theme."""
    return {gap.id: theme for theme in themes for gap in theme.gaps}
