"""Small hand-built Annex A sheets, as pandas gives them with header=None."""

import pandas as pd

from evidence.performance.annex_a.workbook import CHILD_ID, parse_sheets


def sheet(headers, rows, *, title_rows=(("Annex A",), ())):
    width = len(headers)
    padded = [list(r) + [None] * (width - len(r)) for r in [*title_rows, headers, *rows]]
    return pd.DataFrame(padded, dtype=object)


def workbook(**lists):
    """workbook(list_7=(headers, rows), ...) with a Child Unique ID column added first."""
    sheets = {}
    for key, (headers, rows) in lists.items():
        number = int(key.split("_")[1])
        sheets[f"List {number}"] = sheet([CHILD_ID, *headers], [[f"C{i}", *row] for i, row in enumerate(rows)])
    return parse_sheets(sheets)
