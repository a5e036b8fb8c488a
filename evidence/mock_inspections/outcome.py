"""What a mock inspection's outcome says, whichever way it is read: the page, its PDF and its
Word document all take their words from `outcome_content`, so each shows the same bounded lists.

A large council's gaps run to thousands, so no list of the outcome grows with them: each
judgement's "what needs to improve" shows its first IMPROVE_CAP lines, then a count of the
rest ("And 1,460 more: see the gap list."), and "what to fix first" the TOP most pressing
themes of however many there are. The gap list (paged) and its downloads hold every gap.
"""

from __future__ import annotations

from evidence.reviews import setup
from evidence.reviews.models import Review
from evidence.themes import TOP, Theme

# What needs to improve, per judgement: the reviewers' own findings first, then the most
# pressing themes of the gaps, up to this many lines, with a count of the rest.
IMPROVE_CAP = 6


def outcome_content(review: Review, themes: list[Theme]) -> dict:
    """The outcome's lists, capped: `improve` per judgement, the top themes and how many
    themes there are. `themes` are the mock inspection's, ranked."""
    return {
        "improve": what_needs_to_improve(review, themes),
        "top_themes": themes[:TOP],
        "theme_count": len(themes),
    }


def what_needs_to_improve(review: Review, themes: list[Theme]) -> dict[str, dict]:
    """Per judgement: the findings' 'needs to improve', then its themes not of low severity,
    at most IMPROVE_CAP lines, with how many more and the words that say so."""
    lines: dict[str, list[str]] = {}
    for kloe in setup.kloes_with_findings(review):
        if kloe.finding and kloe.finding.needs_to_improve.strip():
            for area_id in kloe.area_ids:
                lines.setdefault(area_id, []).append(kloe.finding.needs_to_improve.strip())
    for theme in themes:
        if theme.severity != "low":
            lines.setdefault(theme.area_id, []).append(theme_line(theme))
    return {area_id: capped(items, IMPROVE_CAP) for area_id, items in lines.items()}


def capped(items: list[str], cap: int) -> dict:
    more = max(0, len(items) - cap)
    return {"items": items[:cap], "more": more, "more_text": f"And {more:,} more: see the gap list." if more else ""}


def theme_line(theme: Theme) -> str:
    breadth = f", {len(theme.cases)} cases in {len(theme.teams)} teams" if theme.cases else ""
    return f"{theme.title} ({len(theme.gaps)} gap{'s' if len(theme.gaps) != 1 else ''}{breadth})"
