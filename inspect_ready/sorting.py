"""Sorting a table by one of its columns, through links in its header: `?sort=date&dir=desc`.

One reading of the parameters for every sortable table. A list names the columns it may be
sorted by (a bounded set, so a parameter never reaches a query as a column name) and the
direction each starts in (dates newest first, names A to Z). A sort or direction that is not
one of them falls back to the list's own order, never an error: a link is only a link, and
an old or hand-typed one still shows the list.

The header cell of a sortable column is a link to the same page, filters kept, sorted by it
(the other way when it is already the sort), its `aria-sort` saying how the table is sorted
now, so the sort works without JavaScript and a screen reader hears it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from markupsafe import Markup

ASCENDING, DESCENDING = "asc", "desc"


@dataclass(frozen=True)
class Column:
    """A sortable column: its header's words, the direction it starts in, and each
    direction in words."""

    label: str
    starts: str
    ascending: str
    descending: str


def text_column(label: str) -> Column:
    return Column(label, ASCENDING, "A to Z", "Z to A")


def date_column(label: str) -> Column:
    return Column(label, DESCENDING, "oldest first", "newest first")


@dataclass(frozen=True)
class Sort:
    key: str | None  # None: the list's own order (a list whose order is no one column's)
    descending: bool
    columns: dict[str, Column]

    @property
    def direction(self) -> str:
        return DESCENDING if self.descending else ASCENDING

    @property
    def words(self) -> str:
        """The current sort, for the table's caption: "sorted by date, newest first"."""
        if self.key is None:
            return "in the list's own order"
        column = self.columns[self.key]
        return f"sorted by {column.label.lower()}, {column.descending if self.descending else column.ascending}"

    def as_args(self) -> dict[str, str]:
        """The parameters that keep this sort on another link (a page, a filter form)."""
        return {} if self.key is None else {"sort": self.key, "dir": self.direction}

    def head(self, key: str, **cell) -> dict:
        """The govukTable header cell of the column `key`: a link to this page sorted by it
        (the other way if it is the sort now), filters kept, back to the first page."""
        column = self.columns[key]
        current = key == self.key
        if current:
            then = ASCENDING if self.descending else DESCENDING
        else:
            then = column.starts
        args = {k: v for k, v in request.args.items() if k not in ("sort", "dir", "page")}
        href = url_for(request.endpoint, **(request.view_args or {}), **args, sort=key, dir=then)
        if current:
            shown = Markup(' <span aria-hidden="true">{}</span>').format("▼" if self.descending else "▲")
        else:
            shown = ""
        html = Markup('<a class="govuk-link app-sort-link" href="{}">{}</a>{}').format(href, column.label, shown)
        now = ("descending" if self.descending else "ascending") if current else "none"
        return {"html": html, "attributes": dict(cell.pop("attributes", {}), **{"aria-sort": now}), **cell}


def sorted_by(items: list, sort: Sort, keys: dict) -> list:
    """A list already in memory sorted as `sort` says, by `keys[sort.key]` of each item; an
    item with no value for the column (None) last either way, the list's own order kept
    among equals."""
    if sort.key is None:
        return list(items)
    key = keys[sort.key]
    known = [item for item in items if key(item) is not None]
    unknown = [item for item in items if key(item) is None]
    return sorted(known, key=key, reverse=sort.descending) + unknown


def sort_of(columns: dict[str, Column], default: str | None) -> Sort:
    """The sort the request asks for, if it is one of `columns`; else the list's default
    (None: the list's own order)."""
    key = request.args.get("sort", "")
    if key not in columns:
        return Sort(default, default is not None and columns[default].starts == DESCENDING, columns)
    direction = request.args.get("dir", "")
    if direction not in (ASCENDING, DESCENDING):
        direction = columns[key].starts
    return Sort(key, direction == DESCENDING, columns)
