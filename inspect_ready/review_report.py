"""A review's report as a document (inspect_ready/documents): what the printable report page
says, built once for both the Word and the PDF download."""

from __future__ import annotations

import re

from councils import clock
from evidence.mock_inspections import case_references
from evidence.reviews.models import FindingStatus
from inspect_ready.documents.model import Bullets, Document, Paragraph, Section, Table, capped, with_case_references
from inspect_ready.pages import govuk_date

# A review's team is a handful of people; a table longer than this is cut with a count.
TEAM_CAP = 40


def document(review, framework, scope) -> Document:
    known = case_references.known_among(free_text(review))

    def text(value: str):
        return with_case_references(value, known)

    return Document(
        title=review.title,
        subtitle="Review report",
        council=review.council.name,
        made_on=clock.today(),
        kind_of_document="report",
        content=(
            opening(review, framework),
            Section("Judgements in scope", (Bullets(tuple(area.title for area in scope)),)),
            Section("Team", team(review)),
            *kloe_sections(review, framework, text),
        ),
    )


def opening(review, framework) -> Paragraph:
    return Paragraph(
        f"{review.kind.label} of {review.council.name}, {govuk_date(review.starts_on)} to "
        f"{govuk_date(review.ends_on)}. Framework: {framework.title}."
    )


def team(review, *, with_agency: bool = False) -> tuple:
    """The team as a table, capped; a JTAI's names each person's agency."""
    header = ("Name", "Agency or council" if with_agency else "Organisation", "Role")
    rows = [(member.name, member.organisation, member.role.label) for member in review.members]
    found: list = [Table("The review team", header, tuple(rows[:TEAM_CAP]))]
    if len(rows) > TEAM_CAP:
        found.append(Paragraph(f"And {len(rows) - TEAM_CAP} more.", note=True))
    return tuple(found)


def kloe_sections(review, framework, text) -> list[Section]:
    return [_kloe(number, kloe, framework, text) for number, kloe in enumerate(review.kloes, start=1)]


def free_text(review) -> list[str]:
    """What people wrote, where a case reference may appear."""
    found = []
    for kloe in review.kloes:
        found += [kloe.question, *kloe.sub_questions]
        if kloe.finding:
            finding = kloe.finding
            found += [finding.strengths, finding.areas_for_development, finding.needs_to_improve]
    return found


# A visit Ofsted does not grade reports what works well and what to improve, in its words.
GRADED_HEADINGS = ("Strengths", "Areas for development")
UNGRADED_HEADINGS = ("What is working well", "Areas for improvement")


def _kloe(number: int, kloe, framework, text) -> Section:
    graded = kloe.review.has_grades
    working_well, to_develop = GRADED_HEADINGS if graded else UNGRADED_HEADINGS
    content: list = []
    if kloe.sub_questions:
        content.append(Bullets(tuple(capped([text(q) for q in kloe.sub_questions], 20))))
    finding = kloe.finding
    if not finding or finding.status is not FindingStatus.COMPLETE:
        content.append(Paragraph("No completed finding: this line of enquiry has not been explored yet."))
        return Section(text(f"{number}. {kloe.question}"), tuple(content))
    content.append(Section(working_well, (Paragraph(text(finding.strengths or "None recorded.")),)))
    content.append(Section(to_develop, (Paragraph(text(finding.areas_for_development or "None recorded.")),)))
    if finding.needs_to_improve:
        content.append(Section("What needs to improve", (Paragraph(text(finding.needs_to_improve)),)))
    if graded:
        points_to = framework.grade(finding.grade).label if finding.grade else "not graded"
        content.append(Paragraph(f"Points to: {points_to}; {finding.confidence.value} confidence.", note=True))
    else:
        content.append(Paragraph(f"{finding.confidence.value.capitalize()} confidence.", note=True))
    return Section(text(f"{number}. {kloe.question}"), tuple(content))


def file_name(review) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", review.title.lower()).strip("-")[:60] or "review"
    return f"{slug}-report"
