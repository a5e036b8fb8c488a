"""Exceptions. Every message names the bad file, field or id so a user can fix it."""

from __future__ import annotations

from dataclasses import dataclass


class JudgementFrameworkError(Exception):
    """Base class for every error raised by this package."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a framework file: where (field path) and what."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class FrameworkError(JudgementFrameworkError):
    """A framework file could not be found, read or validated."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = tuple(problems)
        if len(problems) == 1:
            text = f"{source}: {problems[0]}"
        else:
            lines = "\n".join(f"  - {p}" for p in problems)
            text = f"{source}: {len(problems)} problems:\n{lines}"
        super().__init__(text)


class InputError(JudgementFrameworkError, ValueError):
    """Grades, signals or reviewer grades given to the package are not valid."""


class UnknownAreaError(InputError):
    def __init__(self, area_id: str, framework_id: str):
        self.area_id = area_id
        super().__init__(f"unknown area id {area_id!r} in framework {framework_id!r}")


class UnknownGradeError(InputError):
    def __init__(self, grade_id: str, framework_id: str):
        self.grade_id = grade_id
        super().__init__(f"unknown grade id {grade_id!r} in framework {framework_id!r}")


class UnknownCriterionError(InputError):
    def __init__(self, criterion_id: str, area_id: str):
        self.criterion_id = criterion_id
        super().__init__(f"unknown criterion id {criterion_id!r} for area {area_id!r}")


class RuleError(JudgementFrameworkError, ValueError):
    """A rule cannot be set aside as asked (hard limiter, blank reason, unknown rule)."""
