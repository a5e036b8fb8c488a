"""What the fuzz suite sends: for each kind of field, what a person might type and what a
damaged paste, a fuzzer or an attacker might send instead.

Every strategy here is drawn by seeded, bounded hypothesis runs (tests/fuzz/conftest.py),
so a failure found once is found again on every machine.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from hypothesis import strategies as st
from openpyxl import Workbook

# Text no form should take as it is, each with a reason it has broken something before.
NASTY_TEXT = [
    "\x00",  # PostgreSQL refuses NUL in text
    "Jane\x00Smith",
    "\x01\x02\x1f",  # control characters break XLSX exports
    "line\x0bbreak",
    "\x7f",
    "\u0085",
    "99999999999999999999",  # past every integer column
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "-1",
    "0",
    "NaN",
    "sNaN",
    "Infinity",
    "-inf",
    "1e999",
    "1_000",
    "٣",  # digits int() reads but a person would not mean
    "²",
    "x" * 300,  # past a String(200) or String(255) column
    "x" * 5000,
    " ",
    "",
    '=HYPERLINK("http://evil.example")',
    "<script>alert(1)</script>",
    "'; DROP TABLE action; --",
    "Robert'); --",
    "\u202eevil",
    "\ufeff",
    "😀" * 70,
]

TEXT = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=190, max_size=320),
    st.integers().map(str),
    st.floats().map(str),
)

DATE_PARTS = st.one_of(
    st.lists(
        st.sampled_from(["", "0", "1", "12", "29", "31", "32", "13", "2026", "99999999999999999999", "٣", "-1", "x"]),
        max_size=4,
    ),
    st.lists(st.text(max_size=6), min_size=3, max_size=3),
)


def today_parts() -> list[str]:
    today = dt.date.today()
    return [str(today.day), str(today.month), str(today.year + 1)]


# File names: an ordinary one, or one no disk or database should keep.
FILENAMES = st.one_of(
    st.sampled_from(
        [
            "notes\x00.csv",
            "notes\x01.xlsx",
            "x" * 300 + ".csv",
            "../../etc/passwd",
            "no-extension",
            ".csv",
            "Jayden Smith (DOB 03-04-2015).xlsx",
            "évidence.csv",
        ]
    ),
    st.text(max_size=20).map(lambda name: name + ".xlsx"),
)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list]) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


@st.composite
def damaged(draw, content: bytes) -> bytes:
    """The file cut short, or bytes flipped in it: what a broken download gives."""
    if not content:
        return content
    how = draw(st.sampled_from(["cut", "flip", "both"]))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    data = bytearray(content)
    if how in ("flip", "both"):
        for _ in range(draw(st.integers(1, 12))):
            data[rng.randrange(len(data))] = rng.randrange(256)
    if how in ("cut", "both"):
        data = data[: rng.randrange(len(data))]
    return bytes(data)


# Cells of an imported table: anything text or a spreadsheet can hold.
CELL = st.one_of(
    TEXT,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.booleans(),
    st.none(),
)
XLSX_CELL = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), max_size=40),
    st.sampled_from([t for t in NASTY_TEXT if not any(ord(c) < 32 for c in t)]),
    st.integers(min_value=-(2**52), max_value=2**52),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 3, 1)),
    st.none(),
)


@st.composite
def table_file(draw, columns: list[str], good_row: dict | None = None, *, max_rows: int = 4):
    """A CSV or XLSX file with the importer's own header, and rows that are mostly right
    with wrong cells among them (a row of only wrong cells stops at the first check)."""
    header = list(columns)
    if draw(st.booleans()) and len(header) > 1:
        header = draw(st.permutations(header))
    if draw(st.integers(0, 9)) == 0:
        header = header[: draw(st.integers(0, len(header)))]  # a column left out
    rows = [header]
    as_xlsx = draw(st.booleans())
    for _ in range(draw(st.integers(0, max_rows))):
        # At most two wrong cells a row, often none: a file with every row wrong tries only
        # the first check; one that passes the preview tries the commit.
        wrong = set()
        if header and draw(st.booleans()):
            wrong = draw(st.sets(st.sampled_from(header), min_size=1, max_size=2))
        row = []
        for column in header:
            good = (good_row or {}).get(column, "")
            if column in wrong:
                row.append(draw(XLSX_CELL if as_xlsx else CELL))
            else:
                row.append(good(len(rows)) if callable(good) else good)  # a callable: a value per row
        rows.append(row)
    if as_xlsx:
        content = xlsx_bytes(rows)
        name = "import.xlsx"
    else:
        content = csv_bytes([["" if c is None else c for c in row] for row in rows])
        name = "import.csv"
    if draw(st.integers(0, 7)) == 0:
        content = draw(damaged(content))
    return name, content
