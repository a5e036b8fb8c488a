"""Form pieces shared by several journeys: fields with messages in the GOV.UK style, choices
from a framework, and showing a service function's error on its field."""

from __future__ import annotations

import datetime as dt

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField, IntegerField, SelectChoice
from wtforms.validators import StopValidation

from councils.models import ServiceArea
from judgement_framework import Framework


class WholeNumberField(IntegerField):
    """An integer field that says what to type, rather than 'Not a valid integer value.'"""

    def __init__(self, *args, not_a_number: str = "Enter a whole number, like 12", **kwargs):
        super().__init__(*args, **kwargs)
        self.not_a_number = not_a_number

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] in (None, ""):
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip().replace(",", ""))
        except ValueError:
            self.data = None
            raise ValueError(self.not_a_number) from None


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
            self.data = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date, like 31 3 2027") from None


class DateRequired:
    """A date must be given: says so only when nothing was typed, so a part-typed date keeps
    its own message (WTForms' DataRequired and Optional would clear it)."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data is None and not field.errors:
            raise StopValidation(self.message)


DATE_EXAMPLE = "For example, 31 3 2027"


def date_input(label: str, *, required: bool = True, description: str = DATE_EXAMPLE) -> DayMonthYearField:
    """The one way to ask for a date: GOV.UK's day, month and year boxes."""
    validators = [DateRequired(f"Enter the {label.lower()}")] if required else []
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
