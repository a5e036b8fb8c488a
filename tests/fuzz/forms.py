"""The forms of the app as a browser sees them: every <form method="post"> on every page
each role may visit, with its fields, their kinds and the values the page offers."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from sqlalchemy import func, select

from councils.db import db

# Refusals are written to the audit log on purpose and sign-in failures are counted: neither
# is a change to the council's records (as tests/integration/test_write_path.py). Nor is the
# standing a page keeps for the next (councils/standing_cache.py): a cache.
NOT_RECORDS = {"audit_event", "failed_sign_in", "standing_cache"}


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, choice, checkbox, date, file, hidden, password
    values: list[str] = field(default_factory=list)  # the page's own value(s) or options
    accept: str = ""
    parts: int = 1  # a GOV.UK date has three boxes of one name


@dataclass
class FoundForm:
    action: str
    fields: dict[str, Field]
    multipart: bool


def forms_on(html: str, page_path: str) -> list[FoundForm]:
    soup = BeautifulSoup(html, "html5lib")
    found = []
    for form in soup.select("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        action = urlsplit(form.get("action") or page_path).path or page_path
        fields: dict[str, Field] = {}
        for element in form.select("input, select, textarea, button"):
            name = element.get("name")
            if not name or name == "csrf_token":
                continue
            tag = element.name
            kind = (element.get("type") or "text").lower() if tag == "input" else tag
            value = element.get("value") or ""
            if tag == "button" or kind == "submit":
                fields.setdefault(name, Field(name, "hidden", [value]))
                continue
            if tag == "select":
                options = [o.get("value", o.text) for o in element.select("option")]
                fields[name] = Field(name, "choice", options)
            elif kind in ("radio", "checkbox"):
                existing = fields.setdefault(name, Field(name, "choice" if kind == "radio" else "checkbox"))
                existing.values.append(value)
            elif kind == "file":
                fields[name] = Field(name, "file", accept=element.get("accept") or "")
            elif name in fields and fields[name].kind in ("text", "date"):
                fields[name].kind = "date"  # three boxes of one name: the GOV.UK date input
                fields[name].parts += 1
                fields[name].values.append(value)
            else:
                text_kind = "textarea" if tag == "textarea" else ("hidden" if kind == "hidden" else "text")
                fields[name] = Field(name, text_kind, [element.text if tag == "textarea" else value])
        found.append(FoundForm(action, fields, form.get("enctype") == "multipart/form-data"))
    return found


def table_counts() -> dict[str, int]:
    """How many rows each table holds, in one query (the tenancy filter sees only ORM queries)."""
    tables = [t for t in db.metadata.sorted_tables if t.name not in NOT_RECORDS]
    counts = db.session.execute(select(*[select(func.count()).select_from(t).scalar_subquery() for t in tables])).one()
    return dict(zip([t.name for t in tables], counts, strict=True))


def refused(response) -> bool:
    """The app said no: an error status, or the form shown again with its error summary."""
    if response.status_code >= 400:
        return True
    return response.status_code == 200 and b"govuk-error-summary" in response.data
