"""The checklist of what Ofsted asks for at the start of an ILACS inspection, read from
checklist.yaml: the items every new workspace starts from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

CHECKLIST_FILE = Path(__file__).with_name("checklist.yaml")
DUE_WHEN = ("call", "first_day")


@dataclass(frozen=True)
class SeedItem:
    id: str
    title: str
    detail: str
    due: str  # "call" or "first_day"


@dataclass(frozen=True)
class Checklist:
    source: str
    items: tuple[SeedItem, ...]


class ChecklistFileError(ValueError):
    """checklist.yaml is not as the workspace reads it."""


def read_checklist(text: str) -> Checklist:
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not str(data.get("source") or "").strip():
        raise ChecklistFileError("The checklist must say where its list comes from (source)")
    items, seen = [], set()
    for number, row in enumerate(data.get("items") or [], 1):
        if not isinstance(row, dict) or not all(str(row.get(key) or "").strip() for key in ("id", "title", "due")):
            raise ChecklistFileError(f"Item {number} needs an id, a title and when it is due")
        if row["id"] in seen:
            raise ChecklistFileError(f"Item {number}: the id {row['id']} is used twice")
        if row["due"] not in DUE_WHEN:
            raise ChecklistFileError(f"Item {number}: due must be one of {', '.join(DUE_WHEN)}")
        seen.add(row["id"])
        items.append(
            SeedItem(str(row["id"]), str(row["title"]).strip(), str(row.get("detail") or "").strip(), row["due"])
        )
    if not items:
        raise ChecklistFileError("The checklist has no items")
    return Checklist(" ".join(str(data["source"]).split()), tuple(items))


@lru_cache(maxsize=1)
def ilacs_checklist() -> Checklist:
    return read_checklist(CHECKLIST_FILE.read_text(encoding="utf-8"))
