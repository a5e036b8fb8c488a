"""The reader's quicker ways of building columns and frames give what the plain ways gave.

The frame's reference is the code it replaced (pandas converting each list itself); the
columns' is a plain transposition, short rows padded with blanks: the speed work must not
change a value, a dtype or a row."""

import datetime as dt

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from evidence.performance.annex_a.workbook import CHILD, LISTS, ROW, ListRows, _columns, _datetimes

DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
TEXTS = st.one_of(st.none(), st.text(max_size=12))


def _frame_as_before(listed: ListRows) -> pd.DataFrame:
    data = {ROW: listed.rows}
    ids = listed.values.get(listed.spec.id_column, [None] * len(listed.rows))
    data[CHILD] = pd.Series([value.lower() if value else None for value in ids], dtype=object)
    for name, values in listed.values.items():
        if listed.spec.columns[name].kind == "date":
            data[name] = pd.Series(_datetimes(values))
        elif listed.spec.columns[name].kind == "count":
            data[name] = pd.Series(values, dtype="float64")
        else:
            data[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(data)


def _column_of(spec, kind: str) -> str:
    return next(name for name, column in spec.columns.items() if column.kind == kind and name != spec.id_column)


@given(st.data())
def test_a_frame_is_what_pandas_made_of_the_lists(data):
    spec = LISTS[data.draw(st.sampled_from(sorted(LISTS)))]
    size = data.draw(st.integers(0, 30))
    listed = ListRows(
        spec, "List", 1, rows=sorted(data.draw(st.sets(st.integers(2, 10_000), min_size=size, max_size=size)))
    )
    cells = {
        "date": st.one_of(st.none(), DAYS),
        "count": st.one_of(st.none(), st.integers(0, 10**9)),
        "code": TEXTS,
    }
    if data.draw(st.booleans()):
        listed.values[spec.id_column] = data.draw(st.lists(TEXTS, min_size=size, max_size=size))
    for kind, cell in cells.items():
        listed.values[_column_of(spec, kind)] = data.draw(st.lists(cell, min_size=size, max_size=size))
    pd.testing.assert_frame_equal(listed.frame(), _frame_as_before(listed), check_exact=True)


@given(st.data())
def test_columns_are_the_rows_transposed(data):
    width = data.draw(st.integers(1, 6))
    cell = st.one_of(st.none(), st.text(max_size=3), st.integers(), st.floats(allow_nan=False))
    rows = data.draw(st.lists(st.lists(cell, min_size=1, max_size=width), max_size=20))
    positions = data.draw(st.lists(st.integers(0, width - 1), min_size=1, max_size=width, unique=True))
    padded = [list(row) + [""] * (width - len(row)) for row in rows]  # short rows read as blank
    assert _columns(rows, positions) == [[row[position] for row in padded] for position in positions]
