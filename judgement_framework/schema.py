"""Pydantic models for framework files.

Pydantic is used only to load and check files; the scorer works on the plain
lookup tables each Framework builds once after validation.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

AreaKind = Literal["key", "graded", "overall", "separate"]


class _Model(BaseModel):
    # extra="forbid" turns a misspelt field name into a clear error instead of
    # silently ignoring it.
    model_config = ConfigDict(frozen=True, extra="forbid")


class Grade(_Model):
    id: str
    label: str
    short_label: str
    meaning: str


class Criterion(_Model):
    id: str
    prompt: str


class KloeTemplate(_Model):
    id: str
    question: str
    sub_questions: tuple[str, ...] = ()
    # Where a line of enquiry came from when it is not the project's own (e.g. one council's list).
    source: str | None = None


class Area(_Model):
    id: str
    title: str
    kind: AreaKind
    parent: str | None = None
    criteria: tuple[Criterion, ...] = ()
    kloes: tuple[KloeTemplate, ...] = ()


class LimiterRule(_Model):
    """If any of `when_any_of` is graded `graded` or worse, `target` is at best `limit_to`.

    A hard_limiter always holds; a presumption may be set aside with a reason.
    """

    id: str
    kind: Literal["hard_limiter", "presumption"]
    target: str
    when_any_of: tuple[str, ...] = Field(min_length=1)
    graded: str
    limit_to: str
    why: str


class FloorRule(_Model):
    """Unless any of `unless_any_of` is graded `graded` or worse, `target` is at worst `at_least`."""

    id: str
    kind: Literal["floor"]
    target: str
    unless_any_of: tuple[str, ...] = Field(min_length=1)
    graded: str
    at_least: str
    why: str


Rule = Annotated[LimiterRule | FloorRule, Field(discriminator="kind")]
RULE_KINDS = ("hard_limiter", "presumption", "floor")


class BestFit(_Model):
    """Which areas feed the indicative grade of `target` (the overall area)."""

    target: str
    from_areas: tuple[str, ...] = Field(min_length=1)
    # With an even number of judgements split down the middle, the grade of this judgement
    # settles which middle grade is the best fit (when it is one of them); see rules.best_fit.
    tie_break: str | None = None
    tie_break_why: str | None = None
    # Key judgements read together with their graded parts (the areas whose parent they are):
    # when the judgement and its parts average nearer the grade below the expected one than the
    # expected one, the best fit is at best that grade (rules.read_with_parts).
    read_with_parts: tuple[str, ...] = ()
    read_with_parts_why: str | None = None


class Aggregation(_Model):
    best_fit: BestFit | None = None
    rules: tuple[Rule, ...] = ()


class Framework(_Model):
    id: str
    title: str
    version: str
    in_force_from: dt.date
    in_force_to: dt.date | None = None
    grades: tuple[Grade, ...] = Field(min_length=2)
    expected_grade: str
    escalation_cap: str | None = None
    areas: tuple[Area, ...] = Field(min_length=1)
    aggregation: Aggregation = Aggregation()

    _grade_rank: dict[str, int] = PrivateAttr(default_factory=dict)
    _areas: dict[str, Area] = PrivateAttr(default_factory=dict)
    _area_order: dict[str, int] = PrivateAttr(default_factory=dict)
    _criterion_area: dict[str, str] = PrivateAttr(default_factory=dict)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: object) -> object:
        # `version: 1.0` in YAML is a float; treat it as the text the author meant.
        return str(value) if isinstance(value, (int, float)) else value

    def model_post_init(self, _context: object) -> None:
        self._grade_rank = {g.id: i for i, g in enumerate(self.grades)}
        self._areas = {a.id: a for a in self.areas}
        self._area_order = {a.id: i for i, a in enumerate(self.areas)}
        self._criterion_area = {c.id: a.id for a in self.areas for c in a.criteria}

    # Lookups used by rules, scorer and gaps (rank 0 is the best grade).
    @property
    def grade_rank(self) -> dict[str, int]:
        return self._grade_rank

    @property
    def area_by_id(self) -> dict[str, Area]:
        return self._areas

    @property
    def area_order(self) -> dict[str, int]:
        return self._area_order

    @property
    def criterion_area(self) -> dict[str, str]:
        return self._criterion_area

    @property
    def worst_grade(self) -> str:
        return self.grades[-1].id

    @property
    def overall_area(self) -> Area | None:
        return next((a for a in self.areas if a.kind == "overall"), None)

    def grade(self, grade_id: str) -> Grade:
        return self.grades[self._grade_rank[grade_id]]
