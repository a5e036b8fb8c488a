"""Small hand-built Annex A sheets, as rows of cells the way the workbook opener gives them."""

from evidence.performance.annex_a.workbook import parse_sheets

CHILD_ID = "Child Unique ID"


def sheet(headers, rows, *, title_rows=(("Annex A",), ())):
    width = len(headers)
    return [list(r) + [""] * (width - len(r)) for r in [*title_rows, headers, *rows]]


def workbook(**lists):
    """workbook(list_7=(headers, rows), ...) with a Child Unique ID column added first
    (rows may start with their own id by passing ids=True in a 3-tuple)."""
    sheets = {}
    for key, spec in lists.items():
        headers, rows = spec[0], spec[1]
        number = int(key.split("_")[1])
        own_ids = len(spec) > 2 and spec[2]
        body = rows if own_ids else [[f"C{i}", *row] for i, row in enumerate(rows)]
        sheets[f"List {number}"] = sheet([CHILD_ID, *headers], body)
    return parse_sheets(sheets)
