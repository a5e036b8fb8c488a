"""A self-evaluation as a document (inspect_ready/documents): each judgement's three answers
under their questions, built once for both the Word and the PDF download."""

from __future__ import annotations

from councils import clock
from evidence.mock_inspections import case_references
from evidence.self_evaluation.drafting import QUESTIONS
from evidence.self_evaluation.self_evaluations import sections_by_judgement
from inspect_ready.documents.model import Document, Paragraph, Section, with_case_references
from inspect_ready.pages import govuk_date


def document(self_evaluation, framework) -> Document:
    known = case_references.known_among([section.text for section in self_evaluation.sections])
    return Document(
        title=f"Self-evaluation {self_evaluation.year}",
        subtitle="The quality and impact of social work practice with children and families",
        council=self_evaluation.council.name,
        made_on=clock.today(),
        kind_of_document="self-evaluation",
        content=(
            Paragraph(_status(self_evaluation, framework)),
            *(
                Section(title, tuple(_answer(section, known) for section in sections))
                for title, sections in sections_by_judgement(self_evaluation)
            ),
        ),
    )


def _status(self_evaluation, framework) -> str:
    drafted = (
        f"Drafted from the council's evidence on {govuk_date(self_evaluation.drafted_on)}, against {framework.title}."
    )
    if self_evaluation.signed_off:
        by = f" by {self_evaluation.signed_off_by.name}" if self_evaluation.signed_off_by else ""
        return f"{drafted} Signed off{by} on {govuk_date(self_evaluation.signed_off_on)}."
    return f"{drafted} A draft: not yet signed off."


def _answer(section, known: set[str]) -> Section:
    lines = [line for line in section.text.splitlines() if line.strip()]
    paragraphs = tuple(Paragraph(with_case_references(line, known)) for line in lines) or (
        Paragraph("Not answered yet."),
    )
    return Section(QUESTIONS[section.question], paragraphs)
