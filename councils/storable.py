"""What a column can store. Text: no character PostgreSQL or an XLSX export refuses, and no
longer than the column; numbers: no larger than an integer column. One check for every way text arrives (a form, an imported file), so a
row that passes the preview cannot fail at the commit.
"""

from __future__ import annotations

import re

from councils.errors import InputError

# The largest number an integer column holds (ids, counts: INTEGER on PostgreSQL, 32 bits).
MAX_INTEGER = 2**31 - 1

# C0 controls but tab, LF and CR; DEL; the C1 controls. PostgreSQL refuses NUL in text and
# XML (so XLSX) has no place for the others; no person types them.
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def unstorable(text: str) -> bool:
    return bool(UNSTORABLE.search(text))


def column_length(model, name: str) -> int | None:
    """The most characters the model's column holds; None for unbounded text."""
    return getattr(model.__table__.columns[name].type, "length", None)


def check_text(
    model, name: str, value: str | None, label: str, *, field: str | None = None, error: type[InputError] = InputError
) -> None:
    """Refuse text the model's column `name` cannot store, in words naming the field, with
    the caller's own kind of InputError (so its handler catches it)."""
    if not value:
        return
    if unstorable(value):
        raise error(f"{label} has a hidden control character in it; type it again", field or name)
    limit = column_length(model, name)
    if limit is not None and len(value) > limit:
        raise error(f"{label} must be {limit} characters or fewer", field or name)
