"""A mock inspection's outcome as a document (inspect_ready/documents): what the outcome page
says, built once for both the Word and the PDF download. The lists come bounded from the
view (what needs to improve: capped with a count; the themes: the most pressing few)."""

from __future__ import annotations

from councils import clock
from evidence.mock_inspections import case_references
from inspect_ready.documents.model import Bullets, Document, Paragraph, Section, Table, parts, with_case_references
from inspect_ready.pages import govuk_date


def document(review, result, improve: dict[str, dict], top_themes, theme_count: int) -> Document:
    framework = result.framework
    overall = result.final.overall
    known = case_references.known_among(_free_text(result, improve, top_themes))

    def text(value: str):
        return with_case_references(value, known)

    def grade(grade_id, empty="Not graded") -> str:
        return framework.grade(grade_id).label if grade_id else empty

    areas = [area for area in framework.areas if area.kind != "overall"]
    rows = [(area.title, grade(result.final_grade(area.id))) for area in areas]
    if overall:
        rows.append(("Overall effectiveness", grade(overall.final_grade)))
    content: list = [
        Paragraph(f"{framework.title}. {govuk_date(review.starts_on)} to {govuk_date(review.ends_on)}."),
        Section("Judgements and grades", (Table("", ("Judgement", "Grade"), tuple(rows)),)),
    ]
    if overall:
        content.append(Section("How overall effectiveness was reached", tuple(_overall(result, grade, text))))
    each = []
    for area in areas:
        blocks: list = []
        if result.moderated.get(area.id):
            blocks.append(Paragraph(text(result.moderated[area.id].rationale)))
        if improve.get(area.id):
            lines = improve[area.id]
            blocks.append(Paragraph("What needs to improve"))
            blocks.append(Bullets(tuple(text(item) for item in lines["items"])))
            if lines["more"]:
                blocks.append(Paragraph(lines["more_text"], note=True))
        each.append(Section(f"{area.title}: {grade(result.final_grade(area.id)).lower()}", tuple(blocks)))
    content.append(Section("Each judgement", tuple(each)))
    content.append(Section("What to fix first", tuple(_fix_first(top_themes, theme_count, text))))
    recorded = review.status.value in ("reported", "closed")
    return Document(
        title=review.title,
        subtitle="Mock inspection outcome, recorded" if recorded else "Mock inspection outcome",
        council=review.council.name,
        made_on=clock.today(),
        kind_of_document="outcome report",
        content=tuple(content),
    )


def _free_text(result, improve, top_themes) -> list[str]:
    """What people wrote, and the themes' words, where a case reference may appear."""
    found = [moderated.rationale for moderated in result.moderated.values()]
    found += [item for lines in improve.values() for item in lines["items"]]
    found += [theme.title for theme in top_themes]
    if result.final.overall:
        found += [rule.set_aside_reason or "" for rule in result.final.overall.rules]
    return found


def _overall(result, grade, text) -> list:
    framework, overall = result.framework, result.final.overall
    blocks = [
        Paragraph(
            f"The best fit of the judgements that feed it is {grade(overall.indicative_grade).lower()}"
            + (f"; the lead's grade is {grade(overall.moderator_grade).lower()}" if overall.moderator_grade else "")
            + "."
        )
    ]
    final = grade(overall.final_grade).lower()
    for rule in overall.rules:
        if rule.effect == "limited":
            triggers = " and ".join(framework.area_by_id[area_id].title.lower() for area_id in rule.triggered_by)
            verb = "is" if len(rule.triggered_by) == 1 else "are"
            graded = grade(result.final_grade(rule.triggered_by[0])).lower()
            always = " This rule always applies: it cannot be set aside." if rule.kind == "hard_limiter" else ""
            blocks.append(
                Paragraph(
                    f"Overall effectiveness is limited to {final}. {rule.why} Applied because {triggers} "
                    f"{verb} graded {graded}.{always}"
                )
            )
        elif rule.effect == "set_aside":
            blocks.append(
                Paragraph(
                    ("A presumption was set aside. ", rule.why, " The reason recorded: ")
                    + parts(text(rule.set_aside_reason or ""))
                )
            )
        elif rule.effect == "raised":
            blocks.append(Paragraph(f"Overall effectiveness was raised to {final}. {rule.why}"))
    return blocks


def _fix_first(top_themes, theme_count: int, text) -> list:
    if not top_themes:
        return [Paragraph("No gaps.")]
    plural = "s" if theme_count != 1 else ""
    items = []
    for theme in top_themes:
        gaps = len(theme.gaps)
        breadth = ""
        if theme.cases:
            cases, teams = len(theme.cases), len(theme.teams)
            breadth = f", {cases} case{'s' if cases != 1 else ''} in {teams} team{'s' if teams != 1 else ''}"
        action = "has an action" if theme.has_action else "no action yet"
        items.append(
            (f"{theme.area_title}: ",)
            + parts(text(theme.title.rstrip(".")))  # a theme's title may end a sentence itself
            + (f". {theme.severity.capitalize()}; {gaps} gap{'s' if gaps != 1 else ''}{breadth}; {action}.",)
        )
    return [
        Paragraph(
            f"The {len(top_themes)} most pressing of {theme_count} theme{plural} in the gaps: the most serious, "
            "then the widest, then the most recent."
        ),
        Bullets(tuple(items), numbered=True),
    ]
