"""The annual engagement meeting's pack as a document (inspect_ready/documents): one section
for each thing the meeting with Ofsted goes through, each built by a plain function from plain
data (evidence/engagement_meeting/pack.py gathers it), so the page, the Word file and the PDF
say the same and each section is tested without a database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

from evidence.engagement_meeting.pack import AuditYear, Changes, IndicatorLine, PackFacts, PlanProgress
from inspect_ready.documents.model import Bullets, Document, Paragraph, Section, Table, with_case_references
from inspect_ready.pages import govuk_date

TITLE = "Annual engagement meeting"


def document(facts: PackFacts, made_on: dt.date) -> Document:
    known = facts.case_references
    opening = (
        f"For the annual engagement meeting with Ofsted on {govuk_date(facts.meeting_date)}. "
        f"Figures as they stood on {govuk_date(facts.as_of)}, beside those of {govuk_date(facts.year_before)}, "
        f"against {facts.framework}."
    )
    return Document(
        title=TITLE,
        subtitle=f"Pack for the meeting on {govuk_date(facts.meeting_date)}",
        council=facts.council,
        made_on=made_on,
        kind_of_document="pack",
        content=(
            Paragraph(opening),
            self_evaluation_section(facts.self_evaluation, known),
            indicators_section(facts.indicators, facts.indicator_count),
            audit_themes_section(facts.audits),
            recommendations_section(facts.recommendations, known),
            plan_section(facts.plan, known),
            changes_section(facts.changes, facts.year_before, facts.as_of),
        ),
    )


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


def self_evaluation_section(rows: Sequence[tuple[str, str, str]], known: Collection[str] = ()) -> Section:
    """Each judgement's self-evaluation summary: (judgement title, status in words, summary)."""
    heading = "Self-evaluation summary"
    if not rows:
        return Section(heading, (Paragraph("No self-evaluation has been recorded yet for this year."),))
    return Section(
        heading,
        tuple(
            Section(
                title,
                (
                    Paragraph(f"Status: {status.lower()}.", note=True),
                    Paragraph(with_case_references(summary, known) if summary else "No summary written yet."),
                ),
            )
            for title, status, summary in rows
        ),
    )


def indicators_section(lines: Sequence[IndicatorLine], total: int | None = None) -> Section:
    """Each indicator's latest figure against its target and England, beside a year before."""
    heading = "Indicators against England and last year"
    total = len(lines) if total is None else total
    if not lines:
        return Section(heading, (Paragraph("No indicators have figures yet."),))
    rows = tuple(
        (line.name, line.now, line.year_before, line.against_target, line.against_england, line.over_the_year)
        for line in lines
    )
    content: list = [
        Table(
            "",
            ("Indicator", "Latest", "A year before", "Against target", "Against England", "Over the year"),
            rows,
        )
    ]
    if total > len(lines):
        content.append(Paragraph(f"And {_plural(total - len(lines), 'more indicator')}.", note=True))
    return Section(heading, tuple(content))


def audit_themes_section(audits: AuditYear) -> Section:
    """What the year's case audits found, and the themes of today's gaps."""
    content: list = []
    if audits.audits:
        share = round(100 * audits.good_or_better / audits.audits)
        content.append(
            Paragraph(
                f"{_plural(audits.audits, 'case audit')} in the year: {audits.good_or_better} "
                f"({share}%) graded good or better."
            )
        )
    else:
        content.append(Paragraph("No case audits were done in the year."))
    if audits.weakest:
        content.append(
            Section(
                "Where practice most often fell short",
                (
                    Bullets(
                        tuple(
                            _below_good(question.text, f"below good in {question.weak} of {question.answered} audits.")
                            for question in audits.weakest
                        )
                    ),
                ),
            )
        )
    if audits.themes:
        items = tuple(
            f"{theme.judgement}: {theme.title.rstrip('.')}. {theme.severity.capitalize()}; "
            f"{_plural(theme.gaps, 'gap')}; {'has an action' if theme.has_action else 'no action yet'}."
            for theme in audits.themes
        )
        content.append(
            Section(
                "Themes in the gaps today",
                (
                    Paragraph(
                        f"The {len(audits.themes)} most pressing of {_plural(audits.theme_count, 'theme')}: "
                        "the most serious, then the widest, then the most recent."
                    ),
                    Bullets(items, numbered=True),
                ),
            )
        )
    else:
        content.append(
            Section("Themes in the gaps today", (Paragraph("No gaps: the evidence covers every criterion."),))
        )
    return Section("Audit themes", tuple(content))


