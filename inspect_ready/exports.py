"""Spreadsheet downloads (CSV and XLSX) that a spreadsheet cannot turn into formulas.

A cell starting with =, +, -, @ (or a tab or carriage return) could run as a formula when
opened; such text is prefixed with an apostrophe, the usual defence (OWASP's CSV injection
advice). Numbers and dates are written as themselves.

An XLSX download opens as people expect a spreadsheet from a colleague to: a bold header row
that stays put when scrolling, a filter on every column, columns wide enough to read and
dates shown as dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from functools import cache, partial
from itertools import chain, islice

from flask import Response, stream_with_context
from flask_login import current_user

from councils.db import db
from councils.tenancy import acting_for, current_council
from inspect_ready import spreadsheets
from inspect_ready.pages import criterion_text
from inspect_ready.spreadsheets import NOT_XML, sheet_file
from judgement_framework.gaps import kind_label

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A streamed download is sent in pieces about this big.
CHUNK_CHARACTERS = 64 * 1024
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xml_safe(value):
    """Text an XLSX file can hold: XML 1.0 has no place for most control characters, lone
    surrogates or U+FFFE/U+FFFF, and a spreadsheet refuses the whole file over one. Text
    stored before such characters were refused at the door still exports, without them."""
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    return value


def _safe_rows(header: Sequence[str], rows: Iterable[Sequence]) -> Iterable[list]:
    yield [safe_cell(cell) for cell in header]
    for row in rows:
        yield [safe_cell(cell) for cell in row]


def _read_as_the_reader(chunks: Callable[[], Iterator]) -> Iterator:
    """A streamed download's chunks, read as the signed-in council. Flask runs the request's
    teardown before the first chunk is sent (3.1), so the signed-in council and the request's
    database session are gone by then: the rows are read as the same council, with the reader
    back in a session, or another council's rows would be read unscoped."""
    council_id, reader = current_council(), current_user._get_current_object()

    def read() -> Iterator:
        with acting_for(council_id):
            if getattr(reader, "is_authenticated", False):
                db.session.add(reader)
            yield from chunks()

    return stream_with_context(read())


def csv_download(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """A CSV file sent as it is written, a chunk at a time: a download of every gap or the
    whole audit log never sits in memory whole. `rows` may read the database as they go."""

    def chunks() -> Iterator[str]:
        yield "\ufeff"  # a byte-order mark makes Excel read the file as UTF-8
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in _safe_rows(header, rows):
            writer.writerow(["" if cell is None else cell for cell in row])
            if buffer.tell() >= CHUNK_CHARACTERS:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return download(_read_as_the_reader(chunks), filename, "text/csv; charset=utf-8")


# Widths are in Excel's character units; long text wraps rather than making a column that
# runs off the screen. Widths are judged from the first rows (the file is written as it goes,
# so later rows cannot widen a column already written).
MIN_WIDTH, MAX_WIDTH, ROWS_FOR_WIDTH = 8, 60, 200
DATE_FORMAT = "d mmm yyyy"


def _width(value) -> int:
    if isinstance(value, dt.date):
        return 11
    return max((len(line) for line in str(value).splitlines()), default=0) if value is not None else 0


def xlsx_download(filename: str, sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """An XLSX file written as it is sent (inspect_ready/spreadsheets.py): a bold header row
    that stays put, a filter on every column, widths from the first rows, long text wrapped,
    dates as dates. `rows` may read the database as they go."""

    def chunks() -> Iterator[bytes]:
        body = iter(_safe_rows(header, rows))
        head = next(body)
        first = list(islice(body, ROWS_FOR_WIDTH))
        widths = [_column_width(title, (row[n] for row in first if len(row) > n)) for n, title in enumerate(head)]
        safe = ([xml_safe(value) for value in row] for row in chain(first, body))
        yield from sheet_file(
            sheet_title[:31],
            [xml_safe(title) for title in head],
            safe,
            widths=widths,
            styles_of=_style,
            date_format=DATE_FORMAT,
        )

    return download(_read_as_the_reader(chunks), filename, XLSX_TYPE)


def _column_width(title: str, values: Iterable) -> int:
    widest = max([_width(title) + 2, *(_width(value) for value in values)])
    return min(max(widest + 1, MIN_WIDTH), MAX_WIDTH)


def _style(value) -> int:
    if isinstance(value, dt.date):
        return spreadsheets.DATE
    if isinstance(value, str) and len(value) > MAX_WIDTH:
        return spreadsheets.WRAPPED
    return spreadsheets.PLAIN


GAP_HEADER = [
    "Theme rank",
    "Theme",
    "Severity",
    "Kind of gap",
    "Judgement",
    "Criterion",
    "Gap",
    "Suggested next step",
    "Service areas",
    "Has an action",
]


def gap_download(file_format: str, name: str, framework, rows, with_action: Collection[str], themes) -> Response:
    """A gap list (the live one or a mock inspection's) as CSV or XLSX, in one layout: `rows`
    are (gap, service areas) pairs as `standing.filter_gaps` gives them, theme by theme;
    `with_action` the gap ids an action was made from; `themes` the ranked themes. Words
    throughout: judgement and criterion titles, kinds and severities as a person says them."""
    titles = {area.id: area.title for area in framework.areas}
    # Once per criterion, not per gap: the framework's look-ups are slow pydantic properties.
    criterion = cache(partial(criterion_text, framework))
    rank_of = {gap.id: (number, theme) for number, theme in enumerate(themes, start=1) for gap in theme.gaps}

    def data() -> Iterator[list]:
        for gap, services in rows:
            number, theme = rank_of.get(gap.id, (None, None))
            yield [
                number,
                f"{theme.area_title}: {theme.title}" if theme else "",
                gap.severity.capitalize(),
                kind_label(gap.kind),
                titles.get(gap.area_id) or ("A judgement of an earlier framework" if gap.area_id else "Whole council"),
                criterion(gap.criterion_id),
                gap.sentence,
                gap.next_step,
                ", ".join(sorted(s.label for s in services)) or "Whole council",
                "Yes" if gap.id in with_action else "No",
            ]

    if file_format == "csv":
        return csv_download(f"{name}.csv", GAP_HEADER, data())
    return xlsx_download(f"{name}.xlsx", "Gap list", GAP_HEADER, data())


def download(body, filename: str, mimetype: str) -> Response:
    """A file the browser saves rather than shows."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
