"""Every form class of the app, sent bad data of every kind its fields take: each message names
its field (its label is in the message) or is a message written for that field, and no
WTForms default message ("Field cannot be longer than 200 characters.", "Not a valid
choice.") appears anywhere. Every form reports all its fields' problems at once."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
import wtforms
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    FileField,
    HiddenField,
    SelectFieldBase,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.csrf.core import CSRFTokenField

import inspect_ready.forms
from inspect_ready.forms import validators as our_validators
from inspect_ready.forms.fields import DayMonthYearField, Form, NumberField, WholeNumberField


def _wtforms_defaults() -> re.Pattern:
    """Every message WTForms itself can give, read from its source, as one pattern."""
    texts = set()
    for path in Path(wtforms.__file__).parent.rglob("*.py"):
        source = path.read_text()
        texts.update(re.findall(r'gettext\(\s*"([^"]+)"', source))
        texts.update(re.findall(r'ngettext\(\s*"[^"]+",\s*"([^"]+)"', source))
    assert "Not a valid choice." in texts and "Field cannot be longer than %(max)d characters." in texts
    parts = [re.sub(r"%\\\([a-z_]+\\\)[sd]|%s", ".*", re.escape(text)) for text in texts]
    return re.compile("|".join(f"(?:{part})" for part in parts))


DEFAULTS = _wtforms_defaults()


def _form_classes(app) -> list[type[FlaskForm]]:
    classes = []
    for module_info in pkgutil.iter_modules(inspect_ready.forms.__path__):
        module = importlib.import_module(f"inspect_ready.forms.{module_info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, FlaskForm) and cls.__module__ == module.__name__ and cls is not Form:
                classes.append(cls)
    from evidence.case_audits.audit_templates import default_template
    from inspect_ready.forms.performance import heading_mapping_form
    from inspect_ready.views.case_audits import audit_form_class
    from judgement_framework import load_framework

    classes.append(audit_form_class(default_template(), load_framework("ilacs-2023")))
    with app.test_request_context():
        unplaced = [{"list": 1, "list_title": "List 1", "column_letter": "C", "heading": "Age"}]
        classes.append(type(heading_mapping_form(unplaced, {1: ["Age at referral"]})))
    return classes


def _made(cls):
    if cls.__name__ == "AuditLogFilters":
        return cls([])
    return cls()


def _with_choices(form) -> None:
    """As the views do: a choice field with no choices yet is given some."""
    for field in form:
        if isinstance(field, SelectFieldBase) and not field.choices:
            field.choices = [("offered", "Offered")]


def _bad(field, how: str):
    """A wrong value for the field, of the kind `how` names, or None to leave it out."""
    if isinstance(field, HiddenField | SubmitField | CSRFTokenField | FileField | BooleanField):
        return None
    if isinstance(field, DayMonthYearField):
        return {"past": ["1", "1", "1066"], "future": ["31", "12", "9999"], "unreal": ["31", "2", "2027"]}.get(
            how, ["", "2", "2027"]
        )
    if isinstance(field, WholeNumberField | NumberField):
        return {"past": "abc", "future": "99999999999999999999", "unreal": "NaN"}.get(how, "1.5.5")
    if isinstance(field, SelectMultipleField):
        return ["not-offered"]
    if isinstance(field, SelectFieldBase):
        return "not-offered"
    if isinstance(field, StringField | TextAreaField):
        return {"past": "x" * 6000, "future": "not an email", "unreal": " "}.get(how, "")
    return None


def _written_for(field) -> set[str]:
    """The messages written for this field: its validators' and its own."""
    written = {getattr(v, "message", None) for v in field.validators}
    written |= {getattr(field, name, None) for name in ("not_a_number", "too_large")}
    return {message for message in written if isinstance(message, str)}


def _names_its_field(message: str, field) -> bool:
    return field.label.text.lower() in message.lower() or message in _written_for(field)


def test_every_form_is_an_app_form_and_every_validator_names_its_field(app):
    """A stock WTForms validator with no message of its own would give WTForms' default."""
    stock = []
    for cls in _form_classes(app):
        assert issubclass(cls, Form), f"{cls.__name__} is not built on inspect_ready.forms.fields.Form"
        for name, unbound in vars(cls).items():
            for validator in getattr(unbound, "kwargs", {}).get("validators") or []:
                ours = type(validator).__module__ in (our_validators.__name__, "inspect_ready.forms.fields")
                if not ours and getattr(validator, "message", "") is None:
                    stock.append(f"{cls.__name__}.{name}: {type(validator).__name__}")
    assert stock == []


@pytest.mark.parametrize("how", ["past", "future", "unreal", "part"])
def test_every_message_of_every_form_names_its_field(app, how):
    seen = 0
    for cls in _form_classes(app):
        with app.test_request_context(method="POST"):
            blank = _made(cls)
            data = MultiDict()
            for field in blank:
                value = _bad(field, how)
                if isinstance(value, list):
                    for part in value:
                        data.add(field.name, part)
                elif value is not None:
                    data.add(field.name, value)
        with app.test_request_context(method="POST", data=data):
            form = _made(cls)
            _with_choices(form)
            form.validate()
            for field in form:
                for message in field.errors:
                    seen += 1
                    where = f"{cls.__name__}.{field.name}: {message!r}"
                    assert not DEFAULTS.fullmatch(message), f"a WTForms default message: {where}"
                    assert _names_its_field(message, field), f"names no field: {where}"
    assert seen > 60, "the bad data found the fields' checks"


def test_every_check_of_a_form_is_reported_at_once(app):
    """A form with several wrong fields says so for each, not for the first only."""
    from inspect_ready.forms.reviews import ReviewForm

    with app.test_request_context(
        method="POST",
        data=MultiDict(
            [("title", "x" * 201), ("kind", "emperor"), ("starts_on", "1"), ("starts_on", "1")]
            + [("starts_on", "1066"), ("ends_on", "31"), ("ends_on", "2"), ("ends_on", "2027")]
        ),
    ):
        form = ReviewForm()
        assert not form.validate()
        assert {name: errors[0] for name, errors in form.errors.items() if name != "lead_id"} == {
            "title": "Title must be 200 characters or fewer",
            "kind": "Choose the kind of review from the options shown",
            "starts_on": form.starts_on.errors[0],
            "ends_on": "End date must be a real date, like 31 3 2027",
        }
        assert form.starts_on.errors[0].startswith("Start date must be between 1 January 2010 and ")
