"""Forms of the self-evaluation: starting this year's, editing a section, signing it off."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea
from wtforms import SelectChoice, SelectField, SubmitField, TextAreaField

from councils.ids import record_id
from evidence.self_evaluation.models import MAX_TEXT, year_words
from inspect_ready.forms.fields import Form, once_field, version_field
from inspect_ready.forms.validators import Length


class StartForm(Form):
    # The service refuses a year that has one already, naming it; the choices bound the rest.
    year_starting = SelectField("Year", widget=GovSelect(), coerce=record_id)
    once = once_field()
    submit = SubmitField("Start and draft from the evidence", widget=GovSubmitInput())

    def fill_years(self, this_year: int) -> None:
        """Last year, this year and next, as councils count them (April to March)."""
        self.year_starting.choices = [
            SelectChoice(year, year_words(year)) for year in (this_year - 1, this_year, this_year + 1)
        ]
        if self.year_starting.data is None:
            self.year_starting.data = this_year


class SectionForm(Form):
    text = TextAreaField("Answer", widget=GovTextArea(), validators=[Length(max=MAX_TEXT)])
    version = version_field()


def section_data(section) -> dict:
    """The saved section as its form holds it."""
    return {"text": section.text, "version": str(section.version)}


class SignOffForm(Form):
    version = version_field()
    submit = SubmitField("Sign off the self-evaluation", widget=GovSubmitInput())
