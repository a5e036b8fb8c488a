"""The leadership team's daily summary of an inspection as a document (inspect_ready/documents):
what the summary page says, for the Word and the PDF download. Referred-back children appear
by case reference, so a summary naming any is OFFICIAL-SENSITIVE."""

from __future__ import annotations

from councils import clock
from evidence.inspection_workspace import summary
from inspect_ready.documents.model import CaseReference, Document, Paragraph, Section, Table
from inspect_ready.pages import govuk_date

# Lists in the document are bounded like the page's: the rest are counted.
LISTED = 30


def _day_row(day: summary.DaySummary) -> tuple[str, ...]:
    if day.to_come:
        return (f"Day {day.number}, {govuk_date(day.day)}", "To come", "", "", "", "", "", "")
    return (
        f"Day {day.number}, {govuk_date(day.day)}",
        str(day.requests_asked),
        str(day.requests_sent),
        str(day.requests_overdue),
        str(day.referred_open),
        str(day.referred_resolved),
        str(day.checklist_done),
        str(day.checklist_outstanding),
    )


HEADER = (
    "Day",
    "Requests asked",
    "Requests sent",
    "Requests overdue",
    "Referred children open",
    "Referred children resolved",
    "Checklist done",
    "Checklist outstanding",
)


def _more(count: int) -> list:
    return [Paragraph(f"And {count - LISTED} more.", note=True)] if count > LISTED else []


def document(notice, council: str, days: list[summary.DaySummary], chosen: summary.DaySummary) -> Document:
    asked = summary.requests_asked_on(notice, chosen.day)
    overdue = summary.requests_overdue_on(notice, chosen.day)
    referred = summary.referred_open_on(notice, chosen.day)
    day_words = f"day {chosen.number}, {govuk_date(chosen.day)}"
    return Document(
        title=f"{notice.kind.label}, {govuk_date(notice.first_day)}",
        subtitle=f"Daily summary for the leadership team: {day_words}",
        council=council,
        made_on=clock.today(),
        kind_of_document="daily summary",
        content=(
            Paragraph(
                f"Ofsted called on {govuk_date(notice.called_on)}; lead inspector {notice.lead_inspector}. "
                f"Figures are as they stood at the end of each day."
            ),
            Table("Each day on site", HEADER, tuple(_day_row(day) for day in days)),
            Section(
                f"Requests asked on {day_words}",
                (
                    Table(
                        "Requests asked",
                        ("What was asked for", "Inspector", "Owner", "Due", "Status"),
                        tuple(
                            (r.what, r.asked_by, r.owner.name, govuk_date(r.due_date), r.status.label)
                            for r in asked[:LISTED]
                        ),
                    )
                    if asked
                    else Paragraph("None."),
                    *_more(len(asked)),
                ),
            ),
            Section(
                f"Requests overdue at the end of {day_words}",
                (
                    Table(
                        "Requests overdue",
                        ("What was asked for", "Inspector", "Owner", "Due"),
                        tuple((r.what, r.asked_by, r.owner.name, govuk_date(r.due_date)) for r in overdue[:LISTED]),
                    )
                    if overdue
                    else Paragraph("None."),
                    *_more(len(overdue)),
                ),
            ),
            Section(
                "Referred-back children still open",
                (
                    Table(
                        "Referred-back children",
                        ("Case", "What inspectors raised", "Owner", "Referred back"),
                        tuple(
                            ((CaseReference(c.case_reference),), c.raised, c.owner.name, govuk_date(c.raised_on))
                            for c in referred[:LISTED]
                        ),
                    )
                    if referred
                    else Paragraph("None."),
                    *_more(len(referred)),
                ),
            ),
        ),
    )
