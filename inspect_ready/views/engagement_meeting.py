"""The annual engagement meeting's pack: a senior leader chooses the meeting's date, reads the
pack on the page and downloads it as Word or PDF (inspect_ready/engagement_pack.py builds it
from evidence/engagement_meeting/pack.py's facts)."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, render_template, request
from flask_login import current_user

from councils import clock
from councils.models import Role
from evidence.engagement_meeting.pack import gather
from inspect_ready import engagement_pack
from inspect_ready.documents.download import document_download
from inspect_ready.forms.engagement_meeting import MeetingDateForm
from inspect_ready.permissions import allow

bp = Blueprint("engagement_meeting", __name__, url_prefix="/engagement-meeting")


@bp.route("/")
@allow(Role.SENIOR_LEADER)
def index():
    form, meeting_date = _chosen_date()
    pack = _pack(meeting_date) if meeting_date else None
    return render_template("engagement_meeting/index.html", form=form, pack=pack, meeting_date=meeting_date)


@bp.route("/pack.<any(docx, pdf):file_format>")
@allow(Role.SENIOR_LEADER)
def download(file_format: str):
    form, meeting_date = _chosen_date()
    if meeting_date is None:  # a changed link: the page says what is wrong with the date
        return render_template("engagement_meeting/index.html", form=form, pack=None, meeting_date=None)
    return document_download(_pack(meeting_date), file_format)


def _chosen_date() -> tuple[MeetingDateForm, dt.date | None]:
    """The meeting date asked for (today when none is), or None with the form's message."""
    if "meeting_date" not in request.args and "submit" not in request.args:
        form = MeetingDateForm(formdata=None)
        form.meeting_date.data = clock.today()
        return form, clock.today()
    form = MeetingDateForm(formdata=request.args)
    return form, form.meeting_date.data if form.validate() else None


def _pack(meeting_date: dt.date):
    facts = gather(current_user.council, meeting_date, clock.today())
    return engagement_pack.document(facts, made_on=clock.today())
