"""The fast scorer gives exactly the outcome the scorer gave before it was made fast (issue 14):
the same grades, drivers, confidence, gaps in the same order, and the same errors."""

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from judgement_framework import EvidenceSignal, InputError, Kloe, ReviewerGrade, load_framework, score
from tests.support import engine_before

AS_OF = dt.date(2024, 6, 30)
FRAMEWORKS = [load_framework("sif-2013"), load_framework("ilacs-2023")]
KINDS = ["case_audit", "performance_data", "kloe_finding", "document", "observation", "voice_of_child"]
FLAGS = ["off_target", "worsening", "unresolved_escalation", "concern"]
REVIEWERS = ["Ann", "Bo", "Cy"]


def _outcome_or_error(scorer, *args, **kwargs):
    try:
        return scorer(*args, **kwargs)
    except InputError as error:  # every error of bad input is one of these
        return type(error), str(error)


def _same(fw, signals, reviews=(), kloes=(), freshness_days=183):
    before = _outcome_or_error(
        engine_before.score, fw, signals, reviews, AS_OF, kloes=kloes, freshness_days=freshness_days
    )
    after = _outcome_or_error(score, fw, signals, reviews, AS_OF, kloes=kloes, freshness_days=freshness_days)
    assert after == before
    if not isinstance(before, tuple):
        assert after.to_dict() == before.to_dict()
    return after


@st.composite
def inputs(draw, max_size=40):
    fw = draw(st.sampled_from(FRAMEWORKS))
    areas = [a for a in fw.areas if a.kind != "overall"]
    grades = [g.id for g in fw.grades]
    signals = []
    for i in range(draw(st.integers(0, max_size))):
        area = draw(st.sampled_from(areas))
        criteria = [c.id for c in area.criteria]
        signals.append(
            EvidenceSignal(
                id=f"s{draw(st.integers(0, 3 * max_size)) if draw(st.integers(0, 30)) == 0 else i}",
                area_id=area.id,
                date=AS_OF - dt.timedelta(days=draw(st.integers(-20, 900))),
                title=draw(st.sampled_from(["Audit", "Dataset.", "What children say?", "=SUM(A1)"])) + f" {i}",
                kind=draw(st.sampled_from(KINDS)),
                criterion_ids=tuple(draw(st.lists(st.sampled_from(criteria), max_size=3, unique=True)))
                if criteria
                else (),
                grade=draw(st.sampled_from([*grades, None])),
                weight=draw(st.sampled_from([0.001, 0.5, 1.0, 2.0, 7.25])),
                confidence=draw(st.sampled_from(["low", "medium", "high"])),
                flags=frozenset(draw(st.sets(st.sampled_from(FLAGS)))),
                case_type=draw(st.sampled_from([None, "CIN", "CP", "CLA"])),
                team=draw(st.sampled_from([None, "North", "South"])),
                moderated=draw(st.booleans()),
            )
        )
    if draw(st.booleans()):
        signals.sort(key=lambda s: s.id)  # ids in order, as the fast path for repeats expects
    reviews = [
        ReviewerGrade(
            draw(st.sampled_from(fw.areas)).id, draw(st.sampled_from(REVIEWERS)), draw(st.sampled_from(grades))
        )
        for _ in range(draw(st.integers(0, 6)))
    ]
    kloes = [
        Kloe(f"k{i}", (draw(st.sampled_from(areas)).id,), f"Question {i}?", explored=draw(st.booleans()))
        for i in range(draw(st.integers(0, 3)))
    ]
    return fw, signals, reviews, kloes, draw(st.sampled_from([30, 183, 400]))


@settings(max_examples=400, deadline=None)
@given(inputs())
def test_property_the_fast_scorer_gives_the_outcome_the_scorer_gave_before(drawn):
    fw, signals, reviews, kloes, freshness_days = drawn
    _same(fw, signals, reviews, kloes, freshness_days)


def _bad(signal, **change):
    fields = {name: getattr(signal, name) for name in EvidenceSignal.__dataclass_fields__}
    return EvidenceSignal(**{**fields, **change})


@settings(max_examples=100, deadline=None)
@given(inputs(max_size=10), st.sampled_from(["area", "overall", "grade", "criterion", "future criterion", "repeat"]))
def test_property_bad_input_gives_the_error_it_gave_before(drawn, fault):
    fw, signals, reviews, kloes, freshness_days = drawn
    base = EvidenceSignal("z", fw.areas[0].id, AS_OF, "An item", criterion_ids=(fw.areas[0].criteria[0].id,))
    other_criterion = fw.areas[1].criteria[0].id
    bad = {
        "area": _bad(base, area_id="nowhere"),
        "overall": _bad(base, area_id="overall"),
        "grade": _bad(base, grade="brilliant"),
        "criterion": _bad(base, criterion_ids=(other_criterion,)),
        "future criterion": _bad(base, date=AS_OF + dt.timedelta(days=3), criterion_ids=(other_criterion,)),
        "repeat": _bad(base, id=signals[0].id) if signals else _bad(base, area_id="nowhere"),
    }[fault]
    outcome = _same(fw, [*signals, bad], reviews, kloes, freshness_days)
    assert isinstance(outcome, tuple)  # an error, the same one


def _council(fw, count, seed):
    """A council-like spread: a few hundred dates, most items graded, some flagged."""
    rng = random.Random(seed)
    areas = [a for a in fw.areas if a.kind != "overall"]
    grades = [g.id for g in fw.grades] + [None]
    signals = []
    for i in range(count):
        area = rng.choice(areas)
        signals.append(
            EvidenceSignal(
                id=f"evidence:{i}:{area.id}",
                area_id=area.id,
                date=AS_OF - dt.timedelta(days=rng.randrange(700)),
                title=f"Evidence item {i}",
                kind=rng.choice(KINDS),
                criterion_ids=tuple(c.id for c in rng.sample(area.criteria, k=rng.randint(0, 2))),
                grade=rng.choice(grades),
                weight=rng.choice((0.5, 1.0, 2.0)),
                confidence=rng.choice(("low", "medium", "high")),
                flags=frozenset(f for f in FLAGS if rng.random() < 0.04),
                case_type=rng.choice((None, "CIN", "CP")),
                team=rng.choice((None, "North", "South")),
                moderated=rng.random() < 0.2,
            )
        )
    return signals


@pytest.mark.parametrize("fw", FRAMEWORKS, ids=lambda fw: fw.id)
@pytest.mark.parametrize("seed", [1, 2])
def test_a_council_of_thousands_has_the_outcome_it_had_before(fw, seed):
    signals = _council(fw, 5000, seed)
    reviews = [ReviewerGrade(a.id, "Mock inspector", "good") for a in fw.areas]
    outcome = _same(fw, signals, reviews)
    assert len(outcome.gaps) > 100  # the per-item gaps the fast path builds are there to compare
    _same(fw, sorted(signals, key=lambda s: s.id), reviews)
