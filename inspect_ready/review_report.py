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
    known = case_references.known_among(_free_text(review))

    def text(value: str):
        return with_case_references(value, known)

    opening = Paragraph(
        f"{review.kind.label} of {review.council.name}, {govuk_date(review.starts_on)} to "
        f"{govuk_date(review.ends_on)}. Framework: {framework.title}."
    )
    team_rows = [(member.name, member.organisation, member.role.label) for member in review.members]
    team: list = [Table("The review team", ("Name", "Organisation", "Role"), tuple(team_rows[:TEAM_CAP]))]
    if len(team_rows) > TEAM_CAP:
        team.append(Paragraph(f"And {len(team_rows) - TEAM_CAP} more.", note=True))
    return Document(
        title=review.title,
        subtitle="Review report",
        council=review.council.name,
        made_on=clock.today(),
        kind_of_document="report",
        content=(
            opening,
            Section("Judgements in scope", (Bullets(tuple(area.title for area in scope)),)),
            Section("Team", tuple(team)),
            *(_kloe(number, kloe, framework, text) for number, kloe in enumerate(review.kloes, start=1)),
        ),
    )


def _free_text(review) -> list[str]:
    """What people wrote, where a case reference may appear."""
    found = []
    for kloe in review.kloes:
        found += [kloe.question, *kloe.sub_questions]
        if kloe.finding:
            finding = kloe.finding
            found += [finding.strengths, finding.areas_for_development, finding.needs_to_improve]
    return found


def _kloe(number: int, kloe, framework, text) -> Section:
    content: list = []
    if kloe.sub_questions:
        content.append(Bullets(tuple(capped([text(q) for q in kloe.sub_questions], 20))))
    finding = kloe.finding
    if not finding or finding.status is not FindingStatus.COMPLETE:
        content.append(Paragraph("No completed finding: this line of enquiry has not been explored yet."))
        return Section(text(f"{number}. {kloe.question}"), tuple(content))
    content.append(Section("Strengths", (Paragraph(text(finding.strengths or "None recorded.")),)))
    content.append(
        Section("Areas for development", (Paragraph(text(finding.areas_for_development or "None recorded.")),))
    )
    if finding.needs_to_improve:
        content.append(Section("What needs to improve", (Paragraph(text(finding.needs_to_improve)),)))
    points_to = framework.grade(finding.grade).label if finding.grade else "not graded"
    content.append(Paragraph(f"Points to: {points_to}; {finding.confidence.value} confidence.", note=True))
    return Section(text(f"{number}. {kloe.question}"), tuple(content))


def file_name(review) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", review.title.lower()).strip("-")[:60] or "review"
    return f"{slug}-report"
