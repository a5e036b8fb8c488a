"""Property tests of the date parser and the heading matcher."""

import datetime as dt
import string

from hypothesis import assume, given
from hypothesis import strategies as st

from evidence.performance.annex_a.dates import (
    EXCEL_EPOCH,
    MONTH_FIRST,
    NOT_A_DATE,
    OUTSIDE_YEARS,
    parse_date_column,
    to_date,
)
from evidence.performance.annex_a.headings import heading_key, load_lists, place_headings

DAYS = st.dates(min_value=dt.date(1980, 1, 1), max_value=dt.date(2040, 12, 31))


def written(day: dt.date, form: int):
    return [
        day,
        dt.datetime.combine(day, dt.time(13, 45)),
        (day - EXCEL_EPOCH).days,
        float((day - EXCEL_EPOCH).days) + 0.5,
        f"{day:%d/%m/%Y}",
        f"{day.day}/{day.month}/{day:%Y}",
        f"{day:%d/%m/%Y} 00:00",
        f"{day:%d/%m/%Y} 23:59:59",
        f"{day:%Y-%m-%d}",
        f"{day:%Y-%m-%d}T00:00:00",
        f"{day:%Y-%m-%d}T08:30:00Z",
        f"{day:%Y-%m-%d}T08:30:00.250+01:00",
        f"  {day:%d %B %Y} ",
        str((day - EXCEL_EPOCH).days),
    ][form]


@given(DAYS, st.integers(0, 13))
def test_every_form_a_system_writes_reads_as_the_same_day(day, form):
    assert to_date(written(day, form)) == day


@given(st.lists(st.tuples(DAYS, st.integers(0, 13)), max_size=30))
def test_a_column_of_day_first_dates_is_never_called_month_first(values):
    # Any column that includes a date with a day above 12 written day first is read day first.
    cells = [written(day, form) for day, form in values] + ["13/01/2025"]
    column = parse_date_column(cells)
    assert not column.month_first
    assert column.dates == [day for day, _ in values] + [dt.date(2025, 1, 13)]
    assert column.unusable == {}


@given(st.lists(DAYS, min_size=1, max_size=30))
def test_a_column_written_month_first_is_reported_and_none_of_it_used(days):
    assume(any(day.day > 12 for day in days))
    column = parse_date_column([f"{day.month:02d}/{day.day:02d}/{day.year}" for day in days])
    assert column.month_first
    assert column.dates == [None] * len(days)
    assert set(column.unusable.values()) == {MONTH_FIRST}


@given(st.text(max_size=40))
def test_any_text_is_a_date_blank_or_a_fixed_reason(text):
    # A fixed sentence: the cell's text (possibly personal data) is never repeated.
    column = parse_date_column([text])
    (value,) = column.dates
    if value is None and 0 in column.unusable:
        assert column.unusable[0] in (NOT_A_DATE, OUTSIDE_YEARS, MONTH_FIRST)
    else:
        assert value is None or value.year in range(1980, 2041)


@given(st.one_of(st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()))
def test_any_number_is_a_plausible_date_or_refused(number):
    day = to_date(number)
    assert day is None or 1980 <= day.year <= 2040


ALL_COLUMNS = [(spec, name) for spec in load_lists().values() for name in spec.columns]


def disguised(heading: str, draw) -> str:
    """The same heading as another system might write it: case, spaces and punctuation changed
    (a "(Y/N)" note kept as a note, in any case and spacing)."""
    if "(Y/N)" in heading:
        note = draw(st.sampled_from(["(Y/N)", "(y/n)", "( Y / N )", ""]))
        return note.join(disguised(part, draw) for part in heading.split("(Y/N)"))
    out = []
    for char in heading:
        if char.isalnum():
            out.append(char.upper() if draw(st.booleans()) else char.lower())
        elif char == " ":
            out.append(draw(st.sampled_from([" ", "  ", "_", "-", "\n", ""])))
        else:
            out.append(draw(st.sampled_from([char, "", " ", "."])))
    return draw(st.sampled_from(["", " ", "*"])) + "".join(out) + draw(st.sampled_from(["", " ", ":", "?"]))


@given(st.data())
def test_a_heading_however_written_lands_on_its_column(data):
    spec, name = data.draw(st.sampled_from(ALL_COLUMNS))
    variants = [name, *(heading for heading, _ in spec.columns[name].variants)]
    heading = disguised(data.draw(st.sampled_from(variants)), data.draw)
    assert spec.column_for(heading) == name
    placement = place_headings(spec, ["Local notes", heading])
    assert placement.columns == {name: 1}
    assert [u.heading for u in placement.unplaced] == ["Local notes"]


@given(st.text(alphabet=string.ascii_letters + string.digits + " -_/()?'", max_size=60))
def test_heading_keys_ignore_case_spacing_and_punctuation(text):
    key = heading_key(text)
    assert key == heading_key(text.upper()) == heading_key(f"  {text.replace(' ', '  ')}?")
    assert key.isalnum() or key == ""


@given(st.data())
def test_headings_are_placed_once_each_whatever_their_order(data):
    spec = data.draw(st.sampled_from(list(load_lists().values())))
    names = data.draw(st.permutations(list(spec.columns)))
    placement = place_headings(spec, names)
    assert placement.columns == {name: position for position, name in enumerate(names)}
    assert placement.unplaced == [] and placement.repeated == []