def _below_good(question: str, count: str) -> str:
    """A question and its count as one line: a question that ends its own sentence starts the next."""
    if question.rstrip().endswith(("?", ".")):
        return f"{question.rstrip()} {count[0].upper()}{count[1:]}"
    return f"{question}: {count}"


def recommendations_section(rows: Sequence[tuple[str, str, dt.date | None]], known: Collection[str] = ()) -> Section:
    """The last inspection's recommendations: (recommendation, latest progress in words, its date)."""
    heading = "Progress on the last inspection's recommendations"
    if not rows:
        return Section(heading, (Paragraph("No recommendations from the last inspection have been recorded yet."),))
    table = tuple(
        (
            with_case_references(recommendation, known),
            with_case_references(progress, known) if progress else "No progress recorded yet",
            govuk_date(day) if day else "",
        )
        for recommendation, progress, day in rows
    )
    return Section(heading, (Table("", ("Recommendation", "Latest progress", "Date"), table),))


def plan_section(plan: PlanProgress, known: Collection[str] = ()) -> Section:
    """The improvement plan: actions by status, those overdue and those done in the year."""
    heading = "The improvement plan"
    total = sum(count for _, count in plan.by_status)
    if not total:
        return Section(heading, (Paragraph("The action plan has no actions yet."),))
    counts = "; ".join(f"{status.lower()} {count}" for status, count in plan.by_status)
    content: list = [Paragraph(f"{_plural(total, 'action')} in the plan as it stands: {counts}.")]

    def listed(title: str, lines, count: int, day_words: str, none: str) -> Section:
        if not lines:
            return Section(title, (Paragraph(none),))
        items = tuple(
            (f"{line.owner}, {day_words} {govuk_date(line.day)}: ",) + _parts(with_case_references(line.what, known))
            for line in lines
        )
        blocks: list = [Bullets(items)]
        if count > len(lines):
            blocks.append(Paragraph(f"And {count - len(lines)} more.", note=True))
        return Section(f"{title} ({count})", tuple(blocks))

    content.append(listed("Overdue", plan.overdue, plan.overdue_count, "due", "No action is overdue."))
    content.append(listed("Done in the year", plan.done, plan.done_count, "done", "No action was done in the year."))
    return Section(heading, tuple(content))


def _parts(text) -> tuple:
    return (text,) if isinstance(text, str) else text


def changes_section(changes: Changes, then: dt.date, now: dt.date) -> Section:
    """Each judgement's evidence-based grade a year ago and now, and the gaps closed and opened."""
    rows = tuple((row.judgement, row.then, row.now) for row in changes.judgements)
    gaps = (
        f"{_plural(changes.gaps_then, 'gap')} on {govuk_date(then)}, {changes.gaps_now} on {govuk_date(now)}: "
        f"{changes.closed} closed and {changes.opened} opened since."
    )
    return Section(
        "What changed since last year",
        (
            Paragraph(
                "The grade the evidence gives each judgement on each day: indicative, from the evidence dated by "
                "that day as the council holds it now, not a grade any inspector has given."
            ),
            Table("", ("Judgement", f"On {govuk_date(then)}", f"On {govuk_date(now)}"), rows),
            Paragraph(gaps),
        ),
    )
