"""The case sample's paste reader (sample_import.read_pasted), given any text and rows as a
spreadsheet puts them on the clipboard: it never fails but with a message on the pasted
field, what it reads is what was copied, and pasted rows read as the same rows in a file do.
Then the paste through the page: the preview and its confirmation never fail.
"""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.mock_inspections.inspections import MockInspectionError
from evidence.mock_inspections.sample_import import COLUMNS, MAX_ROWS, read_pasted, read_table
from evidence.performance import indicators
from evidence.reviews.models import ReviewKind
from tests.fuzz.conftest import EXAMPLES, fuzz_settings
from tests.fuzz.forms import refused, table_counts
from tests.fuzz.values import TEXT
from tests.support.factories import make_audit, make_council, make_user, sign_in_as
from tests.support.review_factories import make_review

PASTE_EXAMPLES = 10 * EXAMPLES
# A cell as a person copies it: printable text without tabs, line breaks or quotes, which a
# spreadsheet would quote (and which the reader's own quoting test below covers).
CELL = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"], exclude_characters='"'),
    max_size=20,
).map(str.strip)
ROW = st.lists(CELL, min_size=len(COLUMNS), max_size=len(COLUMNS))


def _clipboard(rows: list[list[str]], line_end: str = "\r\n") -> str:
    return "".join("\t".join(row) + line_end for row in rows)


@fuzz_settings(examples=PASTE_EXAMPLES)
@given(st.one_of(TEXT, st.text(alphabet='\t\r\n" abc', max_size=60), st.lists(TEXT).map("\t".join)))
def test_any_text_is_read_or_refused_on_the_pasted_field(text):
    try:
        rows, first_line = read_pasted(text)
    except MockInspectionError as error:
        assert error.field == "pasted" and str(error)
        return
    assert first_line in (1, 2) and 1 <= len(rows) <= MAX_ROWS
    assert all(set(row) <= set(COLUMNS) and all(isinstance(v, str) for v in row.values()) for row in rows)


@fuzz_settings(examples=PASTE_EXAMPLES)
@given(
    st.lists(ROW, min_size=1, max_size=5),
    st.booleans(),
    st.sampled_from(["\r\n", "\n", "\r"]),
    st.integers(0, 2),
)
def test_copied_rows_read_back_as_they_were_copied(rows, with_header, line_end, blank_lines):
    # A first cell that is a column's name would read as a header: a reference never is one.
    rows = [[f"CP-{n}{row[0]}"] + row[1:] for n, row in enumerate(rows)]
    text = _clipboard(([COLUMNS] if with_header else []) + rows, line_end) + line_end * blank_lines
    read, first_line = read_pasted(text)
    assert first_line == (2 if with_header else 1)
    assert [[row[c] for c in COLUMNS] for row in read] == rows


@fuzz_settings(examples=PASTE_EXAMPLES)
@given(st.lists(ROW, min_size=1, max_size=5), st.permutations(COLUMNS))
def test_pasted_rows_read_as_the_same_rows_in_a_csv_file(rows, header):
    # Each row names its case (a paste drops the empty rows a copied range ends with).
    rows = [[f"CP-{n}{row[0]}"] + row[1:] for n, row in enumerate(rows)]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    from_file = read_table("sample.csv", buffer.getvalue().encode())
    pasted, _ = read_pasted(_clipboard([list(header)] + rows))
    assert pasted == from_file


def test_a_quoted_cell_holding_a_tab_or_a_line_break_is_one_cell():
    row = ["CP-1", "5 to 9", "Child protection", "Safeguarding East", "", "no", "Girl", "a\tb\nc"]
    text = "\t".join(row[:-1]) + '\t"a\tb\nc"\r\n'
    [read], _ = read_pasted(text)
    assert read["judgements"] == "a\tb\nc"


def test_no_paste_fails_at_the_preview_or_the_commit(client, tally):
    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER)
    with acting_for(council.id):
        indicators.ensure_default_indicators()
    make_audit(council)  # the council's one team, Safeguarding East
    review = make_review(council, leader, title="Mock inspection, fuzz")
    review.kind = ReviewKind.MOCK_INSPECTION
    db.session.commit()
    preview = f"/mock-inspections/{review.id}/sample/import"
    good = ["", "5 to 9", "Child protection", "Safeguarding East", "WBRI", "no", "Girl", ""]

    @fuzz_settings(examples=3 * EXAMPLES)
    @given(st.lists(st.lists(st.one_of(st.sampled_from(good), TEXT), max_size=9), max_size=4), st.booleans())
    def paste_it(rows, with_header):
        sign_in_as(client, leader)
        rows = [[f"CP-{400000 + n}"] + row[1:] if row else row for n, row in enumerate(rows)]
        text = _clipboard(([COLUMNS] if with_header else []) + rows)
        before = table_counts()
        response = client.post(preview, data={"pasted": text})
        tally["pastes"] += 1
        assert response.status_code < 500, repr(text[:300])
        if refused(response) or f'action="{preview}/confirm"'.encode() not in response.data:
            assert table_counts() == before, "refused at the preview, but rows were kept"
            return
        confirmed = client.post(preview + "/confirm")
        assert confirmed.status_code < 500, f"the preview passed, the commit failed: {text[:300]!r}"

    paste_it()
