"""Comparing two mock inspections: grades that moved, gaps closed, gaps new.

Works on the snapshots stored when a mock inspection's outcome is recorded (plain dicts),
so an old inspection compares as it was, not as today's evidence would score it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GradeChange:
    area_id: str
    title: str
    before: str | None
    after: str | None
    direction: str  # "better", "worse", "same", "newly graded", "no longer graded"


@dataclass(frozen=True)
class Comparison:
    grade_changes: list[GradeChange]
    gaps_closed: list[dict]
    gaps_new: list[dict]
    gaps_remaining: list[dict]


def compare(earlier: dict, later: dict, grade_order: list[str]) -> Comparison:
    """`earlier` and `later` are outcome snapshots: {"areas": [{"area_id", "title", "final_grade"}], "gaps": [...]}.
    `grade_order` lists grade ids best first."""
    rank = {grade: index for index, grade in enumerate(grade_order)}
    before = {area["area_id"]: area for area in earlier["areas"]}
    changes = []
    for area in later["areas"]:
        old = before.get(area["area_id"], {}).get("final_grade")
        new = area.get("final_grade")
        changes.append(GradeChange(area["area_id"], area["title"], old, new, _direction(old, new, rank)))
    earlier_gaps = {gap["id"]: gap for gap in earlier["gaps"]}
    later_gaps = {gap["id"]: gap for gap in later["gaps"]}
    return Comparison(
        grade_changes=changes,
        gaps_closed=[gap for gap_id, gap in earlier_gaps.items() if gap_id not in later_gaps],
        gaps_new=[gap for gap_id, gap in later_gaps.items() if gap_id not in earlier_gaps],
        gaps_remaining=[gap for gap_id, gap in later_gaps.items() if gap_id in earlier_gaps],
    )


def _direction(old: str | None, new: str | None, rank: dict[str, int]) -> str:
    if old is None and new is None:
        return "same"
    if old is None:
        return "newly graded"
    if new is None:
        return "no longer graded"
    if rank[new] < rank[old]:
        return "better"
    if rank[new] > rank[old]:
        return "worse"
    return "same"
