"""The engagement meeting pack's one question, the meeting's date: a GET form (choosing a day
changes nothing, so it carries no CSRF token), with GOV.UK's day, month and year boxes."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField

from inspect_ready.forms import date_ranges
from inspect_ready.forms.fields import Form, date_input


class MeetingDateForm(Form):
    class Meta:
        csrf = False

    meeting_date = date_input(
        "Meeting date",
        within=date_ranges.ENGAGEMENT_MEETING,
        description="For a meeting still to come, the pack shows the figures as they stand today. "
        "For example, 31 3 2027",
    )
    submit = SubmitField("Show the pack", widget=GovSubmitInput())
