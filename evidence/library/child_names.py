"""A check, before saving, for text that seems to name a child: a name written with an age or
a date of birth ("Jayden Smith (age 9) told me..."). Reviewers' notes and observations become
the council's evidence, which many people read; a child is written of by initials or the case
reference, never by name. The check can only warn: a name is not always a name, so the person
decides, and it never stops a save they confirm.
"""

from __future__ import annotations

import re

# Capitalised words a sentence uses for a child without naming one.
NOT_NAMES = {
    "a",
    "an",
    "i",
    "the",
    "child",
    "children",
    "boy",
    "girl",
    "baby",
    "sibling",
    "siblings",
    "young",
    "person",
    "people",
    "mother",
    "father",
    "mum",
    "dad",
    "carer",
    "carers",
    "parent",
    "parents",
    "sister",
    "brother",
    "he",
    "she",
    "they",
    "year",
    "aged",
    "age",
    "born",
    "case",
    "cases",
    "team",
    "teams",
    "group",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "in",
    "on",
    "at",
    "for",
    "by",
    "with",
    "to",
    "from",
    "of",
    "and",
    "but",
    "or",
    "when",
    "after",
    "before",
    "during",
    "since",
    "all",
    "some",
    "most",
    "only",
    "both",
    "each",
    "every",
    "this",
    "that",
    "these",
    "those",
    "our",
    "their",
}

_WORD = r"[A-Z][a-z]*(?:['’-][A-Z]?[a-z]+)*"  # Smith, O'Neill, Smith-Jones
_NAME = rf"(?P<name>{_WORD}(?:\s+{_WORD}){{0,2}})"
_AGE = (
    r"(?:\(\s*(?:aged?\s*:?\s*)?\d{1,2}\s*(?:years?|yrs?)?\s*\)"  # (9), (age 9), (aged 9 years)
    r"|,?\s+aged?\s*:?\s*\d{1,2}\b"  # , aged 9
    r"|,?\s+\d{1,2}[\s-]*(?:years?|yrs?)[\s-]*old\b"  # , 9 years old
    r"|,?\s*\(?\s*(?:DOB|D\.O\.B\.?|date of birth|born(?: on)?)\s*:?\s*\d)"  # DOB 03/04/2015
)
_NAMED_CHILD = re.compile(rf"\b{_NAME}\s*{_AGE}")
_AGE_FIRST = re.compile(rf"\b\d{{1,2}}[\s-]*(?:years?|yrs?)[\s-]*old\s+(?P<name>{_WORD}(?:\s+{_WORD}){{0,2}})")


def named_child(text: str | None) -> str | None:
    """The words that look like a child's name written with an age or date of birth, or None."""
    if not text:
        return None
    for pattern in (_NAMED_CHILD, _AGE_FIRST):
        for match in pattern.finditer(text):
            words = match.group("name").split()
            # Initials ("J (age 9)") are how a child should be written of.
            names = [w for w in words if w.lower() not in NOT_NAMES and len(w) > 1]
            if names:
                return " ".join(names)
    return None
