"""Record ids that arrive as text (query strings, form fields, session cookies)."""

from __future__ import annotations

from councils.storable import MAX_INTEGER

# Anything larger is no record, and asking the database for it would be refused as out of range.
MAX_ID = MAX_INTEGER


def record_id(text) -> int | None:
    """The id the text names, or None. Only ASCII digits count: str.isdigit() also accepts
    characters like "²" that int() refuses, which would turn a typo into a server error."""
    text = str(text if text is not None else "").strip()
    if not text or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if value <= MAX_ID else None
