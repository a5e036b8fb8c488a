"""Gaps grouped into themes (judgement and criterion), ranked by severity, breadth and recency."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from evidence.themes import WHOLE_JUDGEMENT, ThemeFilters, build_themes, filter_themes, theme_id
from judgement_framework import EvidenceSignal, Gap, load_framework

FRAMEWORK = load_framework("ilacs-2026")
TODAY = dt.date(2026, 12, 1)
HP = FRAMEWORK.area_by_id["help_protection"]


def _gap(n, severity="medium", area="help_protection", criterion=None, evidence=(), kind="evidence_below_good"):
    return Gap(f"gap-{n}", kind, severity, area, criterion, f"Gap {n}", tuple(evidence), "Do something.")


def _signal(n, days_ago=0, area="help_protection"):
    return EvidenceSignal(f"evidence:{n}:{area}", area, TODAY - dt.timedelta(days=days_ago), f"Audit {n}")


def test_gaps_of_one_judgement_and_criterion_are_one_theme_with_its_cases_and_teams():
    signals = [_signal(1), _signal(2), _signal(3)]
    cases = {"evidence:1": ("CP-1", "North"), "evidence:2": ("CP-2", "North"), "evidence:3": ("CP-3", "South")}
    gaps = [_gap(n, evidence=[f"evidence:{n}:help_protection"]) for n in (1, 2, 3)]
    [theme] = build_themes(FRAMEWORK, gaps, signals, cases=cases)
    assert (theme.area_id, theme.criterion_id, theme.title) == ("help_protection", None, WHOLE_JUDGEMENT)
    assert (len(theme.gaps), len(theme.cases), sorted(theme.teams)) == (3, 3, ["North", "South"])
    assert theme.id == theme_id("help_protection", None) and theme.latest == TODAY


def test_severity_then_breadth_then_recency():
    first, second = HP.criteria[0].id, HP.criteria[1].id
    signals = [_signal(1, 1), _signal(2, 100), _signal(3, 5)]
    cases = {"evidence:1": ("A", "T1"), "evidence:2": ("B", "T2"), "evidence:3": ("C", "T3")}
    gaps = [
        _gap(1, "medium", criterion=first, evidence=["evidence:1:help_protection"]),  # one team, recent
        _gap(2, "medium", criterion=second, evidence=["evidence:2:help_protection", "evidence:3:help_protection"]),
        _gap(3, "high", area="in_care"),  # the most serious, however narrow
        _gap(4, "low", area="leaders"),
    ]
    ranked = build_themes(FRAMEWORK, gaps, signals, cases=cases)
    assert [(t.area_id, t.criterion_id) for t in ranked] == [
        ("in_care", None),
        ("help_protection", second),  # two teams beat one
        ("help_protection", first),
        ("leaders", None),
    ]
    newer = build_themes(FRAMEWORK, [_gap(5, criterion=first, evidence=["evidence:1:help_protection"]),
                                     _gap(6, criterion=second, evidence=["evidence:2:help_protection"])],
                         signals, cases={"evidence:1": ("A", "T1"), "evidence:2": ("B", "T2")})
    assert [t.criterion_id for t in newer] == [first, second]  # as wide: the more recent first


def test_a_moderated_judgement_closes_a_reviewers_grade_apart():
    gaps = [_gap(1, kind="reviewer_grade_apart"), _gap(2, area="in_care", kind="reviewer_grade_apart")]
    themes = build_themes(FRAMEWORK, gaps, [], cases={}, closed_areas={"help_protection"})
    assert [t.area_id for t in themes] == ["in_care"]


def test_filters_and_has_an_action():
    gaps = [_gap(1), _gap(2, area="in_care", kind="no_evidence")]
    themes = build_themes(FRAMEWORK, gaps, [], cases={}, gaps_with_action={"gap-2"})
    assert [t.area_id for t in filter_themes(themes, ThemeFilters(has_action=True))] == ["in_care"]
    assert [t.area_id for t in filter_themes(themes, ThemeFilters(has_action=False))] == ["help_protection"]
    assert [t.area_id for t in filter_themes(themes, ThemeFilters(kind="no_evidence"))] == ["in_care"]
    assert [t.area_id for t in filter_themes(themes, ThemeFilters(search="GAP 1"))] == ["help_protection"]


areas = st.sampled_from([a.id for a in FRAMEWORK.areas if a.kind != "overall"])


@given(st.lists(st.tuples(areas, st.sampled_from(["high", "medium", "low"]), st.booleans()), max_size=60))
def test_every_gap_is_in_exactly_one_theme_in_the_engines_order(rows):
    gaps = []
    for n, (area, severity, on_criterion) in enumerate(rows):
        criterion = FRAMEWORK.area_by_id[area].criteria[0].id if on_criterion else None
        gaps.append(_gap(n, severity, area=area, criterion=criterion))
    themes = build_themes(FRAMEWORK, gaps, [], cases={})
    placed = [g.id for t in themes for g in t.gaps]
    assert sorted(placed) == sorted(g.id for g in gaps)
    for theme in themes:
        assert [g.id for g in theme.gaps] == [g.id for g in gaps if g in theme.gaps]
        assert {(g.area_id, g.criterion_id) for g in theme.gaps} == {(theme.area_id, theme.criterion_id)}
    severities = [theme.severity for theme in themes]
    assert severities == sorted(severities, key=["high", "medium", "low"].index)
