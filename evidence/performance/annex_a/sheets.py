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
from concurrent.futures import ThreadPoolExecutor
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
    close: Callable[[], None] = lambda: None


# Checked before the workbook is read (evidence/workbooks.py): a list's title rows, its header
# and 100,000 rows, in columns A to EZ; a file as large as an upload may be.
LIMITS = workbooks.Limits(max_bytes=20 * 1024 * 1024, max_rows=30 + 1 + 100_000, max_columns=156)


def check_upload(source: str | Path | BinaryIO | bytes) -> None:
    """At upload, before a job is queued: the file is one this opener could open (its size, and
    that it is a workbook at all; evidence/workbooks.py `check_openable`, a few milliseconds).
    A sheet damaged inside, too big or holding a value the reader cannot take is found by the
    job, which fails saying so."""
    try:
        workbooks.check_openable(source, LIMITS)
    except workbooks.WorkbookRefused as refused:
        raise WorkbookUnreadable(str(refused)) from None


def open_sheets(
    source: str | Path | BinaryIO, *, skipped: Callable[[str], bool] = lambda name: False
) -> OpenedWorkbook:
    """Open a workbook (.xlsx, .xlsm, .xls, .ods) for reading sheet by sheet, row by row,
    once evidence/workbooks.py has checked its size, and each sheet's shape just before that
    sheet is read (a sheet using a million rows is refused before a cell of it is read; a
    sheet the reader skips is not looked at).

    `skipped(name)`: the sheets the caller will not ask for. The others are made ready ahead,
    on two threads of their own: one checks them in turn, the other parses them with
    python-calamine (which lets go of Python's lock while it parses, as zlib does while it
    unpacks), one sheet ahead of the caller. So the checks run beside the parsing, and the
    next sheet is parsed while the caller turns this one into Python values and reads them:
    the protection and the reader's own work cost the import little of its time. Only one
    parsed sheet is ever waiting, so memory is as before (a check streams the sheet and keeps
    nothing). A sheet is never parsed before its own check has passed: its parse waits for
    that check's answer. Call `close()` when done.

    Cells come as str ('' when empty), float, int, bool, datetime.date, datetime.datetime or
    datetime.timedelta, as python-calamine gives them."""
    import python_calamine

    try:
        checked = workbooks.open_checked(source, LIMITS)
    except workbooks.WorkbookRefused as refused:
        raise WorkbookUnreadable(str(refused)) from None
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(checked.data))
        names = list(book.sheet_names)
    except BaseException as error:  # noqa: B036 - see _reader_failed
        _reader_failed(error)
        raise WorkbookUnreadable(
            "The file could not be opened as an Excel workbook. Save it again from Excel as .xlsx and upload that."
        ) from None
    checking = ThreadPoolExecutor(max_workers=1, thread_name_prefix="annex-a-check")
    parsing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="annex-a-sheet")
    order = [name for name in names if not skipped(name)]
    checks = {name: checking.submit(checked.check_sheet, name) for name in order}

    def prepared(name: str):
        # Raises WorkbookRefused, or whatever the check raised: then it is never parsed.
        (checks.get(name) or checking.submit(checked.check_sheet, name)).result()
        return book.get_sheet_by_name(name)

    ready = {order[0]: parsing.submit(prepared, order[0])} if order else {}

    def unreadable(name: str, error: BaseException | None = None) -> WorkbookUnreadable:
        if type(error).__name__ in ("PanicException", "OverflowError"):
            return WorkbookUnreadable(workbooks.CELL_UNREADABLE)  # a cell, not the file, is the trouble
        return WorkbookUnreadable(
            f"The sheet '{name[:60]}' could not be read; the file may be damaged. Save it again from Excel and upload that."
        )

    def rows(name: str) -> list[list] | Iterator[list]:
        sheet = ready.pop(name, None) or parsing.submit(prepared, name)
        following = order.index(name) + 1 if name in order else len(order)
        if following < len(order) and order[following] not in ready:
            ready[order[following]] = parsing.submit(prepared, order[following])
        try:
            sheet = sheet.result()
        except workbooks.WorkbookRefused as refused:
            raise WorkbookUnreadable(str(refused)) from None
        except BaseException as error:  # noqa: B036 - see _reader_failed
            _reader_failed(error)
            raise unreadable(name, error) from None
        try:
            if sheet.height <= READ_WHOLE_UP_TO_ROWS:
                return sheet.to_python()
        except BaseException as error:  # noqa: B036 - see _reader_failed
            _reader_failed(error)
            raise unreadable(name, error) from None
        return _guarded(sheet.iter_rows(), name, unreadable)

    def close() -> None:
        # A sheet waiting is dropped, checks not begun are cancelled; the one being checked and
        # the one being parsed are waited for (one sheet each at most), so that nothing of this
        # workbook is still being read once the caller is done, after a refusal too. A parse
        # waiting for a check that is cancelled gives up (CancelledError): it never parses.
        ready.clear()
        for waiting in checks.values():
            waiting.cancel()
        parsing.shutdown(wait=True, cancel_futures=True)
        checking.shutdown(wait=True, cancel_futures=True)

    return OpenedWorkbook(names, rows, close)


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
