from evidence.mock_inspections.comparison import compare

ORDER = ["outstanding", "good", "requires_improvement", "inadequate"]


def _snapshot(grades, gap_ids):
    return {
        "areas": [{"area_id": a, "title": a.title(), "final_grade": g} for a, g in grades.items()],
        "gaps": [{"id": gap_id, "sentence": f"gap {gap_id}"} for gap_id in gap_ids],
    }


def test_grades_that_moved_and_gaps_closed_and_new():
    earlier = _snapshot(
        {"leaders": "requires_improvement", "help_protection": "inadequate", "in_care": None}, ["g1", "g2"]
    )
    later = _snapshot({"leaders": "good", "help_protection": "inadequate", "in_care": "good"}, ["g2", "g3"])
    result = compare(earlier, later, ORDER)
    assert [(c.area_id, c.direction) for c in result.grade_changes] == [
        ("leaders", "better"),
        ("help_protection", "same"),
        ("in_care", "newly graded"),
    ]
    assert [g["id"] for g in result.gaps_closed] == ["g1"]
    assert [g["id"] for g in result.gaps_new] == ["g3"]
    assert [g["id"] for g in result.gaps_remaining] == ["g2"]


def test_a_grade_that_fell_is_worse():
    result = compare(_snapshot({"leaders": "good"}, []), _snapshot({"leaders": "inadequate"}, []), ORDER)
    assert result.grade_changes[0].direction == "worse"
