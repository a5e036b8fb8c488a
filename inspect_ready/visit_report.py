"""The report of a rehearsal of a visit Ofsted does not grade, as a document for the page and
the Word and PDF downloads: a focused visit's, a JTAI's (one multi-agency report, with the
cases audited jointly) and a monitoring visit's (progress on each recommendation). None
carries a grade. The parts every review's report has are review_report's."""

from __future__ import annotations

from councils import clock
from evidence.mock_inspections import case_references
from evidence.reviews.models import ReviewKind
from evidence.reviews.visit_themes import theme_title
from evidence.visits.models import CaseViewFrom
from inspect_ready import review_report
from inspect_ready.documents.model import CaseReference, Document, Paragraph, Section, with_case_references
from inspect_ready.pages import govuk_date

SUBTITLES = {
    ReviewKind.FOCUSED_VISIT_REHEARSAL: "Focused visit rehearsal report",
    ReviewKind.JTAI_REHEARSAL: "Multi-agency report",
    ReviewKind.MONITORING_VISIT_REHEARSAL: "Monitoring visit rehearsal report",
}


def document(review, framework, scope, *, joint_cases=(), recommendations=()) -> Document:
    """`joint_cases` (a JTAI's, evidence/visits/joint_audits.py) and `recommendations`
    (evidence/visits/recommendations.py, with their progress) are read by the view."""
    written = review_report.free_text(review)
    for joint_case in joint_cases:
        written += [
            joint_case.audit.comment,
            *(t for v in joint_case.views for t in (v.what_we_saw, v.what_to_improve)),
        ]
    for recommendation in recommendations:
        written += [recommendation.text, *(p.findings for p in recommendation.progress)]
    known = case_references.known_among(written) | {c.audit.case_reference for c in joint_cases}

    def text(value: str):
        return with_case_references(value, known)

    content: list = [review_report.opening(review, framework), _focus(review, scope)]
    content.append(Section("Team", review_report.team(review, with_agency=review.kind is ReviewKind.JTAI_REHEARSAL)))
    if review.kind is ReviewKind.MONITORING_VISIT_REHEARSAL:
        content.append(_recommendations(review, recommendations, text))
    content.extend(review_report.kloe_sections(review, framework, text))
    if review.kind is ReviewKind.JTAI_REHEARSAL:
        content.append(_joint_cases(joint_cases, text))
    return Document(
        title=review.title,
        subtitle=SUBTITLES.get(review.kind, "Review report"),
        council=review.council.name,
        made_on=clock.today(),
        kind_of_document="report",
        content=tuple(content),
    )


def _focus(review, scope) -> Section:
    judgements = Paragraph("Judgements looked at: " + "; ".join(area.title for area in scope) + ".")
    if review.kind is ReviewKind.MONITORING_VISIT_REHEARSAL:
        return Section("Focus", (Paragraph("Progress on the recommendations of the last inspection."), judgements))
    title = theme_title(review)
    focus = Paragraph(f"The inspectors' focus: {title}." if title else "No focus has been chosen yet.")
    return Section("Focus", (focus, judgements, Paragraph("Ofsted does not grade this kind of visit.", note=True)))


def _recommendations(review, recommendations, text) -> Section:
    if not recommendations:
        return Section("The last inspection's recommendations", (Paragraph("No recommendations are recorded."),))
    found = []
    for number, recommendation in enumerate(recommendations, start=1):
        record = next((p for p in recommendation.progress if p.review_id == review.id), None)
        if record is None:
            body = (Paragraph("This visit has recorded no finding on this recommendation."),)
        else:
            body = (Paragraph(f"Progress: {record.progress.label}."), Paragraph(text(record.findings)))
        found.append(Section(text(f"{number}. {recommendation.text}"), body))
    return Section("The last inspection's recommendations", tuple(found))


def _joint_cases(joint_cases, text) -> Section:
    if not joint_cases:
        return Section("Cases audited jointly", (Paragraph("No cases have been audited jointly yet."),))
    found = []
    for joint_case in joint_cases:
        audit = joint_case.audit
        views = []
        for agency in CaseViewFrom:
            view = next((v for v in joint_case.views if v.agency is agency), None)
            if view is not None:
                said = [text(view.what_we_saw)]
                if view.what_to_improve:
                    said.append(("To improve: ", *_parts(text(view.what_to_improve))))
                views.append(Section(agency.label, tuple(Paragraph(t) for t in said)))
        if not views:
            views.append(Paragraph("No agency has recorded its view yet."))
        heading = (CaseReference(audit.case_reference), f": {audit.case_type.label}, {audit.team}")
        audited = Paragraph(f"The council's case audit, {govuk_date(audit.audit_date)}.", note=True)
        found.append(Section(heading, (audited, *views)))
    return Section("Cases audited jointly", tuple(found))


def _parts(value) -> tuple:
    return (value,) if isinstance(value, str) else tuple(value)
