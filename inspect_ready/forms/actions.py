"""Forms of the action plan: an action (made from a gap or not), its change, a progress note."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextArea
from wtforms import RadioField, SelectField, SubmitField, TextAreaField

from councils.ids import record_id
from evidence.action_plan.models import ActionStatus
from inspect_ready.forms import date_ranges
from inspect_ready.forms.fields import Form, date_input, enum_choices, once_field, version_field
from inspect_ready.forms.validators import Length


class ActionForm(Form):
    what = TextAreaField("What will be done", widget=GovTextArea(), validators=[Length(max=500)])
    # The service checks the owner (one of this council's active people), so the message is one.
    owner_id = SelectField("Owner", widget=GovSelect(), coerce=record_id, validate_choice=False)
    due_date = date_input("Due date", within=date_ranges.DUE, required=False)  # the action plan says what is missing
    success_measure = TextAreaField(
        "How you will know it has worked",
        widget=GovTextArea(),
        validators=[Length(max=500)],
        description="A measure the improvement board can check, such as an audit grade or an indicator value.",
    )
    area_id = SelectField("Judgement area", widget=GovSelect())
    once = once_field()
    submit = SubmitField("Save action", widget=GovSubmitInput())


class EditActionForm(ActionForm):
    once = None  # a change makes nothing new: the version guards it (councils/versions.py)
    status = RadioField("Status", widget=GovRadioInput(), choices=enum_choices(ActionStatus))
    completion_evidence = TextAreaField(
        "Evidence that it is done",
        widget=GovTextArea(),
        validators=[Length(max=2000)],
        description="Needed when the status is done: name the audit, data or evidence item that shows it.",
    )
    version = version_field()


def action_data(action) -> dict:
    """The saved action as the edit form holds it."""
    return {
        "what": action.what,
        "owner_id": action.owner_id,
        "due_date": action.due_date,
        "success_measure": action.success_measure,
        "status": action.status.value,
        "completion_evidence": action.completion_evidence or "",
        "version": str(action.version),
    }


class NoteForm(Form):
    text = TextAreaField("Progress note", widget=GovTextArea(), validators=[Length(max=2000)])
    once = once_field()
    submit = SubmitField("Add note", widget=GovSubmitInput())
