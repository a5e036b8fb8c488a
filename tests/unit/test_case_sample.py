import pytest

from evidence.mock_inspections.case_sample import (
    AGE_BANDS_EXPECTED,
    CASE_TYPES,
    ETHNICITY_CODES,
    SampledCase,
    age_problem,
    ethnicity_named,
    shortfalls,
)


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


def test_an_empty_sample_is_not_all_one_ethnicity():
    found = [s.sentence for s in shortfalls([])]
    assert "Every child in the sample has the same recorded ethnicity." not in found
    assert "The sample has 0 cases; inspectors track 25 to 30." in found


def test_one_child_recorded_is_not_all_one_ethnicity_but_two_alike_are():
    one = [_balanced(1)[0]]
    assert "ethnicity" not in {s.dimension for s in shortfalls(one)}
    two = [c.__class__(**{**c.__dict__, "ethnicity": "Indian"}) for c in _balanced(2)]
    assert "Every child in the sample has the same recorded ethnicity." in [s.sentence for s in shortfalls(two)]


def test_refused_and_not_obtained_are_not_a_recorded_ethnicity():
    pairs = zip(_balanced(2), ["Refused", "Indian"], strict=True)
    cases = [c.__class__(**{**c.__dict__, "ethnicity": e}) for c, e in pairs]
    assert "1 case has no recorded ethnicity." in [s.sentence for s in shortfalls(cases)]


@pytest.mark.parametrize(
    ("case_type", "age_band", "allowed"),
    [
        ("care_leaver", "Under 1", False),
        ("care_leaver", "10 to 15", False),
        ("care_leaver", "16 to 17", True),
        ("care_leaver", "18 and over", True),
        ("child_in_care", "18 and over", False),
        ("early_help", "Under 1", True),
        ("child_protection", "16 to 17", True),
    ],
)
def test_ages_fit_the_kind_of_case(case_type, age_band, allowed):
    assert (age_problem(case_type, age_band) is None) is allowed


def test_the_message_for_a_wrong_age_says_what_fits():
    assert age_problem("care_leaver", "Under 1") == "A care leaver is 16 to 25: choose 16 to 17 or 18 and over"
    assert age_problem("child_in_care", "18 and over") == (
        "Child in care is a child's case, so under 18: choose an age under 18"
    )


def test_ethnicity_is_the_2011_census_categories_as_dfe_codes_them():
    # 18 census categories (Arab is not one of DfE's main codes) and DfE's two for no answer.
    assert len(ETHNICITY_CODES) == 20 and len(set(ETHNICITY_CODES.values())) == 20
    assert ethnicity_named("WBRI") == "White British" == ethnicity_named(" white british ")
    assert ethnicity_named("") == ""
    assert ethnicity_named("Polish") is None
