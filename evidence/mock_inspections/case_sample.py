"""The case tracking sample of a mock inspection, and what it lacks.

Inspectors track the journeys of 25 to 30 children in depth, chosen to cover ages, the kinds
of help children get, teams, ethnicity and disability. A mock inspection should rehearse with a
sample like theirs; `shortfalls` says, in plain sentences, where a sample falls short.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

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
    if len({case.ethnicity.strip().lower() for case in cases if case.ethnicity.strip()}) < 2:
        found.append(Shortfall("ethnicity", "Every child in the sample has the same recorded ethnicity."))
    unrecorded = sum(1 for case in cases if not case.ethnicity.strip())
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


def _join(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
