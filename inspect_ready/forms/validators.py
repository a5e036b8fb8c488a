"""The validators every form uses, in place of WTForms' own: given no message, each says what
is wrong in words that name its field ("Title must be 200 characters or fewer"), never
WTForms' defaults ("Field cannot be longer than 200 characters."), which name nothing.

A message given to a validator is used as it is. `tests/integration/test_form_messages.py`
walks every form and checks that no WTForms default message can reach a page.
"""

from __future__ import annotations

from wtforms import validators
from wtforms.fields import SelectFieldBase

# Optional has no message of its own: it only stops the other checks on an empty field.
Optional = validators.Optional


def _label(field) -> str:
    return field.label.text


def _named(field) -> str:
    """The field's label inside a sentence: "the case reference", keeping a capital that
    begins a name (an acronym, "CSV") as it is."""
    label = _label(field)
    if not (len(label) > 1 and label[1].isupper()):
        label = f"{label[:1].lower()}{label[1:]}"
    return label if label.startswith(("the ", "your ")) else f"the {label}"


def _required_message(field) -> str:
    return f"Choose {_named(field)}" if isinstance(field, SelectFieldBase) else f"Enter {_named(field)}"


class DataRequired(validators.DataRequired):
    def __call__(self, form, field):
        validators.DataRequired(self.message or _required_message(field))(form, field)


class InputRequired(validators.InputRequired):
    def __call__(self, form, field):
        validators.InputRequired(self.message or _required_message(field))(form, field)


class Length(validators.Length):
    def __call__(self, form, field):
        validators.Length(self.min, self.max, self.message or self._message(field))(form, field)

    def _message(self, field) -> str:
        if self.min > 0 and self.max != -1:
            return f"{_label(field)} must be between {self.min} and {self.max} characters"
        if self.max != -1:
            return f"{_label(field)} must be {self.max} characters or fewer"
        return f"{_label(field)} must be {self.min} characters or more"


class NumberRange(validators.NumberRange):
    def __call__(self, form, field):
        validators.NumberRange(self.min, self.max, self.message or self._message(field))(form, field)

    def _message(self, field) -> str:
        if self.min is not None and self.max is not None:
            return f"{_label(field)} must be from {self.min} to {self.max}"
        if self.min is not None:
            return f"{_label(field)} must be {self.min} or more"
        return f"{_label(field)} must be {self.max} or less"


class Email(validators.Email):
    def __call__(self, form, field):
        message = self.message or f"Enter {_named(field)} in the correct format, like name@council.gov.uk"
        validators.Email(message)(form, field)


class EqualTo(validators.EqualTo):
    def __call__(self, form, field):
        other = form[self.fieldname]
        message = self.message or f"{_label(field)} must be the same as {_named(other)}"
        validators.EqualTo(self.fieldname, message)(form, field)


def name_choice_messages(form) -> None:
    """A choice field's own refusals (a value not offered, one that is not a number) name the
    field, in place of WTForms' "Not a valid choice." Run by every form as it is made
    (`fields.Form`); a message a field was given is kept."""
    for field in form:
        if not isinstance(field, SelectFieldBase):
            continue
        # WTForms formats the multiple-choice message with the refused values (%(value)s).
        message = f"Choose {_named(field)} from the options shown".replace("%", "%%")
        if getattr(field, "invalid_choice_message", None) is None:
            field.invalid_choice_message = message
        if getattr(field, "invalid_value_message", None) is None:
            field.invalid_value_message = message
