"""Reading a spreadsheet someone uploaded, safely: every importer opens its file here.

An upload is checked for size and shape before it is read, because reading is what costs:
the Excel reader (python-calamine) builds every cell of a sheet's whole area in memory, so a
1 MB workbook that says it has a million rows, or a cell in the last column, costs gigabytes
before any row limit could look at it. So, before reading:

- the file's size against the importer's limit;
- for .xlsx/.xlsm (zip files): the unpacked size of its parts, from the zip's directory;
  then each sheet, just before it is read (`open_checked`; a sheet never read is never
  scanned), its declared dimension (`<dimension ref="A1:K5000"/>`, a few bytes at its start)
  and the rows and columns its cells really use, scanned without building them, stopping at
  the first row beyond the limit (the declared dimension may be missing or wrong). The scan
  is one pattern over the unpacked XML and is what protection costs: about a fifth of the
  reader's own CPU time (the Annex A import runs it beside the reading, on a thread of its own). It cannot be skipped: python-calamine builds the rectangle from the
  first cell to the last before Python sees any of it, so one cell at row 1,000,000 of
  column ZZ is a 20 GB allocation, and a failed allocation in Rust ends the process rather
  than raising. The zip's declared sizes alone cannot tell (that sheet is a few hundred
  bytes); they do stop a zip bomb before anything is unpacked, and a part that unpacks to
  more than it declares fails its own check as it is scanned;
- for .xls and .ods, whose sheets cannot be sized without the reader, the reader's own
  sheet height and width before any cell becomes a Python value (.xls sheets are capped
  by the format at 65,536 rows and 256 columns, and the file by its size).

Reading is wrapped: the reader fails in many ways on a damaged file (CalamineError and its
kinds, zip and XML errors, OverflowError, and pyo3's PanicException, which is not an
Exception at all and would otherwise kill the job worker or drop the web connection).
Whatever it raises becomes one `WorkbookRefused` with a sentence for the person.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from posixpath import dirname, join, normpath
from typing import BinaryIO
from xml.etree import ElementTree

import pandas as pd
from python_calamine import CalamineWorkbook

from councils.errors import InputError

log = logging.getLogger(__name__)

SCAN_CHUNK = 1 << 20
# The parts that say which sheet is where are small; a bigger one is not a real workbook.
MAX_INDEX_PART_BYTES = 5 * 1024 * 1024
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
_LAST_ROW = re.compile(rb'[<:]row\b[^>]*?\sr="(\d+)"')
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

FIRST = "first"
ALL = "all"


class WorkbookRefused(InputError):
    """The file is too big, the wrong shape, or cannot be read; the message says which."""


@dataclass(frozen=True)
class Limits:
    """What one importer takes: bytes of the file, rows and columns of each sheet read
    (rows as Excel numbers them, so a header row counts)."""

    max_bytes: int
    max_rows: int
    max_columns: int = 200

    @property
    def max_unpacked_bytes(self) -> int:
        # Cell XML packs about ten to one; forty leaves room for wordy files, not zip bombs.
        return self.max_bytes * 40


def read_sheets(
    source: bytes | str | Path | BinaryIO,
    limits: Limits,
    *,
    sheets: str | Sequence[str] = ALL,
    header: int | None = None,
) -> dict[str, pd.DataFrame]:
    """The sheets asked for (FIRST, ALL or names) as frames of raw cells (dtype object).

    The format is told from the content, not the name: an upload may be kept under any name."""
    data = _bytes(source)
    _check_size(len(data), limits)
    names = _guarded(lambda: _checked_sheet_names(data, limits, sheets))
    return _guarded(
        lambda: pd.read_excel(io.BytesIO(data), sheet_name=list(names), header=header, engine="calamine", dtype=object)
    )


def check_workbook(source: bytes | str | Path | BinaryIO, limits: Limits, *, sheets: str | Sequence[str] = ALL):
    """The file's bytes and the names of the sheets asked for, once the size and shape checks
    have passed for every one of them."""
    data = _bytes(source)
    _check_size(len(data), limits)
    return data, _guarded(lambda: _checked_sheet_names(data, limits, sheets))


@dataclass(frozen=True)
class CheckedWorkbook:
    """A workbook whose size and index have been checked, for a reader that opens it itself
    and reads only some of its sheets (the Annex A reader): `check_sheet(name)` before each
    sheet is read, so that a sheet the reader skips costs nothing."""

    data: bytes
    names: list[str]
    check_sheet: Callable[[str], None]


def open_checked(source: bytes | str | Path | BinaryIO, limits: Limits) -> CheckedWorkbook:
    data = _bytes(source)
    _check_size(len(data), limits)
    return _guarded(lambda: _opened_checked(data, limits))


def check_openable(source: bytes | str | Path | BinaryIO, limits: Limits) -> list[str]:
    """The sheet names, once the file has passed the checks that cost next to nothing: its
    size, and that it is a workbook at all (for .xlsx, its zip directory and its index of
    sheets, nothing unpacked beyond that; for .xls and .ods, the reader opening it, which does
    not read its cells). For the moment a file is uploaded, so that a file that is not a
    workbook is said on the upload's field; a sheet damaged inside is found when it is read."""
    data = _bytes(source)
    _check_size(len(data), limits)
    return _guarded(lambda: _openable(data, limits))


