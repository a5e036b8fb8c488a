"""The action plan: named actions, most often made from a gap, tracked to done.

An improvement board reads it by area, owner and status, overdue first. Marking an
action done asks for the evidence that shows it worked, as boards ask. A performance
clinic's corrective action is an action of the plan too, answering an off-target month
of an indicator (`create_corrective`), and is shown on the indicator's page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import case, func, select
from sqlalchemy.orm import joinedload, selectinload

from councils.audit_log import record, snapshot
from councils.db import db
from councils.errors import InputError, raise_all
from councils.models import User
from councils.tenancy import find
from councils.versions import saving
from evidence.action_plan.models import Action, ActionNote, ActionStatus
from evidence.performance.models import Indicator, IndicatorValue, Rag
from judgement_framework import Framework, Gap


class ActionError(InputError):
    """Bad input to the action plan."""


FIELDS = [
    "what",
    "owner_id",
    "due_date",
    "success_measure",
    "status",
    "area_id",
    "gap_id",
    "indicator_value_id",
    "completion_evidence",
]


def check(
    *,
    what: str,
    owner_id: int | None,
    due_date: dt.date | None,
    success_measure: str,
    today: dt.date,
    new: bool,
    problems: list[InputError] | None = None,
) -> User:
    """Everything wrong with an action, all at once (with `problems` its caller found),
    before anything is written."""
    problems = list(problems or [])
    if not what.strip():
        problems.append(ActionError("Enter what will be done", "what"))
    owner = find(User, owner_id) if owner_id else None
    if owner is None or not owner.active:
        problems.append(ActionError("Choose who owns the action", "owner_id"))
    if due_date is None:
        problems.append(ActionError("Enter the date the action is due", "due_date"))
    elif new and due_date < today:
        problems.append(ActionError("The due date must be today or in the future", "due_date"))
    if not success_measure.strip():
        problems.append(ActionError("Enter how you will know it has worked", "success_measure"))
    raise_all(problems)
    return owner


def create(
    framework: Framework,
    *,
    what: str,
    owner_id: int | None,
    due_date: dt.date | None,
    success_measure: str,
    area_id: str,
    gap: Gap | None,
    today: dt.date,
    review_id: int | None = None,
    indicator_value_id: int | None = None,
) -> Action:
    wrong_area = (
        []
        if area_id in framework.area_by_id
        else [ActionError(f"Choose a judgement area of {framework.title}", "area_id")]
    )
    check(
        what=what,
        owner_id=owner_id,
        due_date=due_date,
        success_measure=success_measure,
        today=today,
        new=True,
        problems=wrong_area,
    )
    action = Action(
        what=what.strip(),
        owner_id=owner_id,
        due_date=due_date,
        success_measure=success_measure.strip(),
        area_id=area_id,
        status=ActionStatus.NOT_STARTED,
        evidence_ids=list(gap.evidence_ids) if gap else [],
        review_id=review_id if gap else None,
        gap_id=gap.id if gap else None,
        gap_kind=gap.kind if gap else None,
        gap_sentence=gap.sentence if gap else None,
        criterion_id=gap.criterion_id if gap else None,
        indicator_value_id=indicator_value_id,
    )
    db.session.add(action)
    db.session.flush()
    record("action.created", "action", action.id, after=snapshot(action, FIELDS))
    return action


def create_corrective(
    framework: Framework,
    value: IndicatorValue,
    *,
    what: str,
    owner_id: int | None,
    due_date: dt.date | None,
    success_measure: str,
    today: dt.date,
) -> Action:
    """A performance clinic's corrective action for an off-target month: an action of the plan,
    filed under the indicator's judgement area in the council's framework."""
    if value.indicator.rag(value.value) in (None, Rag.GREEN):
        raise ActionError("Corrective actions are for months that are off target", "what")
    return create(
        framework,
        what=what,
        owner_id=owner_id,
        due_date=due_date,
        success_measure=success_measure,
        area_id=corrective_area(framework, value.indicator),
        gap=None,
        today=today,
        indicator_value_id=value.id,
    )


def corrective_area(framework: Framework, indicator: Indicator) -> str:
    """The first of the indicator's areas that the framework has (an indicator names its area in
    every framework); else the framework's first area, leadership in ILACS."""
    return next((area for area in indicator.areas if area in framework.area_by_id), framework.areas[0].id)


def corrective_success_measure(indicator: Indicator) -> str:
    """What the form suggests a corrective action is measured by."""
    return f"{indicator.name}: back on target ({indicator.show(indicator.target)} or better)"


