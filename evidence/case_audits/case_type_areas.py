"""Which judgements an audit informs by default: those of its case type, per framework
(the table is data, in case_type_areas.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from judgement_framework import Framework

TABLE = Path(__file__).with_name("case_type_areas.yaml")


@cache
def _table() -> dict[str, dict[str, list[str]]]:
    return yaml.safe_load(TABLE.read_text(encoding="utf-8"))


def default_areas(framework: Framework, case_type: str) -> list[str]:
    """The judgement areas an audit of this case type informs under this framework, in the
    framework's order; none for a case type or framework the table does not know, so the
    auditor chooses."""
    chosen = set(_table().get(framework.id, {}).get(case_type, ()))
    return [area.id for area in framework.areas if area.id in chosen]


def frameworks_covered() -> set[str]:
    return set(_table())