def _openable(data: bytes, limits: Limits) -> list[str]:
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            _check_unpacked_size(package, limits)
            if "xl/workbook.xml" in package.namelist():
                return _chosen(list(_sheets(package)[0]), ALL)
    with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
        return _chosen(list(book.sheet_names), ALL)


def _opened_checked(data: bytes, limits: Limits, sheets: str | Sequence[str] = ALL) -> CheckedWorkbook:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        # .xls, or not a workbook at all: sized by the reader, the sheets asked for at once.
        return CheckedWorkbook(data, _checked_by_the_reader(data, limits, sheets), lambda name: None)
    package = zipfile.ZipFile(io.BytesIO(data))
    _check_unpacked_size(package, limits)
    if "xl/workbook.xml" not in package.namelist():  # .ods, or a zip of something else
        return CheckedWorkbook(data, _checked_by_the_reader(data, limits, sheets), lambda name: None)
    parts, others = _sheets(package)
    names = _chosen(list(parts), ALL)

    def check_sheet(name: str) -> None:
        if name in parts:
            _guarded(lambda: _check_sheet_part(package, parts[name], name, limits))
        elif name not in others:  # the reader names a sheet the index does not: not checked, so not read
            raise WorkbookRefused(_UNREADABLE)

    return CheckedWorkbook(data, names, check_sheet)


def read_first_sheet(data: bytes, limits: Limits) -> pd.DataFrame:
    """The first sheet, its first row the header: the shape of the audit and values imports."""
    return next(iter(read_sheets(data, limits, sheets=FIRST, header=0).values()))


