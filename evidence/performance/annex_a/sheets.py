"""The one place a workbook file is opened.

Everything that touches the spreadsheet library is inside `open_sheets`, so a safer opener
(size and shape checks) can be put in its place without touching the reader. Whatever the
library raises, on opening or while rows are read, comes out as `WorkbookUnreadable` with a
sentence a person can act on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO


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


def open_sheets(source: str | Path | BinaryIO) -> OpenedWorkbook:
    """Open a workbook (.xlsx, .xlsm, .xls, .ods) for reading sheet by sheet, row by row.

    Cells come as str ('' when empty), float, int, bool, datetime.date, datetime.datetime or
    datetime.timedelta, as python-calamine gives them."""
    import python_calamine

    try:
        if isinstance(source, (str, Path)):
            book = python_calamine.CalamineWorkbook.from_path(str(source))
        else:
            book = python_calamine.CalamineWorkbook.from_filelike(source)
        names = list(book.sheet_names)
    except Exception:  # the library raises several kinds for a file it cannot read
        raise WorkbookUnreadable(
            "The file could not be opened as an Excel workbook. Save it again from Excel as .xlsx and upload that."
        ) from None

    def unreadable(name: str) -> WorkbookUnreadable:
        return WorkbookUnreadable(
            f"The sheet '{name[:60]}' could not be read; the file may be damaged. Save it again from Excel and upload that."
        )

    def rows(name: str) -> list[list] | Iterator[list]:
        try:
            sheet = book.get_sheet_by_name(name)
            if sheet.height <= READ_WHOLE_UP_TO_ROWS:
                return sheet.to_python()
        except Exception:
            raise unreadable(name) from None
        return _guarded(sheet.iter_rows(), name, unreadable)

    return OpenedWorkbook(names, rows)


def _guarded(rows: Iterator[list], name: str, unreadable: Callable[[str], Exception]) -> Iterator[list]:
    try:
        yield from rows
    except Exception:
        raise unreadable(name) from None
