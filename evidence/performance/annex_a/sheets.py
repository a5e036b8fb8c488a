"""The one place a workbook file is opened.

Everything that touches the spreadsheet library is inside `open_sheets`, so a safer opener
(size and shape checks) can be put in its place without touching the reader. Whatever the
library raises, on opening or while rows are read, comes out as `WorkbookUnreadable` with a
sentence a person can act on.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from evidence import workbooks

log = logging.getLogger(__name__)


class WorkbookUnreadable(ValueError):
    """The file cannot be read as an Annex A workbook; nothing can be computed."""

    field = "workbook"


# A sheet this tall is read row by row, so that a sheet formatted down to Excel's last row
# does not fill memory; shorter ones are read whole, which is quicker.
READ_WHOLE_UP_TO_ROWS = 200_000


@dataclass(frozen=True)
class OpenedWorkbook:
    names: list[str]
    # sheet name -> its rows, each a list of cell values: a list, or for a very tall sheet an iterator
    rows: Callable[[str], list[list] | Iterator[list]]


# Checked before the workbook is read (evidence/workbooks.py): a list's title rows, its header
# and 100,000 rows, in columns A to EZ; a file as large as an upload may be.
LIMITS = workbooks.Limits(max_bytes=20 * 1024 * 1024, max_rows=30 + 1 + 100_000, max_columns=156)


def open_sheets(source: str | Path | BinaryIO) -> OpenedWorkbook:
    """Open a workbook (.xlsx, .xlsm, .xls, .ods) for reading sheet by sheet, row by row,
    once evidence/workbooks.py has checked its size and shape (a sheet declaring a million
    rows is refused before a cell is read).

    Cells come as str ('' when empty), float, int, bool, datetime.date, datetime.datetime or
    datetime.timedelta, as python-calamine gives them."""
    import python_calamine

    try:
        data, _ = workbooks.check_workbook(source, LIMITS)
    except workbooks.WorkbookRefused as refused:
        raise WorkbookUnreadable(str(refused)) from None
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
    except BaseException as error:  # noqa: B036 - see _reader_failed
        _reader_failed(error)
        raise WorkbookUnreadable(
            "The file could not be opened as an Excel workbook. Save it again from Excel as .xlsx and upload that."
        ) from None

    def unreadable(name: str, error: BaseException | None = None) -> WorkbookUnreadable:
        if type(error).__name__ in ("PanicException", "OverflowError"):
            return WorkbookUnreadable(workbooks.CELL_UNREADABLE)  # a cell, not the file, is the trouble
        return WorkbookUnreadable(
            f"The sheet '{name[:60]}' could not be read; the file may be damaged. Save it again from Excel and upload that."
        )

    def rows(name: str) -> list[list] | Iterator[list]:
        try:
            sheet = book.get_sheet_by_name(name)
            if sheet.height <= READ_WHOLE_UP_TO_ROWS:
                return sheet.to_python()
        except BaseException as error:  # noqa: B036 - see _reader_failed
            _reader_failed(error)
            raise unreadable(name, error) from None
        return _guarded(sheet.iter_rows(), name, unreadable)

    return OpenedWorkbook(names, rows)


def _guarded(rows: Iterator[list], name: str, unreadable: Callable[..., Exception]) -> Iterator[list]:
    try:
        yield from rows
    except BaseException as error:  # noqa: B036 - see _reader_failed
        _reader_failed(error)
        raise unreadable(name, error) from None


def _reader_failed(error: BaseException) -> None:
    """Whatever the reader raises is a workbook that cannot be read, pyo3's PanicException
    (a BaseException, not an Exception) among them; an interrupt or an exit goes on up."""
    if isinstance(error, (KeyboardInterrupt, SystemExit, GeneratorExit)):
        raise error
    log.warning("An Annex A workbook could not be read (%s)", type(error).__name__)
