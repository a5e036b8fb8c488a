"""Form pieces shared by several journeys: fields with messages in the GOV.UK style, choices
from a framework, and showing a service function's error on its field."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField, DecimalField, HiddenField, IntegerField, SelectChoice
from wtforms.validators import StopValidation, ValidationError

from councils.ids import record_id
from councils.models import ServiceArea
from councils.storable import MAX_INTEGER
from inspect_ready.forms.date_ranges import DateRange
from inspect_ready.forms.validators import name_choice_messages
from judgement_framework import Framework


class Form(FlaskForm):
    """The base of every form: a choice field's refusals name the field
    (forms/validators.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_choice_messages(self)


# What an integer column holds (PostgreSQL INTEGER): a larger count is refused on the field,
# not by the database at commit.
MAX_WHOLE_NUMBER = MAX_INTEGER
# Far past any figure the service keeps, and well inside a float.
MAX_NUMBER = Decimal(10) ** 15


class WholeNumberField(IntegerField):
    """An integer field that says what to type, rather than 'Not a valid integer value.'"""

    def __init__(
        self,
        *args,
        not_a_number: str = "Enter a whole number, like 12",
        too_large: str = "Enter a smaller number",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.not_a_number = not_a_number
        self.too_large = too_large

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] in (None, ""):
            self.data = None
            return
        text = valuelist[0].strip().replace(",", "")
        try:
            # ASCII digits only: int() also reads "٣" and "1_000".
            if not text.lstrip("-").isascii() or not text.lstrip("-").isdigit():
                raise ValueError(text)
            self.data = int(text)
        except ValueError:
            self.data = None
            raise ValueError(self.not_a_number) from None
        if abs(self.data) > MAX_WHOLE_NUMBER:
            self.data = None
            raise ValueError(self.too_large)


class NumberField(DecimalField):
    """A number that may have decimals. Only a finite number counts: Decimal also reads "NaN",
    "sNaN" and "Infinity", which no figure can be (and "sNaN" fails every comparison)."""

    def __init__(self, *args, not_a_number: str = "Enter a number, like 12.5", **kwargs):
        super().__init__(*args, **kwargs)
        self.not_a_number = not_a_number

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] in (None, ""):
            self.data = None
            return
        try:
            number = Decimal(valuelist[0].strip().replace(",", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or abs(number) > MAX_NUMBER:
            self.data = None
            raise ValueError(self.not_a_number)
        self.data = number


class DayMonthYearField(DateField):
    """A date typed as day, month and year (GOV.UK date input), with plain messages."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", "%d %m %Y")
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        # Always three parts, whatever was posted (a part left out, or one too many), so the
        # date input can show the form again with what the person typed.
        self.raw_data = (list(valuelist) + ["", "", ""])[:3]
        parts = [part.strip() for part in valuelist if part is not None]
        if not any(parts):
            self.data = None
            return
        if len(parts) != 3 or not all(parts):
            self.data = None
            raise ValueError(f"{self.label.text} must include a day, month and year")
        try:
            self.data = dt.date(*(_date_part(part) for part in reversed(parts)))
        except (ValueError, OverflowError):  # OverflowError: a year of 20 digits
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date, like 31 3 2027") from None


def _date_part(text: str) -> int:
    """A day, month or year as typed: ASCII digits only, since int() would also read "٣"
    and a year of any length, which the date cannot hold."""
    if not text.isascii() or not text.isdigit() or len(text) > 4:
        raise ValueError(text)
    return int(text)


class DateRequired:
    """A date must be given: says so only when nothing was typed, so a part-typed date keeps
    its own message (WTForms' DataRequired and Optional would clear it)."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data is None and not field.errors:
            raise StopValidation(self.message)


class DateWithin:
    """A real date that is still implausible for what it is (1066, 9999) is refused, naming
    the range (forms/date_ranges.py)."""

    def __init__(self, within: DateRange):
        self.within = within

    def __call__(self, form, field) -> None:
        if field.data is not None and not field.errors:
            problem = self.within.problem(field.label.text, field.data)
            if problem:
                raise ValidationError(problem)


DATE_EXAMPLE = "For example, 31 3 2027"


def date_input(
    label: str, *, within: DateRange, required: bool = True, description: str = DATE_EXAMPLE
) -> DayMonthYearField:
    """The one way to ask for a date: GOV.UK's day, month and year boxes, with the range of
    dates that are plausible for what it is."""
    validators = [DateRequired(f"Enter the {label.lower()}")] if required else []
    validators.append(DateWithin(within))
    return DayMonthYearField(label, widget=GovDateInput(), description=description, validators=validators)


def grade_choices(framework: Framework, blank: str | None = None) -> list[SelectChoice]:
    choices = [SelectChoice("", blank)] if blank is not None else []
    return choices + [SelectChoice(g.id, g.label) for g in framework.grades]


def area_choices(framework: Framework, *, criteria: bool) -> list[SelectChoice]:
    choices = []
    for area in framework.areas:
        if area.kind == "overall":
            continue
        choices.append(SelectChoice(area.id, area.title))
        if criteria:
            choices.extend(SelectChoice(f"{area.id}:{c.id}", f"{area.title}: {c.prompt}") for c in area.criteria)
    return choices


def service_area_choices(blank: str) -> list[SelectChoice]:
    return [SelectChoice("", blank)] + [SelectChoice(a.value, a.label) for a in ServiceArea]


def people_choices(people, blank: str | None = None, *, with_role: bool = False) -> list[SelectChoice]:
    """People as choices by name (and role, where the choice turns on it)."""
    choices = [SelectChoice("", blank)] if blank is not None else []
    return choices + [
        SelectChoice(str(p.id), f"{p.name} ({p.role.label.lower()})" if with_role else p.name) for p in people
    ]


def enum_choices(enum_class) -> list[SelectChoice]:
    return [SelectChoice(member.value, member.label) for member in enum_class]


def version_field() -> HiddenField:
    """The version of the record the page showed (councils/versions.py): a save based on an
    older one is refused and shown beside the saved one."""
    return HiddenField()


def once_field() -> HiddenField:
    """A create form's one-time token, new with each page (councils/submissions.py): the form
    sent again is shown what it made rather than making it twice."""
    return HiddenField(default=lambda: secrets.token_urlsafe(24))


def version_of(form) -> int:
    """The version of the record the form was based on (its hidden `version` field). A value
    that is no version (a damaged or hand-made post) matches no saved version, so the save is
    refused as stale and the person sees what is saved."""
    version = record_id(form.version.data or "")
    return -1 if version is None else version
