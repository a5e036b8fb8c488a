"""A test client that checks every HTML page it fetches, as notifications-admin's does.

After each request the database session must hold no uncommitted change. Each page must be valid HTML5, have a non-empty title, use each id once, give every form
an action, show no escaped markup as text, and show no framework's ids (a judgement, criterion, line of enquiry, grade
or framework id such as "hp.risk") or case type codes in its text: people read names. htmx fragments are checked as fragments. A page that fails stops the test
where it was fetched, whatever the test was about.
"""

from __future__ import annotations

import re
from collections import Counter

import html5lib
from flask.testing import FlaskClient
from html5lib.html5parser import ParseError

from councils.db import db
from evidence.case_audits.models import CaseType
from judgement_framework import list_frameworks, load_framework

XHTML = "{http://www.w3.org/1999/xhtml}"


class PageCheckFailed(AssertionError):
    pass


# Markup that was escaped twice shows to the user as text, like "<a href=...>".
DOUBLE_ESCAPED = re.compile(r"&lt;/?(a|strong|span|code|p|br|ul|li)[\s&>]")


def _codes() -> frozenset[str]:
    """Ids people must never read: those with a dot, underscore or hyphen (a plain word such as
    "leaders" or "good" reads as itself)."""
    found = {c.value for c in CaseType}
    for summary in list_frameworks():
        framework = load_framework(summary.id)
        found.add(framework.id)
        found.update(g.id for g in framework.grades)
        for area in framework.areas:
            found.add(area.id)
            found.update(c.id for c in area.criteria)
            found.update(k.id for k in area.kloes)
    return frozenset(code for code in found if re.search(r"[._-]", code))


CODES = _codes()
CODE = re.compile(r"(?<![\w.@/-])[a-z][a-z0-9]*(?:[._-][a-z0-9]+)+(?![\w@/-]|\.\w)")
# A <code> element holds what a person types into a file (an import's column values), so a
# code may be shown there; nowhere else.
NOT_READ = {f"{XHTML}script", f"{XHTML}style", f"{XHTML}textarea", f"{XHTML}code"}


def codes_shown(tree) -> list[str]:
    """The ids and codes in the page's visible text (not in attributes, scripts or what a person typed)."""
    shown = []

    def walk(element, hidden):
        hidden = hidden or element.tag in NOT_READ
        if not hidden:
            shown.extend(m for m in CODE.findall(element.text or "") if m in CODES)
        for child in element:
            walk(child, hidden)
            if not hidden:
                shown.extend(m for m in CODE.findall(child.tail or "") if m in CODES)

    walk(tree, False)
    return shown


def check_page(body: str, *, fragment: bool, where: str) -> None:
    shown_as_text = DOUBLE_ESCAPED.search(body)
    if shown_as_text:
        raise PageCheckFailed(
            f"{where}: HTML shows as text: ...{body[shown_as_text.start() - 40 : shown_as_text.end() + 40]}..."
        )
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        tree = parser.parseFragment(body) if fragment else parser.parse(body)
    except ParseError as error:
        line, col = parser.errors[-1][0] if parser.errors else ("?", "?")
        raise PageCheckFailed(f"{where}: invalid HTML at line {line}, column {col}: {error}") from None
    if not fragment:
        title = tree.find(f".//{XHTML}title")
        if title is None or not (title.text or "").strip():
            raise PageCheckFailed(f"{where}: the page has no title")
    ids = Counter(element.get("id") for element in tree.iter() if element.get("id"))
    repeated = sorted(id_ for id_, count in ids.items() if count > 1)
    if repeated:
        raise PageCheckFailed(f"{where}: ids used more than once: {', '.join(repeated)}")
    for form in tree.iter(f"{XHTML}form"):
        if not form.get("action"):
            raise PageCheckFailed(f"{where}: a form has no action")
    codes = codes_shown(tree)
    if codes:
        raise PageCheckFailed(f"{where}: the page shows ids or codes, not names: {', '.join(sorted(set(codes)))}")


class SessionLeftDirty(AssertionError):
    pass


def check_session_clean(where: str) -> None:
    """A request commits or rolls back everything it changed (inspect_ready/transactions.py):
    anything still pending afterwards would be lost, or saved by whatever runs next."""
    session = db.session
    pending = [*session.new, *session.dirty, *session.deleted]
    if pending:
        raise SessionLeftDirty(f"{where}: left uncommitted changes to {sorted({type(o).__name__ for o in pending})}")


class CheckedClient(FlaskClient):
    def open(self, *args, **kwargs):
        # A fresh app context per request, as in production: otherwise the request would
        # reuse the test's context and its `g` (and Flask-Login's cached user) with it.
        with self.application.app_context():
            response = super().open(*args, **kwargs)
            check_session_clean(f"{response.request.method} {response.request.path}")
        if response.mimetype == "text/html" and response.status_code != 304:
            request = response.request
            check_page(
                response.get_data(as_text=True),
                fragment=request.headers.get("HX-Request") == "true",
                where=f"{request.method} {request.path} ({response.status_code})",
            )
        return response
