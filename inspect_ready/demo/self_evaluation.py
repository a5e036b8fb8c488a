"""Demo self-evaluations for Northshire: last year's, drafted from the evidence as it stood a
year ago, edited, agreed and signed off by the director; and this year's, drafted today and
in draft, with one section agreed, so a newcomer sees both and can compare them."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from councils.db import db
from councils.models import Council, Role, User
from councils.tenancy import acting_for
from evidence.library.items import framework_of
from evidence.self_evaluation import self_evaluations
from evidence.self_evaluation.drafting import WHAT_WE_KNOW

# What the leadership team added to last year's draft for leaders, in our own words.
LEADERS_ADDED = (
    "The improvement board reviewed this answer in March and agreed that supervision is the "
    "first priority for the year ahead."
)


def load(council: Council, today: date) -> None:
    with acting_for(council.id):
        director = db.session.scalars(select(User).where(User.role == Role.SENIOR_LEADER)).first()
        framework = framework_of(council)
        this_year = self_evaluations.year_of(today)
        a_year_ago = today - timedelta(days=365)
        last = self_evaluations.start(council, framework, this_year - 1, by=director, today=a_year_ago)
        db.session.flush()
        for section in last.sections:
            text = section.text
            if section.area_id == "leaders" and section.question == WHAT_WE_KNOW:
                text = f"{text}\n{LEADERS_ADDED}"
            self_evaluations.save_section(section, text, version=section.version, by=director, agreed=True)
        self_evaluations.sign_off(last, version=last.version, by=director, today=a_year_ago + timedelta(days=30))
        current = self_evaluations.start(council, framework, this_year, by=director, today=today)
        db.session.flush()
        first = current.sections[0]
        self_evaluations.save_section(first, first.text, version=first.version, by=director, agreed=True)
        db.session.flush()
