"""Case file audit templates: sections of questions, shipped as YAML files in this folder.

A council changes its audit by changing data, not code. Each question is graded on the
four-point scale or answered yes / no / not applicable.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

FOLDER = Path(__file__).parent
FOUR_POINT = "four_point"
YES_NO = "yes_no"
YES_NO_ANSWERS = ("yes", "no", "not_applicable")


class AuditTemplateError(ValueError):
    pass


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    scale: str
    guidance: str
    areas: tuple[str, ...]


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class AuditTemplate:
    id: str
    title: str
    description: str
    default: bool
    sections: tuple[Section, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for section in self.sections for q in section.questions)

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)


def parse_template(data: dict, source: str) -> AuditTemplate:
    """Build a template from a parsed file, refusing anything a form could not be made from."""
    try:
        sections = tuple(
            Section(
                id=s["id"],
                title=s["title"],
                questions=tuple(
                    Question(q["id"], q["text"], q["scale"], q.get("guidance", ""), tuple(q.get("areas", ())))
                    for q in s["questions"]
                ),
            )
            for s in data["sections"]
        )
        template = AuditTemplate(
            data["id"], data["title"], data.get("description", ""), bool(data.get("default")), sections
        )
    except (KeyError, TypeError) as error:
        raise AuditTemplateError(f"{source}: missing or malformed field {error}") from None
    ids = [q.id for q in template.questions]
    if not ids:
        raise AuditTemplateError(f"{source}: a template needs at least one question")
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise AuditTemplateError(f"{source}: question ids used more than once: {', '.join(repeated)}")
    for question in template.questions:
        if question.scale not in (FOUR_POINT, YES_NO):
            raise AuditTemplateError(
                f"{source}: question {question.id} has scale {question.scale!r}; use {FOUR_POINT} or {YES_NO}"
            )
    return template


@cache
def all_templates() -> tuple[AuditTemplate, ...]:
    templates = []
    for path in sorted(FOLDER.glob("*.yaml")):
        template = parse_template(yaml.safe_load(path.read_text()), path.name)
        if template.id != path.stem:
            raise AuditTemplateError(f"{path.name}: id {template.id!r} must match the file name")
        templates.append(template)
    if sum(t.default for t in templates) != 1:
        raise AuditTemplateError("exactly one audit template must be marked default")
    return tuple(sorted(templates, key=lambda t: (not t.default, t.title)))


def default_template() -> AuditTemplate:
    return all_templates()[0]


def find_template(template_id: str) -> AuditTemplate | None:
    return next((t for t in all_templates() if t.id == template_id), None)
