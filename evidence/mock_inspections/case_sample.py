"""The case tracking sample of a mock inspection, and what it lacks.

Inspectors track the journeys of 25 to 30 children in depth, chosen to cover ages, the kinds
of help children get, teams, ethnicity and disability. A mock inspection should rehearse with a
sample like theirs; `shortfalls` says, in plain sentences, where a sample falls short.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

SAMPLE_SIZE = (25, 30)

AGE_BANDS = ("Under 1", "1 to 4", "5 to 9", "10 to 15", "16 to 17", "18 and over")
# Children's ages only: "18 and over" is for care leavers, and a sample needs none of it.
AGE_BANDS_EXPECTED = AGE_BANDS[:-1]

CASE_TYPES = {
    "early_help": "Early help",
    "child_in_need": "Child in need",
    "child_protection": "Child protection",
    "child_in_care": "Child in care",
    "care_leaver": "Care leaver",
}
GENDERS = ("Girl", "Boy", "Other or not recorded")

# The ages each kind of case can have: a care leaver is 16 to 25 (the bands from 16 up), every
# other kind of case is a child's, so under 18. The sentence is the message on the age field.
AGES_BY_CASE_TYPE = {
    "care_leaver": (("16 to 17", "18 and over"), "A care leaver is 16 to 25: choose 16 to 17 or 18 and over"),
}
CHILDS_AGES = (AGE_BANDS_EXPECTED, "is a child's case, so under 18: choose an age under 18")


def age_problem(case_type: str, age_band: str) -> str | None:
    """Why the age band cannot be right for the kind of case, or None when it can."""
    if case_type not in CASE_TYPES or age_band not in AGE_BANDS:
        return None  # each is refused on its own field
    allowed, message = AGES_BY_CASE_TYPE.get(case_type, CHILDS_AGES)
    if age_band in allowed:
        return None
    return message if case_type in AGES_BY_CASE_TYPE else f"{CASE_TYPES[case_type]} {message}"


def _ethnicities() -> dict[str, str]:
    rows = yaml.safe_load((Path(__file__).with_name("ethnicities.yaml")).read_text())
    return {row["code"]: row["label"] for row in rows}


# DfE's code for each 2011 census category, to its words (the words are stored and shown).
ETHNICITY_CODES = _ethnicities()
ETHNICITIES = tuple(ETHNICITY_CODES.values())
# Chosen from the list but saying nothing about the child's ethnicity.
ETHNICITY_UNKNOWN = {ETHNICITY_CODES["REFU"], ETHNICITY_CODES["NOBT"]}


def ethnicity_named(value: str) -> str | None:
    """The words for an ethnicity given as DfE's code or its words (any case); "" for blank;
    None when it is neither."""
    text = value.strip()
    if not text:
        return ""
    by_code = ETHNICITY_CODES.get(text.upper())
    if by_code:
        return by_code
    return next((label for label in ETHNICITIES if label.lower() == text.lower()), None)


@dataclass(frozen=True)
class SampledCase:
    reference: str
    age_band: str
    case_type: str
    team: str
    ethnicity: str
    disability: bool
    gender: str


@dataclass(frozen=True)
class Shortfall:
    dimension: str
    sentence: str


def shortfalls(cases: Sequence[SampledCase], *, teams: Sequence[str] = ()) -> list[Shortfall]:
    """What the sample lacks against the way inspectors choose theirs; empty when balanced.

    `teams` are the council's teams (from its audits): each should have a case in the sample.
    """
    found: list[Shortfall] = []
    low, high = SAMPLE_SIZE
    if not low <= len(cases) <= high:
        found.append(Shortfall("size", f"The sample has {len(cases)} cases; inspectors track {low} to {high}."))
    ages = Counter(case.age_band for case in cases)
    missing_ages = [band for band in AGE_BANDS_EXPECTED if not ages[band]]
    if missing_ages:
        found.append(Shortfall("age", "No child aged " + _join(band.lower() for band in missing_ages) + "."))
    types = Counter(case.case_type for case in cases)
    missing_types = [label for key, label in CASE_TYPES.items() if not types[key]]
    if missing_types:
        found.append(Shortfall("case type", "No " + _join(label.lower() for label in missing_types) + " case."))
    sampled_teams = {case.team.strip().lower() for case in cases}
    missing_teams = [team for team in teams if team.strip().lower() not in sampled_teams]
    if missing_teams:
        found.append(Shortfall("team", "No case from " + _join(missing_teams) + "."))
    recorded = [case.ethnicity.strip().lower() for case in cases if _recorded(case.ethnicity)]
    # Only a sample with two or more recorded ethnicities can be all the same: an empty one, or
    # one with a single child recorded, is told it is short and what is unrecorded instead.
    if len(recorded) > 1 and len(set(recorded)) == 1:
        found.append(Shortfall("ethnicity", "Every child in the sample has the same recorded ethnicity."))
    unrecorded = sum(1 for case in cases if not _recorded(case.ethnicity))
    if unrecorded:
        found.append(
            Shortfall("ethnicity", f"{unrecorded} case{'s have' if unrecorded > 1 else ' has'} no recorded ethnicity.")
        )
    if not any(case.disability for case in cases):
        found.append(Shortfall("disability", "No disabled child is in the sample."))
    genders = {case.gender for case in cases}
    if not {"Girl", "Boy"} <= genders:
        missing = [g.lower() + "s" for g in ("Girl", "Boy") if g not in genders]
        found.append(Shortfall("gender", "No " + _join(missing) + " in the sample."))
    return found


def _recorded(ethnicity: str) -> bool:
    text = ethnicity.strip()
    return bool(text) and text not in ETHNICITY_UNKNOWN


def _join(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
