"""The themes a focused visit or a JTAI looks at (visit_themes.yaml), as the council's
framework has them: a theme lists only the framework's own judgement areas."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from evidence.reviews.models import ReviewKind
from judgement_framework import Framework

THEME_KEYS = {ReviewKind.FOCUSED_VISIT_REHEARSAL: "focused_visit", ReviewKind.JTAI_REHEARSAL: "jtai"}


@dataclass(frozen=True)
class VisitTheme:
    id: str
    title: str
    area_ids: tuple[str, ...]


@cache
def _file() -> dict:
    return yaml.safe_load(resources.files("evidence.reviews").joinpath("visit_themes.yaml").read_text("utf-8"))


def themes_for(kind: ReviewKind, framework: Framework) -> list[VisitTheme]:
    """The themes of that kind of visit whose areas the framework has; none for other kinds."""
    key = THEME_KEYS.get(kind)
    if key is None:
        return []
    found = []
    for entry in _file()[key]:
        areas = tuple(a for a in entry["area_ids"] if a in framework.area_by_id)
        if areas:
            found.append(VisitTheme(entry["id"], entry["title"], areas))
    return found


def find_theme(kind: ReviewKind, framework: Framework, theme_id: str | None) -> VisitTheme | None:
    return next((t for t in themes_for(kind, framework) if t.id == theme_id), None)


def theme_title(review) -> str | None:
    """The words of a review's theme, whatever framework it has (titles do not depend on it)."""
    key = THEME_KEYS.get(review.kind)
    if key is None or review.focus_theme_id is None:
        return None
    return next((t["title"] for t in _file()[key] if t["id"] == review.focus_theme_id), None)
