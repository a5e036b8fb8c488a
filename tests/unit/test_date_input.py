"""The one date input: day, month and year boxes, whatever is typed into them."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import Form

from inspect_ready.forms import date_ranges
from inspect_ready.forms.fields import date_input


class DateForm(Form):
    when = date_input("Date of the audit", within=date_ranges.PAST_RECORD)
    maybe = date_input("Review-by date", within=date_ranges.REVIEW_BY, required=False)


def _form(when=None, maybe=None) -> DateForm:
    data = MultiDict()
    for name, parts in (("when", when), ("maybe", maybe)):
        for part in parts or []:
            data.add(name, part)
    return DateForm(formdata=data)


def test_a_real_date_is_read_day_first():
    form = _form(["3", "4", "2026"])
    assert form.validate()  # the optional one left out
    assert form.when.data == dt.date(2026, 4, 3) and not form.when.errors


def test_nothing_typed_asks_for_the_date_and_an_optional_one_is_none():
    form = _form(["", "", ""], ["", "", ""])
    form.validate()
    assert form.when.errors == ["Enter the date of the audit"]
    assert form.maybe.data is None and not form.maybe.errors


def test_a_part_left_out_keeps_its_own_message():
    form = _form(["31", "3", ""], ["31", "", "2026"])
    form.validate()
    assert form.when.errors == ["Date of the audit must include a day, month and year"]
    assert form.maybe.errors == ["Review-by date must include a day, month and year"]


def test_an_impossible_date_is_refused():
    form = _form(["30", "2", "2026"])
    form.validate()
    assert form.when.errors == ["Date of the audit must be a real date, like 31 3 2027"]


@given(st.lists(st.text(max_size=25), max_size=5), st.lists(st.text(max_size=25), max_size=5))
def test_any_input_is_a_date_or_a_message_and_can_be_shown_again(when, maybe):
    form = _form(when, maybe)
    form.validate()
    for field in (form.when, form.maybe):
        assert field.data is None or isinstance(field.data, dt.date)
        assert field.data is not None or field.errors or field is form.maybe
        assert len(field.raw_data) == 3  # the GOV.UK widget shows three boxes again


def test_a_year_too_long_for_a_date_is_a_message_not_a_server_error():
    for year in ["99999999999999999999", "10000", "٢٠٢٦"]:
        form = _form(["1", "1", year])
        form.validate()
        assert form.when.errors == ["Date of the audit must be a real date, like 31 3 2027"], year


@given(st.lists(st.one_of(st.text(max_size=25), st.integers().map(str)), max_size=5))
def test_any_numbers_typed_give_a_date_or_a_message(when):
    form = _form(when)
    form.validate()
    assert isinstance(form.when.data, dt.date) or form.when.errors


def test_a_real_date_outside_its_range_is_refused_naming_the_range():
    five_years = date_ranges.REVIEW_BY.latest(dt.date.today())
    form = _form(["14", "10", "1066"], ["31", "12", "9999"])
    form.validate()
    assert form.when.errors == [f"Date of the audit must be between 1 January 2010 and {dt.date.today():%-d %B %Y}"]
    assert form.maybe.errors == [f"Review-by date must be between 1 January 2010 and {five_years:%-d %B %Y}"]
    form = _form([str(part) for part in (dt.date.today() + dt.timedelta(days=1)).timetuple()[2::-1]])
    form.validate()
    assert form.when.errors == ["Date of the audit must be today or in the past"]


def test_every_range_says_why_and_holds_today():
    today = dt.date.today()
    ranges = [value for value in vars(date_ranges).values() if isinstance(value, date_ranges.DateRange)]
    assert len(ranges) >= 6
    for each in ranges:
        assert each.reason and each.earliest(today) <= today <= each.latest(today)
