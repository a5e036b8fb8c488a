"""The audit log's filters: a GET form (a search changes nothing, so it carries no CSRF
token), with GOV.UK date inputs and the kinds of change and people in words."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import SelectField, StringField, SubmitField

from inspect_ready.audit_entries import KINDS_OF_CHANGE
from inspect_ready.forms import date_ranges
from inspect_ready.forms.fields import Form, date_input, people_choices
from inspect_ready.forms.validators import Length


class AuditLogFilters(Form):
    class Meta:
        csrf = False

    words = StringField(
        "Words",
        widget=GovTextInput(),
        description="In who did it, or in what changed: a name, an email, a word of a title.",
        validators=[Length(max=200, message="Words must be 200 characters or fewer")],
    )
    # An unknown choice (an old bookmark) narrows nothing rather than failing the page.
    kind = SelectField("Kind of change", widget=GovSelect(), default="", validate_choice=False)
    actor = SelectField("Who", widget=GovSelect(), default="", validate_choice=False)
    since = date_input("From", within=date_ranges.SEARCH, required=False)
    until = date_input("To", within=date_ranges.SEARCH, required=False)
    submit = SubmitField("Filter", widget=GovSubmitInput())

    def __init__(self, people, **kwargs):
        super().__init__(**kwargs)
        self.kind.choices = [("", "Any change")] + [(key, label) for key, (label, _) in KINDS_OF_CHANGE.items()]
        self.actor.choices = people_choices(people, "Anyone")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.since.data and self.until.data and self.since.data > self.until.data:
            self.until.errors = [*self.until.errors, "The to date must be the same as or after the from date"]
            return False
        return valid

    def filters(self) -> dict:
        """What find_events takes; nothing narrows when the form has errors."""
        prefixes = KINDS_OF_CHANGE[self.kind.data][1] if self.kind.data in KINDS_OF_CHANGE else ()
        return {
            "prefixes": prefixes,
            "actor_id": int(self.actor.data) if self.actor.data and self.actor.data.isdigit() else None,
            "words": (self.words.data or "").strip(),
            "since": self.since.data,
            "until": self.until.data,
        }
