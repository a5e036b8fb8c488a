"""Each gap kind from a crafted example, plus ranking and stable ids."""

import datetime as dt

from judgement_framework import EvidenceSignal, Kloe, ReviewerGrade, load_framework, score

AS_OF = dt.date(2024, 6, 30)
RECENT = dt.date(2024, 6, 1)
SIF = load_framework("sif-2013")
HP = "The experiences and progress of children who need help and protection"


def sig(
    id,
    grade="good",
    *,
    area="help_protection",
    kind="case_audit",
    criteria=("hp.risk",),
    date=RECENT,
    flags=(),
    title=None,
):
    return EvidenceSignal(
        id=id,
        area_id=area,
        date=date,
        title=title or f"Audit {id}",
        kind=kind,
        criterion_ids=tuple(criteria),
        grade=grade,
        flags=frozenset(flags),
    )


def gaps(signals, reviews=(), kloes=()):
    return score(SIF, signals, reviews, AS_OF, kloes=kloes).gaps


def only(kind, found, area="help_protection"):
    matching = [g for g in found if g.kind == kind and g.area_id == area]
    assert len(matching) == 1, matching
    return matching[0]


def test_no_evidence_for_a_criterion():
    g = only("no_evidence", [g for g in gaps([sig("a")]) if g.criterion_id == "hp.front_door"])
    assert g.severity == "medium" and g.evidence_ids == ()
    assert HP in g.sentence and "Contacts and referrals" in g.sentence


def test_stale_evidence():
    found = gaps([sig("old", date=dt.date(2023, 1, 5), title="Front door audit", criteria=["hp.front_door"])])
    g = only("stale_evidence", found)
    assert g.criterion_id == "hp.front_door" and g.evidence_ids == ("old",)
    assert "Front door audit" in g.sentence and "5 January 2023" in g.sentence
    assert not [x for x in found if x.kind == "no_evidence" and x.criterion_id == "hp.front_door"]


def test_evidence_below_good_severity_by_grade():
    found = gaps([sig("ri", "requires_improvement", title="CIN audit"), sig("bad", "inadequate", title="CP audit")])
    below = [g for g in found if g.kind == "evidence_below_good"]
    assert [(g.evidence_ids, g.severity) for g in below] == [(("bad",), "high"), (("ri",), "medium")]
    assert "CP audit" in below[0].sentence and "inadequate, below good" in below[0].sentence and HP in below[0].sentence


def test_indicator_off_target_and_worsening():
    s = sig(
        "ind", None, kind="performance_data", title="Assessments in 45 working days", flags=["off_target", "worsening"]
    )
    found = gaps([s])
    assert "is off target" in only("indicator_off_target", found).sentence
    assert "getting worse" in only("indicator_worsening", found).sentence
    not_indicator = gaps([sig("doc", None, kind="document", flags=["off_target"])])
    assert not [g for g in not_indicator if g.kind == "indicator_off_target"]


def test_unresolved_escalation_is_most_severe_and_listed_first():
    found = gaps(
        [sig("esc", None, title="Escalated case 17", flags=["unresolved_escalation"]), sig("bad", "inadequate")]
    )
    assert found[0].kind == "unresolved_escalation" and found[0].severity == "high"
    assert "Escalated case 17" in found[0].sentence and "still unresolved" in found[0].sentence


def test_kloe_not_explored():
    kloes = [
        Kloe("k1", ("leadership", "help_protection"), "Is practice learning from audits?"),
        Kloe("k2", ("leadership",), "Explored already?", explored=True),
    ]
    g = only("kloe_not_explored", gaps([], kloes=kloes))
    assert "Is practice learning from audits" in g.sentence and "Leadership, management and governance" in g.sentence
    assert not [x for x in gaps([], kloes=kloes) if "Explored already" in x.sentence]


def test_reviewer_grade_unsupported_and_apart():
    reviews = [
        ReviewerGrade("leadership", "Mock inspector", "good"),
        ReviewerGrade("help_protection", "Mock inspector", "outstanding"),
    ]
    found = gaps([sig(x, "requires_improvement") for x in "abcde"], reviews)
    unsupported = only("reviewer_grade_unsupported", found, "leadership")
    assert "Mock inspector graded" in unsupported.sentence and "not enough graded evidence" in unsupported.sentence
    apart = only("reviewer_grade_apart", found)
    assert apart.severity == "high" and "2 grades apart" in apart.sentence and apart.evidence_ids == tuple("abcde")
    assert not [
        g
        for g in gaps([sig(x, "good") for x in "abcde"], [ReviewerGrade("help_protection", "X", "good")])
        if g.kind.startswith("reviewer")
    ]


def test_reviewer_grade_on_overall_is_compared_with_the_indicative_overall():
    signals = [
        *(sig(f"a{i}", "good") for i in range(5)),
        *(sig(f"b{i}", "good", area="looked_after", criteria=()) for i in range(5)),
        *(sig(f"c{i}", "good", area="leadership", criteria=()) for i in range(5)),
    ]
    g = only(
        "reviewer_grade_apart",
        gaps(signals, [ReviewerGrade("overall", "Moderator", "requires_improvement")]),
        "overall",
    )
    assert g.severity == "medium" and "Overall effectiveness" in g.sentence


def test_no_triangulation():
    g = only("no_triangulation", gaps([sig("a"), sig("b")]))
    assert "only on case audit evidence" in g.sentence
    assert not [
        x
        for x in gaps([sig("a"), sig("b", kind="observation")])
        if x.kind == "no_triangulation" and x.area_id == "help_protection"
    ]


def test_gap_ids_are_stable_when_more_evidence_arrives():
    first = {(g.kind, g.area_id, g.criterion_id, g.evidence_ids): g.id for g in gaps([sig("bad", "inadequate")])}
    second = {
        (g.kind, g.area_id, g.criterion_id, g.evidence_ids): g.id
        for g in gaps([sig("bad", "inadequate"), sig("new", "good", criteria=["hp.front_door"])])
    }
    kept = set(first) & set(second)
    assert ("evidence_below_good", "help_protection", "hp.risk", ("bad",)) in kept
    assert all(first[k] == second[k] for k in kept)
    assert len({g.id for g in gaps([sig("bad", "inadequate")])}) == len(gaps([sig("bad", "inadequate")]))


def test_gaps_are_ranked_by_severity():
    ranks = [g.severity_rank for g in gaps([sig("bad", "inadequate"), sig("ri", "requires_improvement")])]
    assert ranks == sorted(ranks, reverse=True)
