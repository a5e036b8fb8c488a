"""Reading an Annex A workbook into its lists: rows keyed by the template's column names.

This is the interface other parts of the import build on (the figures, the readiness
report, the import history). Stable; change it only with them in mind:

    read_lists(source, *, columns=None, mappings=None, on_list=None) -> AnnexAWorkbook
    parse_sheets(sheets, *, columns=None, mappings=None) -> AnnexAWorkbook   # rows in memory

- `source`: a path or a binary file object (.xlsx, .xlsm, .xls, .ods).
- `columns`: {list number: canonical column names wanted}; only those lists' sheets are read
  and only those columns kept (the list's id column always is). None reads every list and
  every column `headings.yaml` knows.
- `mappings`: {list number: {heading_key(heading found): canonical column}}, a council's
  own answers for headings the template and its variants do not cover.
- `on_list(number, lists)`: called as each list has been read, with the lists read so far,
  so that a caller can work on a list while the next sheet is parsed (the figures do).

`AnnexAWorkbook.lists[n]` is a `ListRows` for each list found:
- `rows`: the Excel row number of each data row (as the council sees it; blank rows dropped);
- `values[column]`: one parsed value per row, None when blank or unusable: `datetime.date`
  for kind date, `int` for count, `str` for code (letter prefix such as "a) " removed,
  spaces collapsed, case kept), id and text;
- `unusable[column]`: {Excel row: reason} for cells that could not be read (the reason
  never repeats the cell's text);
- `missing`: wanted columns not found; `unplaced`: headings found that fit no column;
- `records()`: the same rows as dicts {"row": n, column: value, ...}; `frame()` as pandas.
`AnnexAWorkbook.problems`: what is wrong, each naming the list (and the row or column).
Raises `WorkbookUnreadable` only when the file is not a workbook or holds no Annex A list.

Tolerated: title rows above the table, blank rows, lists named "List 7", "Child Protection"
or "List 7 - Child Protection" (or only titled so above the table), headings in other case,
spacing and punctuation, extra columns and sheets. Nothing is guessed: a list, a column or
a date that cannot be placed is reported.
"""

from __future__ import annotations

import datetime as dt
import gc
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from evidence.performance.annex_a.dates import parse_date_column
from evidence.performance.annex_a.headings import (
    ListSpec,
    Unplaced,
    column_letter,
    list_for_name,
    load_lists,
    place_headings,
)
from evidence.performance.annex_a.sheets import WorkbookUnreadable, open_sheets

__all__ = ["AnnexAWorkbook", "ListRows", "Problem", "WorkbookUnreadable", "parse_sheets", "read_lists", "LISTS", "ROW"]

LISTS = load_lists()
ROW = "row"
CHILD = "_child"  # in frame(): the id as compared
HEADER_SEARCH_ROWS = 30
# Headings a row must match to be taken as the table's header row.
HEADER_MATCHES = 2
# A run of blank rows this long ends the table: a sheet formatted down to row 1,048,576
# holds nothing below its data.
BLANK_RUN_ENDS_TABLE = 10_000
_LETTER_PREFIX = re.compile(r"^\s*[a-z]{1,2}\)\s*", re.IGNORECASE)


@dataclass
class Problem:
    """Something wrong with the workbook, said where it is (never with a cell's text)."""

    where: str
    message: str
    list_number: int | None = None
    row: int | None = None
    column: str | None = None

    def to_dict(self) -> dict:
        return {"where": self.where, "message": self.message}


@dataclass
class ListRows:
    spec: ListSpec
    sheet: str
    header_row: int
    rows: list[int] = field(default_factory=list)
    values: dict[str, list] = field(default_factory=dict)
    unusable: dict[str, dict[int, str]] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    unplaced: list[Unplaced] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)  # canonical column -> 0-based sheet column
    month_first: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def title(self) -> str:
        return self.spec.title

    def records(self) -> Iterator[dict]:
        names = list(self.values)
        for index, row in enumerate(self.rows):
            record = {ROW: row}
            for name in names:
                record[name] = self.values[name][index]
            yield record

    def frame(self) -> pd.DataFrame:
        """The rows as pandas: dates as datetime64, counts as floats (NaN for blank), the rest
        as objects; CHILD column holds the id as compared (trimmed, lower case)."""
        # Each column is made a numpy array first: pandas converting a list itself looks at
        # every value in Python and is several times slower (test_frame_building).
        size = len(self.rows)
        # (Row numbers are whole numbers; pandas made an empty list float64, so it is kept so.)
        data = {ROW: np.array(self.rows, dtype=np.int64 if size else np.float64)}
        ids = self.values.get(self.spec.id_column, [None] * size)
        data[CHILD] = _objects([value.lower() if value else None for value in ids])
        for name, values in self.values.items():
            if self.spec.columns[name].kind == "date":
                data[name] = _datetimes(values)
            elif self.spec.columns[name].kind == "count":
                data[name] = np.array(values, dtype=np.float64)  # None becomes NaN
            else:
                data[name] = _objects(values)
        return pd.DataFrame(data, copy=False)


