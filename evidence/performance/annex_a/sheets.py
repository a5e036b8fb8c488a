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


@dataclass(frozen=True)
class OpenedWorkbook:
    names: list[str]
    rows: Callable[[str], Iterator[list]]  # sheet name -> its rows, each a list of cell values


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

    def rows(name: str) -> Iterator[list]:
        try:
            yield from book.get_sheet_by_name(name).iter_rows()
        except Exception:
            raise WorkbookUnreadable(
                f"The sheet '{name[:60]}' could not be read; the file may be damaged. Save it again from Excel and upload that."
            ) from None

    return OpenedWorkbook(names, rows)
