"""The audit log as an administrator reads it: what was done in words, who by name, the
record by name with a link, the changed fields before and after; filters in words; CSV."""

import csv
import datetime as dt
import io

from sqlalchemy import select

from councils.db import db
from councils.models import Council, Role
from evidence.action_plan.models import Action
from tests.support.client_request import url
from tests.support.factories import make_council, make_evidence, make_user
from tests.support.pages import error_summary, page_text, text

NEXT_MONTH = dt.date.today() + dt.timedelta(days=30)


def _day_args(name: str, day: dt.date) -> dict:
    return {name: [str(day.day), str(day.month), str(day.year)]}


def _changed_action(client_request):
    """A leader makes an action and starts it; then their administrator reads the log."""
    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER, name="Gareth Hughes")
    admin = make_user(council, Role.ADMINISTRATOR, name="Ada Admin")
    db.session.commit()
    client_request.sign_in(leader)
    data = {
        "what": "Re-audit strategy discussions",
        "owner_id": str(leader.id),
        "success_measure": "80% of audits good or better",
        "area_id": "help_protection",
        **_day_args("due_date", NEXT_MONTH),
    }
    client_request.post("actions.new", _data=data)
    action = db.session.scalars(select(Action)).one()
    del data["area_id"]
    edit = {**data, "status": "in_progress", "version": str(action.version)}
    client_request.post("actions.edit", action_id=action.id, _data=edit)
    client_request.sign_in(admin)
    return action


def _entries(page):
    return [
        {
            "what": text(card.select_one(".govuk-summary-card__title")),
            **{
                text(row.select_one("dt")): row.select_one("dd")
                for row in card.select(".govuk-summary-list__row")
            },
        }
        for card in page.select(".app-audit-entry")
    ]


def test_an_entry_reads_as_words_with_the_record_by_name(client_request):
    _changed_action(client_request)
    page = client_request.get("admin.audit_log")
    changed = next(entry for entry in _entries(page) if entry["what"] == "Action changed")
    assert text(changed["Who"]) == "Gareth Hughes"
    # Named, but not linked: the action plan is for leaders, not administrators.
    assert text(changed["Record"]) == "Action: Re-audit strategy discussions"
    assert changed["Record"].select_one("a") is None
    assert [text(li) for li in changed["What changed"].select("li")] == ["Status: not started → changed to in progress"]
    made = next(entry for entry in _entries(page) if entry["what"] == "Action added")
    changes = [text(li) for li in made["What changed"].select("li")]
    assert "What will be done: Re-audit strategy discussions" in changes
    assert f"Due date: {NEXT_MONTH.day} {NEXT_MONTH:%B %Y}" in changes
    everything = page_text(page)
    for code in ("action.updated", "in_progress", '{"', "action 1"):
        assert code not in everything


def test_a_record_the_reader_may_open_is_linked(client_request):
    action = _changed_action(client_request)
    item = make_evidence(db.session.get(Council, action.council_id), title="Front door audit, March")
    db.session.commit()
    added = next(e for e in _entries(client_request.get("admin.audit_log")) if e["what"] == "Evidence added")
    link = added["Record"].select_one("a")
    assert text(link) == "Evidence: Front door audit, March"
    assert link["href"] == url("library.detail", item_id=item.id)
    client_request.get("library.detail", item_id=item.id)  # and the link opens


def test_the_log_filters_by_kind_person_and_words(client_request):
    _changed_action(client_request)
    by_kind = [entry["what"] for entry in _entries(client_request.get("admin.audit_log", kind="actions"))]
    assert sorted(by_kind) == ["Action added", "Action changed"]
    accounts = [entry["what"] for entry in _entries(client_request.get("admin.audit_log", kind="accounts"))]
    assert "Person added" in accounts and "Action added" not in accounts
    leader = db.session.scalars(select(Action)).one().owner
    by_person = {entry["what"] for entry in _entries(client_request.get("admin.audit_log", actor=str(leader.id)))}
    assert by_person == {"Action added", "Action changed"}
    by_words = [entry["what"] for entry in _entries(client_request.get("admin.audit_log", words="strategy RE-AUDIT"))]
    assert sorted(by_words) == ["Action added", "Action changed"]
    assert _entries(client_request.get("admin.audit_log", words="nothing like this")) == []
    # An old bookmark's unknown kind narrows nothing rather than failing.
    assert len(_entries(client_request.get("admin.audit_log", kind="bogus"))) >= 2


def test_dates_in_the_wrong_order_or_unreal_are_explained(client_request):
    _changed_action(client_request)
    today = dt.date.today()
    page = client_request.get(
        "admin.audit_log", **_day_args("since", today), **_day_args("until", today - dt.timedelta(days=3))
    )
    assert error_summary(page) == ["The to date must be the same as or after the from date"]
    assert "Download these entries" not in page_text(page)
    page = client_request.get("admin.audit_log", since=["31", "2", "2025"])
    assert error_summary(page) == ["From must be a real date, like 31 3 2027"]
    future = client_request.get("admin.audit_log", **_day_args("since", today + dt.timedelta(days=1)))
    assert _entries(future) == [] and "0 entries" in page_text(future)
    in_range = client_request.get("admin.audit_log", **_day_args("since", today), **_day_args("until", today))
    assert len(_entries(in_range)) >= 2


def test_the_log_downloads_as_csv_with_the_same_filters(client_request):
    _changed_action(client_request)
    response = client_request.get_response("admin.audit_log_export", kind="actions")
    assert response.mimetype == "text/csv"
    header, *rows = csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    assert header == ["When", "Who", "What", "Record", "What changed", "Detail"]
    assert sorted(row[2] for row in rows) == ["Action added", "Action changed"]
    changed = next(row for row in rows if row[2] == "Action changed")
    assert changed[1] == "Gareth Hughes" and changed[4] == "Status: not started to in progress"
    today = dt.date.today()
    wrong_order = {**_day_args("since", today), **_day_args("until", today - dt.timedelta(days=1))}
    client_request.get_response(
        "admin.audit_log_export",
        **wrong_order,
        _expected_status=302,
        _expected_redirect=url("admin.audit_log", **wrong_order),
    )
