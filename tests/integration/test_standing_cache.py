"""The kept standing (councils/standing_cache.py) is always the one computed afresh.

After any sequence of changes through the services and the ORM (evidence added, edited and
archived, audits, indicator values, findings, mock inspection grades, a bulk update, the
council's settings, a new day, another worker's empty memo), what `live_outcome` answers
equals `fresh_outcome` over the same database. A page shows a change at once, and a cache
that cannot be read or written gives the fresh standing and says so in the log.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from councils import clock, standing_cache
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence import standing
from evidence.library import evidence_map, items
from evidence.library.models import EvidenceItem, EvidenceStatus
from evidence.mock_inspections import inspections
from evidence.mock_inspections.models import ProposedGrade
from evidence.performance import indicators
from evidence.reviews.models import Finding, FindingStatus, Review, ReviewKind, ReviewKloe, ReviewStatus
from judgement_framework import Confidence
from tests.support.factories import make_audit, make_council, make_evidence, make_user

TODAY = dt.date.today()
GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
LINKS = ["help_protection:hp.front_door", "leaders", "in_care"]

changes = st.one_of(
    st.tuples(st.just("add"), st.sampled_from(GRADES), st.integers(0, 400), st.sampled_from(LINKS)),
    st.tuples(st.just("edit"), st.sampled_from(GRADES), st.integers(0, 400)),
    st.tuples(st.just("archive")),
    st.tuples(st.just("bulk_regrade"), st.sampled_from(GRADES)),
    st.tuples(st.just("audit"), st.sampled_from(GRADES)),
    st.tuples(st.just("indicator"), st.integers(1, 6), st.integers(0, 100)),
    st.tuples(st.just("finding"), st.sampled_from(GRADES)),
    st.tuples(st.just("proposed_grade"), st.sampled_from(GRADES)),
    st.tuples(st.just("freshness"), st.integers(30, 400)),
    st.tuples(st.just("next_day")),
    st.tuples(st.just("other_worker")),
    st.tuples(st.just("rolled_back_add"), st.sampled_from(GRADES)),
)


def _mock_inspection(council, lead):
    review = Review(
        title="Mock inspection",
        kind=ReviewKind.MOCK_INSPECTION,
        framework_id=council.framework_id,
        starts_on=TODAY - dt.timedelta(days=10),
        ends_on=TODAY + dt.timedelta(days=10),
        lead_id=lead.id,
        status=ReviewStatus.MODERATION,
    )
    db.session.add(review)
    db.session.flush()
    kloe = ReviewKloe(review_id=review.id, question="Are plans acted on?", area_ids=["help_protection"])
    db.session.add(kloe)
    db.session.flush()
    return review, kloe


def _apply(change, council, lead, review, kloe, day) -> dt.date:
    framework = items.framework_of(council)
    kind = change[0]
    if kind == "add":
        _, grade, days_ago, link = change
        make_evidence(council, grade=grade, evidence_date=day - dt.timedelta(days=days_ago), links=[link])
    elif kind in ("edit", "archive"):
        item = db.session.scalars(
            select(EvidenceItem).where(EvidenceItem.status == EvidenceStatus.ACCEPTED).order_by(EvidenceItem.id)
        ).first()
        if item is None:
            return day
        if kind == "archive":
            items.archive_item(item)
        else:
            _, grade, days_ago = change
            item.grade, item.evidence_date = grade, day - dt.timedelta(days=days_ago)
    elif kind == "bulk_regrade":  # a statement, not a flush: the other hook
        db.session.execute(update(EvidenceItem).values(grade=change[1]))
    elif kind == "audit":
        make_audit(council, lead, overall_grade=change[1])
    elif kind == "indicator":
        indicator = indicators.all_indicators()[0]
        month = indicators.month_start(day) - dt.timedelta(days=28 * (change[1] - 1))
        indicators.record_value(indicator, indicators.month_start(month), change[2])
    elif kind == "finding":
        finding = kloe.finding or Finding(kloe_id=kloe.id, updated_by="Rae Reviewer", updated_at=clock.now())
        finding.grade, finding.status, finding.confidence = change[1], FindingStatus.COMPLETE, Confidence.HIGH
        finding.updated_at = clock.now()
        db.session.add(finding)
    elif kind == "proposed_grade":  # one a reviewer and judgement: added, then changed
        proposal = db.session.scalars(select(ProposedGrade).where(ProposedGrade.review_id == review.id)).first()
        if proposal is None:
            proposal = ProposedGrade(review_id=review.id, area_id="help_protection", reviewer_id=lead.id)
            db.session.add(proposal)
        proposal.grade, proposal.rationale, proposal.updated_at = change[1], "Seen in the sample", clock.now()
    elif kind == "freshness":
        council.evidence_freshness_days = change[1]
    elif kind == "next_day":
        return day + dt.timedelta(days=1)
    elif kind == "other_worker":
        standing_cache.clear_memo()  # a worker with nothing in memory: the shared table answers
    elif kind == "rolled_back_add":
        savepoint = db.session.begin_nested()
        make_evidence(council, grade=change[1], links=["leaders"])
        standing.live_outcome(council, day, framework=framework)  # computed inside the change
        savepoint.rollback()
    return day


@settings(max_examples=10, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(changes, min_size=1, max_size=8))
def test_the_kept_standing_is_the_fresh_one_after_any_changes(database, monkeypatch, sequence):
    council = make_council()
    lead = make_user(council, Role.SENIOR_LEADER)
    with acting_for(council.id):
        indicators.ensure_default_indicators()
        review, kloe = _mock_inspection(council, lead)
        db.session.commit()
        day = TODAY
        for change in sequence:
            day = _apply(change, council, lead, review, kloe, day)
            db.session.commit()
            monkeypatch.setattr(clock, "today", lambda day=day: day)
            framework = items.framework_of(council)
            assert standing.live_outcome(council, day, framework=framework) == standing.fresh_outcome(
                council, day, framework
            ), change
            # The evidence map is kept per version too.
            assert evidence_map.council_map(council, day, None) == evidence_map.evidence_map(
                framework, day, council.evidence_freshness_days, None
            ), change
            # A mock inspection's grading goes through the same cache, with its own inputs.
            graded = inspections.grading(review, council)
            grades = [
                standing.ReviewerGrade(p.area_id, lead.name, p.grade, p.rationale)
                for p in db.session.scalars(select(ProposedGrade).where(ProposedGrade.review_id == review.id))
            ]
            fresh, _ = standing.fresh_outcome(
                council, min(day, review.ends_on), framework, grades, standing.review_kloes(framework, review)
            )
            assert graded.evidence == fresh, change


def test_a_page_shows_a_change_saved_after_it_was_last_seen(client_request):
    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER)
    make_evidence(council, title="Strategy meetings are timely", grade="good", links=["leaders"])
    client_request.sign_in(leader)
    before = client_request.get("home.index").get_text()
    client_request.get("home.index")  # kept now: the second look is the cache's
    make_evidence(council, title="Plans drift for months", grade="inadequate", links=["leaders"])
    db.session.commit()
    after = client_request.get("home.index").get_text()
    assert after != before
    with acting_for(council.id):
        fresh, _ = standing.fresh_outcome(council, TODAY, items.framework_of(council))
        assert standing.live_outcome(council, TODAY)[0] == fresh


def test_a_standing_is_kept_once_per_version(database):
    council = make_council()
    make_evidence(council, grade="good")
    db.session.commit()
    with acting_for(council.id):
        computed = []
        version = standing_cache.version_of(council.id)

        def compute():
            computed.append(1)
            return "standing"

        assert standing_cache.cached(council.id, "key", compute) == "standing"
        standing_cache.clear_memo()
        assert standing_cache.cached(council.id, "key", compute) == "standing"  # from the table
        assert computed == [1]
        make_evidence(council, grade="inadequate")
        db.session.commit()
        assert standing_cache.version_of(council.id) == version + 1
        standing_cache.cached(council.id, "key", compute)
        assert computed == [1, 1]


def test_nothing_is_kept_for_a_council_that_is_not_the_current_one(database):
    """The queries behind a value are scoped to the council current: worked out while acting
    for another council (or for none), it is not this council's, so it is never kept."""
    council, other = make_council("Kept"), make_council("Other")
    db.session.commit()
    computed = []

    def compute():
        computed.append(1)
        return "standing"

    for acting in (other.id, None):
        with acting_for(acting):
            standing_cache.cached(council.id, "key", compute)
            standing_cache.cached(council.id, "key", compute)
    with acting_for(None):
        standing_cache.cached(None, "key", compute)
    assert computed == [1] * 5
    rows = db.session.execute(select(standing_cache.standing_cache).where(standing_cache.standing_cache.c.key == "key"))
    assert rows.all() == []


