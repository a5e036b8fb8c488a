"""Form pieces shared by the evidence and case audit pages."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import DateField, SelectChoice
from wtforms.validators import InputRequired, Optional

from councils.models import ServiceArea
from judgement_framework import Framework

DATE_HINT = "For example, 2026-03-31"


def date_field(label: str, *, required: bool = True, description: str = DATE_HINT) -> DateField:
    # One text box in the form YYYY-MM-DD: quick to type, and the same form the imports use.
    return DateField(
        label,
        widget=GovTextInput(),
        description=description,
        invalid_value_message=f"{label} must be a real date in the form YYYY-MM-DD",
        validators=[InputRequired(f"Enter the {label.lower()}")] if required else [Optional()],
    )


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


def enum_choices(enum_class) -> list[SelectChoice]:
    return [SelectChoice(member.value, member.label) for member in enum_class]


def show_error(form: FlaskForm, error) -> None:
    """Put a service error on the field it names (or the first field) for the error summary."""
    field = getattr(form, error.field or "", None) or next(iter(form))
    field.errors = list(field.errors) + [str(error)]


def today() -> date:
    return date.today()
