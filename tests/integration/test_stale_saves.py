"""Two people editing one record: the later save from a page opened before the earlier save
shows both versions and saves nothing; saved again from that page, it replaces theirs
(issue 11, point 4). Findings have their own tests (test_findings.py)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Council, Role
from councils.tenancy import acting_for
from evidence.action_plan.models import Action
from evidence.library.models import EvidenceItem
from evidence.mock_inspections.models import ModeratedGrade, ProposedGrade
from evidence.performance import indicators
from evidence.performance.models import Indicator, IndicatorValue
from evidence.reviews.models import MemberRole, Review
from tests.support import factories
from tests.support.factories import make_evidence, make_user
from tests.support.pages import form_values, summary_list, table_rows, text
from tests.support.review_factories import add_to_team

TODAY = dt.date.today()


@dataclass
class Record:
    """One kind of record two people can edit, and how its edit page is reached."""

    endpoint: str
    args: dict
    form: str  # a CSS selector for the record's form on the page
    field: str  # a field both people change
    label: str  # that field's label, as their version lists it
    saved: Callable[[], str]  # the field's saved value, as text
    theirs: str = "Theirs, saved first"
    mine: str = "Mine, saved later"


def _people(role=Role.SENIOR_LEADER) -> tuple:
    council = factories.make_council()
    council.framework_id = "sif-2013"
    with acting_for(council.id):
        indicators.ensure_default_indicators()
    first, second = make_user(council, role, name="Ann First"), make_user(council, role, name="Ben Second")
    db.session.commit()
    return council, first, second


def _one(model):
    db.session.expire_all()
    return db.session.scalars(select(model)).one()


def action(client_request, council: Council, first) -> Record:
    client_request.sign_in(first)
    client_request.post(
        "actions.new",
        _data={
            "what": "Re-audit strategy discussions",
            "owner_id": str(first.id),
            "success_measure": "Audits good",
            "area_id": "help_protection",
            "due_date": [str(TODAY.day), str(TODAY.month), str(TODAY.year + 1)],
        },
    )
    found = _one(Action)
    return Record(
        "actions.edit", {"action_id": found.id}, "main form", "what", "What will be done", lambda: _one(Action).what
    )


def evidence(client_request, council: Council, first) -> Record:
    item = make_evidence(council)
    db.session.commit()
    return Record("library.edit", {"item_id": item.id}, "main form", "title", "Title", lambda: _one(EvidenceItem).title)


def _indicator() -> Indicator:
    return db.session.scalars(select(Indicator).order_by(Indicator.id)).first()


def targets(client_request, council: Council, first) -> Record:
    found = _indicator()
    return Record(
        "performance.targets",
        {"indicator_id": found.id},
        "main form",
        "comparator_note",
        "Comparator group (optional)",
        lambda: (db.session.expire_all(), _indicator().comparator_note)[1],
    )


def value(client_request, council: Council, first) -> Record:
    found = _indicator()
    return Record(
        "performance.add_value",
        {"indicator_id": found.id},
        "main form",
        "value",
        "Value",
        lambda: f"{_one(IndicatorValue).value:g}",
        theirs="40",
        mine="60",
    )


def settings(client_request, council: Council, first) -> Record:
    return Record(
        "admin.settings",
        {},
        "main form",
        "evidence_freshness_days",
        "Evidence stays fresh for (days)",
        lambda: (db.session.expire_all(), str(db.session.get(Council, council.id).evidence_freshness_days))[1],
        theirs="90",
        mine="120",
    )


def _mock_inspection(council: Council, first, second) -> Review:
    from evidence.reviews import setup
    from judgement_framework import load_framework

    with acting_for(council.id):
        review = setup.create_review(
            setup.ReviewFields("Mock", setup.ReviewKind.MOCK_INSPECTION, [], TODAY, TODAY, first.id),
            load_framework("sif-2013"),
        )
        review.status = setup.ReviewStatus.FIELDWORK  # under way: its final grades can be moderated
        db.session.flush()
    add_to_team(review, second, MemberRole.REVIEWER)
    db.session.commit()
    return review


def final_grade(client_request, council: Council, first) -> Record:
    review = _mock_inspection(council, first, make_user(council, Role.HEAD_OF_SERVICE))
    return Record(
        "mock_inspections.judgement",
        {"inspection_id": review.id, "area_id": "leadership"},
        'form:has(input[name="action"][value="moderate"])',
        "moderate-rationale",
        "Rationale",
        lambda: _one(ModeratedGrade).rationale,
    )


def proposed_grade(client_request, council: Council, first) -> Record:
    # One reviewer with the page open in two tabs: the second tab is stale just the same.
    review = _mock_inspection(council, make_user(council, Role.SENIOR_LEADER), first)
    return Record(
        "mock_inspections.judgement",
        {"inspection_id": review.id, "area_id": "leadership"},
        'form:has(input[name="action"][value="propose"])',
        "propose-rationale",
        "Rationale",
        lambda: _one(ProposedGrade).rationale,
    )


RECORDS = [action, evidence, targets, value, settings, final_grade, proposed_grade]


def _sent(page, record: Record, text_value: str) -> dict:
    sent = form_values(page.select_one(record.form))
    sent[record.field] = [text_value]
    if "moderate-grade" in sent or "propose-grade" in sent or record.field.endswith("rationale"):
        prefix = record.field.split("-")[0]
        sent.setdefault(f"{prefix}-grade", ["good"])
    if record.endpoint == "performance.add_value":
        sent.setdefault("value", [text_value])
    return sent


@pytest.mark.parametrize("make", RECORDS, ids=[r.__name__ for r in RECORDS])
def test_a_stale_save_shows_both_versions_and_saves_nothing(client_request, make):
    role = Role.ADMINISTRATOR if make is settings else Role.HEAD_OF_SERVICE if make is proposed_grade else None
    council, first, second = _people(role or Role.SENIOR_LEADER)
    if make is proposed_grade:
        second = first  # the same reviewer's second tab
    record = make(client_request, council, first)
    # Both open the page before either saves.
    client_request.sign_in(first)
    first_page = client_request.get(record.endpoint, **record.args)
    client_request.sign_in(second)
    second_page = client_request.get(record.endpoint, **record.args)

    client_request.sign_in(first)
    client_request.post(record.endpoint, **record.args, _data=_sent(first_page, record, record.theirs))
    assert record.saved() == record.theirs

    client_request.sign_in(second)
    events = db.session.query(AuditEvent).count()
    if make is value:
        _a_months_value_is_replaced_only_once_seen(client_request, record, second_page, events)
        return
    page = client_request.post(
        record.endpoint, **record.args, _data=_sent(second_page, record, record.mine), _expected_status=409
    )
    assert record.saved() == record.theirs, "nothing of the stale save is kept"
    assert db.session.query(AuditEvent).count() == events
    banner = page.select_one('.govuk-notification-banner[aria-labelledby="their-version-title"]')
    assert "Your changes have not been saved yet" in text(banner)
    assert summary_list(banner)[record.label] == record.theirs
    mine = form_values(page.select_one(record.form))
    assert mine[record.field] == [record.mine], "the person's own version is in the form"

    # Having seen both, saving again from that page replaces theirs.
    client_request.post(record.endpoint, **record.args, _data=mine)
    assert record.saved() == record.mine


def _a_months_value_is_replaced_only_once_seen(client_request, record, stale_page, events):
    """A month's value saved since the page opened is not overwritten: the confirmation page
    shows the saved value beside the person's and saves nothing; confirming saves theirs,
    based on the value they have now seen (its version)."""
    page = client_request.post(
        record.endpoint, **record.args, _data=_sent(stale_page, record, record.mine), _expected_status=200
    )
    assert text(page.select_one("h1")).startswith("Replace the value for")
    assert table_rows(page)[0][1:] == ["40.0%", "60.0%"]
    assert record.saved() == record.theirs and db.session.query(AuditEvent).count() == events
    confirmed = client_request.post_response(
        record.endpoint, **record.args, _data=form_values(page.select_one("main form")), _expected_status=(200, 302, 409)
    )
    assert confirmed.status_code == 302, confirmed.get_data(as_text=True)[-3000:]
    assert record.saved() == record.mine


def test_linking_evidence_makes_an_edit_page_opened_before_it_stale(client_request):
    council, first, _ = _people()
    item = make_evidence(council)
    db.session.commit()
    client_request.sign_in(first)
    opened = form_values(client_request.get("library.edit", item_id=item.id).select_one("main form"))
    client_request.post("library.link", item_id=item.id, _data={"link": "leadership"}, _follow_redirects=True)
    client_request.post("library.edit", item_id=item.id, _data=opened, _expected_status=409)
    db.session.expire_all()
    assert "leadership" in {link.area_id for link in _one(EvidenceItem).links}
