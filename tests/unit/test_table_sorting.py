"""The one reader of a table's sort parameters: a bounded set of columns, a fallback for
anything else, and header cells that link to the other direction with the filters kept."""

import pytest
from flask import Flask

from inspect_ready.sorting import ASCENDING, DESCENDING, Column, date_column, sort_of, sorted_by, text_column

COLUMNS = {"title": text_column("Title"), "date": date_column("Date")}


@pytest.fixture()
def app():
    app = Flask(__name__)
    app.add_url_rule("/things/<int:group>", "things", lambda group: "")
    return app


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ("date", True)),
        ("?sort=title", ("title", False)),  # the column's own first direction
        ("?sort=title&dir=desc", ("title", True)),
        ("?sort=title&dir=sideways", ("title", False)),
        ("?sort=id;drop&dir=asc", ("date", True)),  # not a column: the list's default
        ("?sort=__class__", ("date", True)),
        ("?sort=Title", ("date", True)),
    ],
)
def test_the_sort_asked_for_or_the_default(app, query, expected):
    with app.test_request_context(f"/things/3{query}"):
        sort = sort_of(COLUMNS, "date")
        assert (sort.key, sort.descending) == expected


def test_a_header_cell_links_to_the_other_direction_keeping_filters_and_leaving_the_page(app):
    with app.test_request_context("/things/3?sort=title&dir=asc&kind=document&page=4"):
        sort = sort_of(COLUMNS, "date")
        title, date = sort.head("title"), sort.head("date")
    assert title["attributes"] == {"aria-sort": "ascending"} and date["attributes"] == {"aria-sort": "none"}
    assert 'href="/things/3?kind=document&amp;sort=title&amp;dir=desc"' in title["html"]
    assert 'href="/things/3?kind=document&amp;sort=date&amp;dir=desc"' in date["html"]  # newest first to start
    assert "page=" not in title["html"]
    assert sort.words == "sorted by title, A to Z"


def test_no_default_keeps_the_lists_own_order(app):
    with app.test_request_context("/things/3"):
        sort = sort_of(COLUMNS, None)
        assert sort.key is None and sort.as_args() == {}
        assert all(sort.head(k)["attributes"]["aria-sort"] == "none" for k in COLUMNS)
    assert sorted_by([3, 1, 2], sort, {}) == [3, 1, 2]


def test_a_list_in_memory_puts_missing_values_last_either_way(app):
    column = {"n": Column("Number", ASCENDING, "smallest first", "largest first")}
    for direction, expected in ((ASCENDING, [1, 2, 3, None]), (DESCENDING, [3, 2, 1, None])):
        with app.test_request_context(f"/things/1?sort=n&dir={direction}"):
            sort = sort_of(column, "n")
        assert sorted_by([2, None, 3, 1], sort, {"n": lambda x: x}) == expected