_EPOCH = dt.date(1970, 1, 1)
_NAT = np.iinfo(np.int64).min


def _objects(values: list) -> np.ndarray:
    """Cells (str or None) as an array of objects, each kept as it is: fromiter never looks
    inside a value, as np.array would look inside a list or tuple."""
    return np.fromiter(values, dtype=object, count=len(values))


def _datetimes(values: list) -> np.ndarray:
    """Dates (or None) as datetime64: each distinct date converted once, then the column
    looked up at C speed (map over the dict, straight into the array)."""
    days = {value: (value - _EPOCH).days for value in set(values) if value is not None}
    days[None] = _NAT
    return (
        np.fromiter(map(days.__getitem__, values), dtype=np.int64, count=len(values))
        .view("datetime64[D]")
        .astype("datetime64[ns]")
    )


@dataclass
class AnnexAWorkbook:
    lists: dict[int, ListRows]
    problems: list[Problem]

    def rows(self) -> int:
        return sum(len(item) for item in self.lists.values())

    @property
    def unplaced(self) -> list[Unplaced]:
        return [heading for item in self.lists.values() for heading in item.unplaced]


def read_lists(
    source: str | Path | BinaryIO,
    *,
    columns: dict[int, Iterable[str]] | None = None,
    mappings: dict[int, dict[str, str]] | None = None,
    on_list: Callable[[int, dict[int, ListRows]], None] | None = None,
) -> AnnexAWorkbook:
    wanted = LISTS if columns is None else columns
    # A sheet named for a list no figure needs is not read, so not checked either (_read_sheets).
    opened = open_sheets(source, skipped=lambda name: list_for_name(name) not in (None, *wanted))
    try:
        return _read(((name, lambda name=name: opened.rows(name)) for name in opened.names), columns, mappings, on_list)
    finally:
        opened.close()


def parse_sheets(
    sheets: dict[str, list[list]],
    *,
    columns: dict[int, Iterable[str]] | None = None,
    mappings: dict[int, dict[str, str]] | None = None,
) -> AnnexAWorkbook:
    """The same reading over rows already in memory (tests, other sources)."""
    return _read(
        ((name, lambda rows=rows: rows if isinstance(rows, list) else iter(rows)) for name, rows in sheets.items()),
        columns,
        mappings,
    )


def _read(sheets, columns, mappings, on_list=None) -> AnnexAWorkbook:
    # A sheet read whole is a million small objects; the cycle collector would walk them all
    # again and again while the columns are built (it was most of the reading time). Nothing
    # here makes reference cycles, so it is paused for the read.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _read_sheets(sheets, columns, mappings, on_list)
    finally:
        if paused:
            gc.enable()


def _read_sheets(sheets, columns, mappings, on_list) -> AnnexAWorkbook:
    wanted = {n: set(LISTS[n].columns) for n in LISTS} if columns is None else {n: set(c) for n, c in columns.items()}
    mappings = mappings or {}
    problems: list[Problem] = []
    found: dict[int, ListRows] = {}
    seen_sheets = 0
    for sheet_name, rows in sheets:
        seen_sheets += 1
        named = list_for_name(sheet_name)
        if named is not None and named not in wanted:
            continue  # a list no figure needs: not read at all
        sheet_rows = rows()
        if isinstance(sheet_rows, list):
            top, rest = sheet_rows[:HEADER_SEARCH_ROWS], sheet_rows
        else:
            top = _take(sheet_rows, HEADER_SEARCH_ROWS)
            rest = None
        number, header_at = _find_table(named, top)
        if number is None or number not in wanted:
            continue
        spec = LISTS[number]
        if number in found:
            problems.append(_problem(spec, f"appears twice; the sheet '{sheet_name[:60]}' was not used"))
            continue
        if header_at is None:
            problems.append(
                _problem(
                    spec,
                    f"no row of the template's headings in the first {HEADER_SEARCH_ROWS} rows of sheet "
                    f"'{sheet_name[:60]}', so the list was not read",
                )
            )
            continue
        body = rest[header_at + 1 :] if rest is not None else _until_blank_run(top[header_at + 1 :], sheet_rows)
        del rest, sheet_rows
        found[number] = _read_list(
            spec, sheet_name, top[header_at], header_at, body, wanted[number], mappings.get(number), problems
        )
        del body
        if on_list is not None:
            on_list(number, found)
    if not found:
        if seen_sheets == 0:
            raise WorkbookUnreadable("The workbook has no sheets.")
        raise WorkbookUnreadable(
            "No Annex A list was found in the workbook: no sheet is named or titled like 'List 3' or "
            "'Referrals' and no sheet has the template's headings. Check this is the Annex A workbook."
        )
    for number in wanted:
        if number not in found:
            problems.append(_problem(LISTS[number], "not found in the workbook"))
    problems.sort(key=lambda p: (p.list_number or 0, p.row or 0))
    return AnnexAWorkbook(found, problems)


