from evidence.mock_inspections.case_sample import AGE_BANDS_EXPECTED, CASE_TYPES, SampledCase, shortfalls


def _balanced(n=25):
    cases = []
    types = list(CASE_TYPES)
    for i in range(n):
        cases.append(
            SampledCase(
                reference=f"C{i:04d}",
                age_band=AGE_BANDS_EXPECTED[i % len(AGE_BANDS_EXPECTED)],
                case_type=types[i % len(types)],
                team=["Front door", "Locality north"][i % 2],
                ethnicity=["White British", "Black Caribbean", "Pakistani"][i % 3],
                disability=i % 7 == 0,
                gender=["Girl", "Boy"][i % 2],
            )
        )
    return cases


def test_a_balanced_sample_lacks_nothing():
    assert shortfalls(_balanced(), teams=["Front door", "Locality North"]) == []


def test_each_shortfall_is_named():
    cases = [
        c.__class__(
            **{
                **c.__dict__,
                "case_type": "child_protection",
                "age_band": "5 to 9",
                "ethnicity": "White British",
                "disability": False,
                "gender": "Boy",
            }
        )
        for c in _balanced(12)
    ]
    found = {s.dimension: s.sentence for s in shortfalls(cases, teams=["Front door", "Disabled children's team"])}
    assert found["size"] == "The sample has 12 cases; inspectors track 25 to 30."
    assert found["age"] == "No child aged under 1, 1 to 4, 10 to 15 or 16 to 17."
    assert "No early help, child in need, child in care or care leaver case." == found["case type"]
    assert found["team"] == "No case from Disabled children's team."
    assert found["ethnicity"] == "Every child in the sample has the same recorded ethnicity."
    assert found["disability"] == "No disabled child is in the sample."
    assert found["gender"] == "No girls in the sample."


def test_too_large_a_sample_is_named_too():
    assert [s.dimension for s in shortfalls(_balanced(31))] == ["size"]
