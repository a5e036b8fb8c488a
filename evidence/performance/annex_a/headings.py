"""The Annex A lists, their columns and the headings each column is known by.

The lists and headings are data (`headings.yaml`, with where each variant comes from); this
module loads them and places a workbook's headings on the template's columns. Headings are
compared by `heading_key`, which ignores case, spacing, punctuation and a "(Y/N)" note, so
"Date of ICPC", "date of icpc " and "Date-of-ICPC" are the same heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

HEADINGS_FILE = Path(__file__).with_name("headings.yaml")
KINDS = ("id", "date", "count", "code", "text")
_YES_NO_NOTE = re.compile(r"\(\s*y\s*[/\\|.]?\s*n\s*\)", re.IGNORECASE)
_NOT_LETTER_OR_DIGIT = re.compile(r"[^a-z0-9]+")


def heading_key(text: object) -> str:
    """A heading as compared: lower case, letters and digits only, '&' read as 'and'."""
    if not isinstance(text, str):
        return ""
    text = _YES_NO_NOTE.sub("", text).lower().replace("&", "and")
    return _NOT_LETTER_OR_DIGIT.sub("", text)


@dataclass(frozen=True)
class Column:
    name: str  # the template's heading: the canonical name rows are keyed by
    kind: str
    required: bool = False
    variants: tuple[tuple[str, str], ...] = ()  # (heading, source)

    @property
    def keys(self) -> tuple[str, ...]:
        return (heading_key(self.name), *(heading_key(heading) for heading, _ in self.variants))


@dataclass(frozen=True)
class ListSpec:
    number: int
    name: str
    columns: dict[str, Column]
    aliases: tuple[str, ...] = ()
    common: frozenset[str] = field(default_factory=frozenset)

    @property
    def title(self) -> str:
        return f"List {self.number} ({self.name})"

    @property
    def id_column(self) -> str:
        return next(name for name, column in self.columns.items() if column.kind == "id")

    def column_for(self, heading: object) -> str | None:
        return _index(self.number).get(heading_key(heading))


@lru_cache(maxsize=1)
def load_lists() -> dict[int, ListSpec]:
    data = yaml.safe_load(HEADINGS_FILE.read_text())
    sources = data["sources"]
    common = frozenset(data["common"])
    lists = {}
    for number, item in data["lists"].items():
        columns = {}
        for name, column in item["columns"].items():
            if column["kind"] not in KINDS:
                raise ValueError(f"{HEADINGS_FILE.name}: list {number} '{name}' has an unknown kind")
            variants = tuple((v["heading"], v["source"]) for v in column.get("variants", ()))
            unknown = [source for _, source in variants if source not in sources]
            if unknown:
                raise ValueError(f"{HEADINGS_FILE.name}: list {number} '{name}' names an unknown source {unknown}")
            columns[name] = Column(name, column["kind"], bool(column.get("required")), variants)
        lists[int(number)] = ListSpec(int(number), item["name"], columns, tuple(item.get("aliases", ())), common)
    return lists


@lru_cache(maxsize=16)
def _index(number: int) -> dict[str, str]:
    """Heading key -> canonical column, for one list; a key claimed twice is a mistake in the file."""
    index: dict[str, str] = {}
    for column in load_lists()[number].columns.values():
        for key in column.keys:
            if index.get(key, column.name) != column.name:
                raise ValueError(f"{HEADINGS_FILE.name}: list {number} has '{key}' under two columns")
            index[key] = column.name
    return index


@dataclass(frozen=True)
class Unplaced:
    """A heading in the workbook that the importer could not put on a template column."""

    list_number: int
    position: int  # 0-based column position in the sheet
    heading: str

    @property
    def column_letter(self) -> str:
        return column_letter(self.position)


def column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Placement:
    columns: dict[str, int]  # canonical column -> 0-based position
    unplaced: list[Unplaced]
    repeated: list[tuple[str, int]]  # (canonical column, position) of a second heading for it


def place_headings(spec: ListSpec, headers: list[object], mapping: dict[str, str] | None = None) -> Placement:
    """Put each heading on a template column: by the template and its variants, then by the
    council's own mapping (heading key -> canonical column) from an earlier import."""
    mapping = mapping or {}
    placed: dict[str, int] = {}
    unplaced, repeated = [], []
    for position, header in enumerate(headers):
        key = heading_key(header)
        if not key:
            continue
        name = spec.column_for(header) or (mapping.get(key) if mapping.get(key) in spec.columns else None)
        if name is None:
            unplaced.append(Unplaced(spec.number, position, " ".join(str(header).split())[:200]))
        elif name in placed:
            repeated.append((name, position))
        else:
            placed[name] = position
    return Placement(placed, unplaced, repeated)


def list_for_name(text: object) -> int | None:
    """The list a sheet name or title names: "List 7", "List 7 - Child Protection", "Child Protection"."""
    if not isinstance(text, str):
        return None
    match = re.search(r"\blist\s*(\d{1,2})\b", text, re.IGNORECASE)
    lists = load_lists()
    if match and int(match.group(1)) in lists:
        return int(match.group(1))
    key = heading_key(text)
    for spec in lists.values():
        if key and key in {heading_key(spec.name), *(heading_key(alias) for alias in spec.aliases)}:
            return spec.number
    return None