def _until_blank_run(first: list[list], iterator: Iterator[list]) -> list[list]:
    """The rows of a very tall sheet up to a long run of blank rows."""
    body = list(first)
    blank_run = 0
    for row in iterator:
        if any(row):
            blank_run = 0
        else:
            blank_run += 1
            if blank_run >= BLANK_RUN_ENDS_TABLE:
                break
        body.append(row)
    while body and not any(body[-1]):
        body.pop()
    return body


def _take(iterator: Iterator[list], count: int) -> list[list]:
    top = []
    for row in iterator:
        top.append(row)
        if len(top) == count:
            break
    return top


def _find_table(named: int | None, top: list[list]) -> tuple[int | None, int | None]:
    """The list (from the sheet name, else a title above the table, else the headings) and
    the position of its header row among the top rows."""
    number = named
    if number is None:
        for row in top:
            for cell in row:
                number = list_for_name(cell) if isinstance(cell, str) and len(cell) < 120 else None
                if number is not None:
                    break
            if number is not None:
                break
    if number is not None:
        return number, _header_row(LISTS[number], top)
    best = (0, None, None)
    for position, row in enumerate(top):
        for spec in LISTS.values():
            # Columns every list has say nothing about which list this is.
            score = sum(1 for cell in row if (c := spec.column_for(cell)) and c not in spec.common)
            if score > best[0]:
                best = (score, spec.number, position)
    return (best[1], best[2]) if best[0] >= HEADER_MATCHES else (None, None)


def _header_row(spec: ListSpec, top: list[list]) -> int | None:
    for position, row in enumerate(top):
        if sum(1 for cell in row if spec.column_for(cell)) >= HEADER_MATCHES:
            return position
    return None


def _read_list(spec, sheet_name, headers, header_at, body, wanted, mapping, problems) -> ListRows:
    placement = place_headings(spec, headers, mapping)
    keep = {name: position for name, position in placement.columns.items() if name in wanted or name == spec.id_column}
    missing = tuple(name for name in spec.columns if name in wanted and name not in placement.columns)
    listed = ListRows(spec, sheet_name, header_at + 1, missing=missing, unplaced=placement.unplaced, positions=keep)
    for name, position in placement.repeated:
        problems.append(
            _problem(
                spec, f"column {column_letter(position)} repeats the heading '{name}'; the first was used", column=name
            )
        )
    if missing and len(missing) == len([n for n in wanted if n in spec.columns]):
        problems.append(_problem(spec, "none of the template's headings were found, so no column could be read"))
    elif missing:
        required = [name for name in missing if spec.columns[name].required]
        if required:
            shown = "; ".join(f"'{name}'" for name in required[:8])
            problems.append(_problem(spec, f"required column{'s' if len(required) > 1 else ''} {shown} not found"))
    if placement.unplaced:
        shown = ", ".join(f"{h.column_letter} ('{h.heading[:60]}')" for h in placement.unplaced[:6])
        more = f" and {len(placement.unplaced) - 6} more" if len(placement.unplaced) > 6 else ""
        problems.append(
            _problem(spec, f"headings that fit no template column were left out: {shown}{more}. They can be mapped.")
        )

    names = list(keep)
    first_row = header_at + 2  # Excel's number for the row below the header
    # A blank row is one whose every cell is empty ('' or None): any() tells at C speed.
    filled = list(compress(range(len(body)), map(any, body)))
    if len(filled) == len(body):
        kept = body
    else:
        kept = [body[index] for index in filled]
    row_numbers = [first_row + index for index in filled]
    listed.rows = row_numbers
    raw = _columns(kept, [keep[name] for name in names])
    if not row_numbers:
        problems.append(_problem(spec, "has headings but no rows"))

    month_first = []
    for name, values in zip(names, raw, strict=True):
        kind = spec.columns[name].kind
        if kind == "date":
            parsed = parse_date_column(values)
            listed.values[name] = parsed.dates
            reasons = {row_numbers[i]: f"{name} {reason}" for i, reason in parsed.unusable.items()}
            if parsed.month_first:
                month_first.append(name)
                problems.append(
                    _problem(
                        spec,
                        f"the dates in '{name}' (column {column_letter(keep[name])}) only make sense month first "
                        "(mm/dd/yyyy); they were not used. Export them day first (dd/mm/yyyy) or as dates.",
                        column=name,
                    )
                )
        elif kind == "count":
            listed.values[name], reasons = _counts(name, values, row_numbers)
        else:
            listed.values[name] = _texts(values, kind)
            reasons = {}
        if reasons:
            listed.unusable[name] = reasons
            _report_unusable(spec, name, reasons, problems)
    listed.month_first = tuple(month_first)
    return listed