def update(
    action: Action,
    *,
    what: str,
    owner_id: int | None,
    due_date: dt.date | None,
    success_measure: str,
    status: ActionStatus,
    completion_evidence: str,
    today: dt.date,
    version: int,
) -> None:
    """Change the action, if the person's form was based on the version now saved."""
    # The area stays as made (it may belong to a mock inspection's framework, not the council's).
    check(
        what=what,
        owner_id=owner_id,
        due_date=due_date,
        success_measure=success_measure,
        today=today,
        new=due_date != action.due_date,
        problems=[ActionError("Say what evidence shows the action is done", "completion_evidence")]
        if status is ActionStatus.DONE and not completion_evidence.strip()
        else [],
    )
    with saving(action, "action", version):
        before = snapshot(action, FIELDS)
        action.what, action.owner_id, action.due_date = what.strip(), owner_id, due_date
        action.success_measure = success_measure.strip()
        if status is ActionStatus.DONE and action.status is not ActionStatus.DONE:
            action.completed_on = today
        elif status is not ActionStatus.DONE:
            action.completed_on = None
        action.status = status
        action.completion_evidence = completion_evidence.strip() or None
    record("action.updated", "action", action.id, before=before, after=snapshot(action, FIELDS))


def add_note(action: Action, author: User, text: str) -> ActionNote:
    if not text.strip():
        raise ActionError("Enter the progress note", "text")
    note = ActionNote(action_id=action.id, author_id=author.id, text=text.strip())
    db.session.add(note)
    db.session.flush()
    record("action.note_added", "action", action.id, after={"note": note.text})
    return note


def plan(
    *,
    today: dt.date,
    owner_id: int | None = None,
    status: ActionStatus | None = None,
    area_id: str | None = None,
    corrective: bool = False,
    indicator_id: int | None = None,
) -> list[Action]:
    """The plan as the board reads it: overdue first, then by due date. `corrective` keeps the
    corrective actions alone; `indicator_id` those answering one indicator's months."""
    overdue_first = case(((Action.status != ActionStatus.DONE) & (Action.due_date < today), 0), else_=1)
    query = (
        select(Action)
        .options(
            joinedload(Action.owner),
            selectinload(Action.notes),
            joinedload(Action.indicator_value).joinedload(IndicatorValue.indicator),
        )
        .order_by(overdue_first, Action.due_date, Action.id)
    )
    if owner_id:
        query = query.where(Action.owner_id == owner_id)
    if status:
        query = query.where(Action.status == status)
    if area_id:
        query = query.where(Action.area_id == area_id)
    if corrective:
        query = query.where(Action.indicator_value_id.is_not(None))
    if indicator_id:
        query = query.where(
            Action.indicator_value_id.in_(select(IndicatorValue.id).where(IndicatorValue.indicator_id == indicator_id))
        )
    return list(db.session.scalars(query).unique())


def overdue(today: dt.date, shown: int) -> tuple[list[Action], int]:
    """The first `shown` overdue actions, longest overdue first, and how many are overdue:
    two small queries, however long the plan (home lists a few and links to the rest)."""
    late = (Action.status != ActionStatus.DONE) & (Action.due_date < today)
    first = db.session.scalars(
        select(Action).where(late).options(joinedload(Action.owner)).order_by(Action.due_date, Action.id).limit(shown)
    )
    return list(first), db.session.scalar(select(func.count(Action.id)).where(late)) or 0


def corrective_actions(indicator: Indicator) -> dict[int, list[Action]]:
    """The indicator's corrective actions by the id of the month they answer, oldest first."""
    query = (
        select(Action)
        .join(Action.indicator_value)
        .where(IndicatorValue.indicator_id == indicator.id)
        .options(joinedload(Action.owner))
        .order_by(Action.id)
    )
    found: dict[int, list[Action]] = {}
    for action in db.session.scalars(query):
        found.setdefault(action.indicator_value_id, []).append(action)
    return found


def gaps_with_an_action() -> frozenset[str]:
    """Every gap id an action of the plan was made from (one query over the plan, not the gaps)."""
    return frozenset(db.session.scalars(select(Action.gap_id).where(Action.gap_id.is_not(None)).distinct()))


# Up to this many gap ids are matched in SQL, one parameter each (a page's gaps); more are
# matched against the plan's gap actions read once, so no statement grows with the gaps
# (SQLite refuses a statement of more than 250,000 or so parameters).
GAP_IDS_IN_SQL = 200


def actions_for_gaps(gap_ids: Collection[str]) -> dict[str, list[Action]]:
    """The plan's actions made from each of these gaps, by gap id, oldest first: one query
    whatever the number of gaps."""
    wanted = set(gap_ids)
    if not wanted:
        return {}
    query = select(Action).order_by(Action.id)
    if len(wanted) <= GAP_IDS_IN_SQL:
        query = query.where(Action.gap_id.in_(wanted))
    else:
        query = query.where(Action.gap_id.is_not(None))
    found: dict[str, list[Action]] = {}
    for action in db.session.scalars(query):
        if action.gap_id in wanted:
            found.setdefault(action.gap_id, []).append(action)
    return found
