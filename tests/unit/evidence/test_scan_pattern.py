"""The shape check's pattern, written with possessive runs for speed, finds what it found before."""

import re

from hypothesis import given
from hypothesis import strategies as st

from evidence.workbooks import _beyond_the_limits, _column_letters


def _as_before(max_rows: int, max_columns: int) -> re.Pattern:
    """The pattern as it was, with ordinary (backtracking) runs."""
    letters = _column_letters(max_columns)
    later = [f"[A-Z]{{{len(letters) + 1},}}"]
    for position, letter in enumerate(letters):
        if letter != "Z":
            rest = len(letters) - position - 1
            later.append(f"{letters[:position]}[{chr(ord(letter) + 1)}-Z]" + (f"[A-Z]{{{rest}}}" if rest else ""))
    far_column = "(?:" + "|".join(later) + r")\d"
    far_row = rf"[A-Z]{{0,3}}\d{{{len(str(max_rows)) + 1}}}"
    return re.compile(f'r="({far_column}|{far_row})'.encode())


REFERENCE = st.builds(
    lambda letters, digits, end: f' r="{letters}{digits}{end}',
    st.text(alphabet="ABEFYZ", max_size=4),
    st.text(alphabet="0123456789", max_size=9),
    st.sampled_from(['"', "", ' s="1"', "x"]),
)


@given(st.lists(REFERENCE, max_size=8), st.integers(1, 2_000_000), st.integers(1, 20_000))
def test_the_pattern_finds_the_same_references_as_before(references, max_rows, max_columns):
    text = "".join(references).encode()
    now, before = _beyond_the_limits(max_rows, max_columns), _as_before(max_rows, max_columns)
    assert [m.span(1) for m in now.finditer(text)] == [m.span(1) for m in before.finditer(text)]