def _report_unusable(spec: ListSpec, name: str, reasons: dict[int, str], problems: list[Problem]) -> None:
    rows = sorted(reasons)
    shown = ", ".join(str(row) for row in rows[:10])
    more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
    problems.append(
        _problem(
            spec,
            f"'{name}' could not be read in {len(rows)} row{'s' if len(rows) > 1 else ''} (row{'s' if len(rows) > 1 else ''} {shown}{more})",
            row=rows[0],
            column=name,
        )
    )


def _problem(spec: ListSpec, message: str, *, row: int | None = None, column: str | None = None) -> Problem:
    return Problem(spec.title, message, spec.number, row, column)


def _columns(rows: list[list], positions: list[int]) -> list[list]:
    """The cells of the given columns, column by column: one C-level pass over the rows per
    column (map and itemgetter), which is quicker than transposing the rows with zip, as no
    tuple is built for each row."""
    if not rows:
        return [[] for _ in positions]
    widths = set(map(len, rows))
    width = max(max(widths), max(positions, default=-1) + 1)
    if widths != {width}:  # ragged rows (from memory): pad them
        rows = [list(row) + [""] * (width - len(row)) for row in rows]
    return [list(map(itemgetter(position), rows)) for position in positions]


def _is_blank(value: object) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and value.isspace()


def _counts(name: str, values: list, row_numbers: list[int]) -> tuple[list[int | None], dict[int, str]]:
    """Whole numbers of 0 or more; each distinct value read once (counts repeat)."""
    try:
        distinct = list(set(values))
    except TypeError:
        distinct = None
    if distinct is not None:
        read, _ = _count_values(name, distinct, list(range(len(distinct))))
        numbers = dict(zip(distinct, read, strict=True))
        counts = list(map(numbers.__getitem__, values))
        bad = {value for value, number in numbers.items() if number is None and not _is_blank(value)}
        reasons = (
            {row_numbers[i]: f"{name} is not a whole number of 0 or more" for i, v in enumerate(values) if v in bad}
            if bad
            else {}
        )
        return counts, reasons
    return _count_values(name, values, row_numbers)


def _count_values(name: str, values: list, row_numbers: list[int]) -> tuple[list[int | None], dict[int, str]]:
    counts: list[int | None] = []
    reasons: dict[int, str] = {}
    for index, value in enumerate(values):
        number = None
        if _is_blank(value):
            counts.append(None)
            continue
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, float):
            number = int(value) if not math.isnan(value) and value.is_integer() else None
        elif isinstance(value, str):
            text = _LETTER_PREFIX.sub("", value).strip()
            if not text:
                counts.append(None)
                continue
            number = int(text) if text.isdigit() else (int(float(text)) if _is_whole(text) else None)
        if number is None or number < 0:
            reasons[row_numbers[index]] = f"{name} is not a whole number of 0 or more"
            number = None
        counts.append(number)
    return counts, reasons


def _is_whole(text: str) -> bool:
    try:
        number = float(text)
    except ValueError:
        return False
    return math.isfinite(number) and number.is_integer()


def _texts(values: list, kind: str) -> list[str | None]:
    """Each value cleaned once per distinct value: codes repeat, so this is most of the speed.
    Ids do not repeat; they are only trimmed."""
    if kind == "id":
        return [(value.strip() or None) if type(value) is str else _text(value, kind) for value in values]
    try:
        cleaned = {value: _text(value, kind) for value in set(values)}
    except TypeError:  # an unhashable cell: clean one by one
        return [_text(value, kind) for value in values]
    return list(map(cleaned.__getitem__, values))


def _text(value: object, kind: str) -> str | None:
    if isinstance(value, str):
        if not value or value.isspace():
            return None
        text = " ".join(value.split())
        return _LETTER_PREFIX.sub("", text) or None if kind == "code" else text
    if value is None or isinstance(value, bool):
        return None if value is None else ("Yes" if value else "No")
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else str(value)
    return str(value)