def read_table(filename: str, data: bytes, limits: Limits) -> pd.DataFrame:
    """An uploaded table, CSV or XLSX by its name, its first row the header; cells of a CSV as
    text. The importers of case audits and of a case sample take their files this way."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "csv":
        return read_csv(data, limits, dtype=str, keep_default_na=False)
    if extension == "xlsx":
        return read_first_sheet(data, limits)
    raise WorkbookRefused("The file must be a CSV or XLSX file")


def read_csv(data: bytes, limits: Limits, **options) -> pd.DataFrame:
    """A CSV file read no further than one row past the limit, so a long file costs little."""
    _check_size(len(data), limits)
    frame = _guarded(lambda: pd.read_csv(io.BytesIO(data), nrows=limits.max_rows, **options), what="CSV file")
    if len(frame) >= limits.max_rows:  # the header is one of the file's rows
        raise WorkbookRefused(_too_many_rows("The file", limits))
    return frame


def _bytes(source) -> bytes:
    if isinstance(source, bytes):
        return source
    if hasattr(source, "read"):
        return source.read()
    try:
        return Path(source).read_bytes()
    except OSError:
        raise WorkbookRefused("The uploaded file could not be found; upload it again") from None


def _check_size(size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise WorkbookRefused(
            f"The file is {_megabytes(size)}; the largest file this import takes is {_megabytes(limits.max_bytes)}"
        )


def _checked_sheet_names(data: bytes, limits: Limits, sheets: str | Sequence[str]) -> list[str]:
    opened = _opened_checked(data, limits, sheets)
    names = _chosen(opened.names, sheets)
    for name in names:
        opened.check_sheet(name)
    return names


def _check_unpacked_size(package: zipfile.ZipFile, limits: Limits) -> None:
    """From the zip's directory, before anything is unpacked: a zip bomb's declared sizes give
    it away (a part that lies about its size fails zipfile's own check when it is unpacked)."""
    if sum(part.file_size for part in package.infolist()) > limits.max_unpacked_bytes:
        raise WorkbookRefused(
            "The workbook holds far more than its file size shows; save it again from Excel as .xlsx and try again"
        )


def _chosen(available: list[str], sheets: str | Sequence[str]) -> list[str]:
    if not available:
        raise WorkbookRefused("The workbook has no sheets")
    if sheets == FIRST:
        return available[:1]
    if sheets == ALL:
        return available
    return [name for name in sheets if name in available]


def _sheets(package: zipfile.ZipFile) -> tuple[dict[str, str], set[str]]:
    """The worksheets (name -> the zip part holding its cells, in workbook order), and the
    names of the other sheets (chart sheets and dialog sheets hold no cells)."""
    book = _small_xml(package, "xl/workbook.xml")
    links = _small_xml(package, "xl/_rels/workbook.xml.rels")
    targets = {link.get("Id"): link.get("Target", "") for link in links.iter(_RELATIONSHIPS)}
    parts, others = {}, set()
    for sheet in book.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        target = targets.get(sheet.get(_OFFICE_ID), "")
        path = target.lstrip("/") if target.startswith("/") else normpath(join(dirname("xl/workbook.xml"), target))
        if path.startswith("xl/worksheets/"):
            parts[sheet.get("name", "")] = path
        else:
            others.add(sheet.get("name", ""))
    return parts, others


def _small_xml(package: zipfile.ZipFile, name: str) -> ElementTree.Element:
    try:
        info = package.getinfo(name)
    except KeyError:
        raise WorkbookRefused(_UNREADABLE) from None
    if info.file_size > MAX_INDEX_PART_BYTES:
        raise WorkbookRefused(_UNREADABLE)
    return ElementTree.fromstring(package.read(info))


def _check_sheet_part(package: zipfile.ZipFile, part: str, name: str, limits: Limits) -> None:
    """The declared dimension first (from the part's first bytes), then, as the part streams
    past, the last row of each stretch (rows come in order) and any cell reference beyond the
    limits (a row number with more digits than the limit's, a column past the last), stopping
    at the first found. One pattern, tried only where a reference starts, not a parse of every
    cell, keeps the check a fraction of the read it saves; a file that lies about its
    dimension and puts its rows out of order can still reach ten times the row limit, no
    more."""
    try:
        stream = package.open(part)
    except KeyError:
        raise WorkbookRefused(_UNREADABLE) from None
    beyond = _beyond_the_limits(limits.max_rows, limits.max_columns)
    tail = b""
    with stream:
        chunk = stream.read(SCAN_CHUNK)
        declared_rows, declared_columns = _declared(chunk)
        _check_shape(name, declared_rows, declared_columns, limits)
        # Row elements are <row ...>, or <x:row ...> in a part written with a prefix.
        row_tag = b"<row " if _PREFIXED_ROOT.search(chunk[:4096]) is None else b":row "
        while chunk:
            text = tail + chunk
            far = beyond.search(text)
            if far:
                rows, columns = _reference(far.group(1))
                _check_shape(name, rows, columns, limits)
            at = text.rfind(row_tag)
            last = _LAST_ROW.match(text, at) if at >= 0 else None
            if last:
                _check_shape(name, int(last.group(1)), 0, limits)
            tail = text[-256:]  # a tag cut by the chunk's end is whole in the next one
            chunk = stream.read(SCAN_CHUNK)


_PREFIXED_ROOT = re.compile(rb"<\w+:worksheet\b")


@lru_cache(maxsize=8)
def _beyond_the_limits(max_rows: int, max_columns: int) -> re.Pattern:
    """A cell reference (r="...") whose row has more digits than max_rows has, or whose
    column comes after the last column allowed."""
    letters = _column_letters(max_columns)
    # Possessive runs (`{m,n}+`): letters given back could never be a digit, so not retrying
    # them changes no match and makes each failed attempt (nearly every cell) shorter.
    later = [f"[A-Z]{{{len(letters) + 1},}}+"]  # a longer run of letters is a later column
    for position, letter in enumerate(letters):  # the same length, later at some position
        if letter != "Z":
            rest = len(letters) - position - 1
            later.append(f"{letters[:position]}[{chr(ord(letter) + 1)}-Z]" + (f"[A-Z]{{{rest}}}" if rest else ""))
    far_column = "(?:" + "|".join(later) + r")\d"
    far_row = rf"[A-Z]{{0,3}}+\d{{{len(str(max_rows)) + 1}}}"
    return re.compile(f'r="({far_column}|{far_row})'.encode())


def _reference(found: bytes) -> tuple[int, int]:
    """(row, column) of the start of a reference found beyond the limits: enough to say which."""
    letters = re.match(rb"[A-Z]*", found).group(0)
    return int(found[len(letters) :] or 0), _column_number(letters) if letters else 0


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _declared(text: bytes) -> tuple[int, int]:
    match = _DIMENSION.search(text)
    if not match:
        return 0, 0
    last_column, last_row = match.group(3) or match.group(1), match.group(4) or match.group(2)
    return int(last_row or 0), _column_number(last_column) if last_column else 0


def _column_number(letters: bytes | str) -> int:
    number = 0
    for letter in letters.decode() if isinstance(letters, bytes) else letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _checked_by_the_reader(data: bytes, limits: Limits, sheets: str | Sequence[str]) -> list[str]:
    with CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
        names = _chosen(list(book.sheet_names), sheets)
        for name in names:
            sheet = book.get_sheet_by_name(name)
            _check_shape(name, sheet.total_height, sheet.total_width, limits)
    return names


def _check_shape(name: str, rows: int, columns: int, limits: Limits) -> None:
    if rows > limits.max_rows:
        raise WorkbookRefused(_too_many_rows(f"The sheet '{name}'", limits))
    if columns > limits.max_columns:
        raise WorkbookRefused(
            f"The sheet '{name}' uses more columns than this import takes: at most {limits.max_columns:,}. "
            "Delete the columns it does not need, or anything typed far to the right, and try again"
        )


def _too_many_rows(what: str, limits: Limits) -> str:
    return (
        f"{what} has more rows than this import takes: at most {limits.max_rows:,} a sheet, counting the header. "
        "Split it into smaller files, or delete anything typed far below the table, and try again"
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


_UNREADABLE = (
    "The file could not be read as an Excel workbook: it may be damaged, protected by a password or in another "
    "format. Open it in Excel, save it as an Excel workbook (.xlsx) and try again"
)
CELL_UNREADABLE = (
    "Part of the workbook could not be read: it may hold a value Excel cannot show, such as a date or time "
    "out of range (shown as ####). Check the sheet's dates and times, save it again and try again"
)


def _guarded(read, what: str = "Excel workbook"):
    """Run the reader; whatever it raises becomes a WorkbookRefused saying so in words."""
    try:
        return read()
    except WorkbookRefused:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: B036 - pyo3's PanicException derives from BaseException alone
        # The type is logged for whoever maintains the service; the file's contents never are.
        log.warning("An uploaded %s could not be read (%s)", what, type(error).__name__)
        if what != "Excel workbook":
            raise WorkbookRefused(f"The file could not be read as a {what}; save it again and try again") from None
        if type(error).__name__ in ("PanicException", "OverflowError"):
            raise WorkbookRefused(CELL_UNREADABLE) from None
        raise WorkbookRefused(_UNREADABLE) from None