@pytest.mark.parametrize("broken", ["_read_payload", "_write_payload"])
def test_a_cache_that_fails_gives_the_fresh_standing_and_logs(database, monkeypatch, caplog, broken):
    council = make_council()
    make_evidence(council, grade="good", links=["leaders"])
    db.session.commit()

    def fail(*_args, **_kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(standing_cache, broken, fail)
    with acting_for(council.id), caplog.at_level(logging.ERROR, logger="councils.standing_cache"):
        framework = items.framework_of(council)
        assert standing.live_outcome(council, TODAY) == standing.fresh_outcome(council, TODAY, framework)
        make_evidence(council, grade="inadequate", links=["leaders"])
        db.session.commit()
        standing_cache.clear_memo()
        assert standing.live_outcome(council, TODAY) == standing.fresh_outcome(council, TODAY, framework)
    assert "standing cache" in caplog.text


def test_two_workers_keeping_the_same_standing_at_once_both_succeed(database):
    council = make_council()
    db.session.commit()
    with acting_for(council.id):
        version = standing_cache.version_of(council.id)
        # What a second worker does when the first kept the entry a moment before it.
        standing_cache._write_payload(council.id, "key", version, "first")
        standing_cache._write_payload(council.id, "key", version, "second")
        rows = db.session.execute(
            select(standing_cache.standing_cache.c.payload).where(
                standing_cache.standing_cache.c.council_id == council.id
            )
        ).all()
        assert [standing_cache.loads(payload) for (payload,) in rows] == ["first"]


def test_only_writes_to_what_the_scorer_reads_bump_the_version(database):
    from evidence.action_plan.models import Action

    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER)
    db.session.commit()
    with acting_for(council.id):
        before = standing_cache.version_of(council.id)
        db.session.add(
            Action(
                what="Re-audit plans", owner_id=leader.id, due_date=TODAY, success_measure="Fewer", area_id="leaders"
            )
        )
        db.session.commit()  # an action (and its audit-log entry) changes no standing
        assert standing_cache.version_of(council.id) == before
        make_evidence(council, grade="good")
        db.session.commit()
        assert standing_cache.version_of(council.id) == before + 1
