"""No page, document or query grows with the council: lists are paged, the outcome's lists
are capped with a count, downloads are streamed, and the actions of many gaps are one
statement of a few parameters."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from sqlalchemy import select

from councils import audit_log
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.action_plan import actions
from evidence.action_plan.models import Action, ActionStatus
from evidence.mock_inspections import outcome
from evidence.reviews.models import Review, ReviewKind
from inspect_ready.documents import download, pdf
from inspect_ready.exports import GAP_HEADER
from judgement_framework import load_framework
from tests.support.factories import make_council, make_user
from tests.support.pages import card_titles, page_text, text
from tests.support.queries import counted_queries

TODAY = dt.date.today()
# A new council has no evidence: every criterion of its framework is a gap, each its own theme.
FRAMEWORK = load_framework("ilacs-2026")
CRITERIA = [c for area in FRAMEWORK.areas for c in area.criteria]
THEME_PAGES = -(-len(CRITERIA) // 10)


@pytest.fixture()
def leader(client_request):
    council = make_council()
    person = make_user(council, Role.SENIOR_LEADER)
    db.session.commit()
    client_request.sign_in(person)
    return person


def test_the_gap_list_pages_first_middle_and_last_and_any_page_number_shows_a_page(client_request, leader):
    assert THEME_PAGES >= 3
    seen = []
    for number in range(1, THEME_PAGES + 1):
        page = client_request.get("gaps.index", page=number)
        assert f"{len(CRITERIA)} themes, {len(CRITERIA)} gaps: page {number} of {THEME_PAGES}" in page_text(page)
        seen.append(card_titles(page))
    assert [len(titles) for titles in seen] == [10] * (THEME_PAGES - 1) + [len(CRITERIA) - 10 * (THEME_PAGES - 1)]
    assert len({t for titles in seen for t in titles}) == len(CRITERIA)  # every theme once, none twice
    first, last = seen[0], seen[-1]
    # Not a page number, or none: the first page. Past the last (an old link): the last.
    for asked, shown, number in (
        ("0", first, 1),
        ("-1", first, 1),
        ("abc", first, 1),
        ("٣", first, 1),
        ("", first, 1),
        (str(THEME_PAGES + 1), last, THEME_PAGES),
        ("99999999999999999999", last, THEME_PAGES),
    ):
        page = client_request.get("gaps.index", page=asked)
        assert card_titles(page) == shown, asked
        assert f"page {number} of {THEME_PAGES}" in page_text(page), asked


def test_the_mock_inspections_gap_list_and_a_theme_page_take_any_page_number(client_request, leader):
    review = _mock_inspection(leader)
    pages = [client_request.get("mock_inspections.gaps", inspection_id=review.id, page=n) for n in (1, 2, 10**9, -5)]
    assert card_titles(pages[2]) != card_titles(pages[1]) and card_titles(pages[3]) == card_titles(pages[0])
    theme_link = pages[0].select_one(".govuk-summary-card__action a")["href"]
    for asked in ("0", "x", "1000000"):
        assert client_request.client.get(f"{theme_link}?page={asked}").status_code == 200


def test_the_audit_log_pages_and_any_page_number_shows_a_page(client_request):
    council = make_council()
    admin = make_user(council, Role.ADMINISTRATOR)
    for number in range(120):
        audit_log.record("evidence.create", "evidence_item", number, actor=admin, council_id=council.id)
    db.session.commit()
    client_request.sign_in(admin)
    total = len(
        db.session.scalars(select(audit_log.AuditEvent).where(audit_log.AuditEvent.council_id == council.id)).all()
    )
    pages = -(-total // 50)
    assert pages >= 3

    def shown(page) -> tuple[int, str]:
        current = page.select_one(".govuk-pagination__item--current")
        return len(page.select(".app-audit-entry")), text(current)

    expected = {n: (50 if n < pages else total - 50 * (pages - 1), str(n)) for n in range(1, pages + 1)}
    for number in (1, 2, pages):  # first, middle, last
        assert shown(client_request.get("admin.audit_log", page=number)) == expected[number]
    assert shown(client_request.get("admin.audit_log", page=10**6)) == expected[pages]
    for asked in ("0", "-1", "abc"):
        assert shown(client_request.get("admin.audit_log", page=asked)) == expected[1]


def _mock_inspection(lead) -> Review:
    review = Review(
        council_id=lead.council_id,
        kind=ReviewKind.MOCK_INSPECTION,
        title="Mock inspection, spring",
        framework_id=FRAMEWORK.id,
        scope_area_ids=[],
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=5),
        lead_id=lead.id,
    )
    db.session.add(review)
    db.session.commit()
    return review


def test_the_outcome_page_and_pdf_cap_what_needs_to_improve_with_a_count_of_the_rest(
    client_request, leader, monkeypatch
):
    review = _mock_inspection(leader)
    # What the gap list holds, read from its download: each judgement's themes not of low severity.
    export = client_request.get_response("mock_inspections.gaps_export", inspection_id=review.id, file_format="csv")
    header, *rows = csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff")))
    severities: dict[str, dict[str, set]] = {}
    for row in rows:
        severities.setdefault(row[4], {}).setdefault(row[1], set()).add(row[2])
    wanted = {area: sum(1 for s in themes.values() if s != {"Low"}) for area, themes in severities.items()}
    assert max(wanted.values()) > outcome.IMPROVE_CAP  # the cap is reached

    page = client_request.get("mock_inspections.outcome", inspection_id=review.id)
    documents = []
    # The PDF's HTML, from the same document model the Word file is made of.
    capture = (lambda document: documents.append(pdf.html(document)) or b"%PDF-1.7", pdf.MIME_TYPE)
    monkeypatch.setitem(download.FORMATS, "pdf", capture)
    client_request.get_response("mock_inspections.outcome_download", inspection_id=review.id, file_format="pdf")
    document = BeautifulSoup(documents[0], "html5lib")
    for shown in (page, document):
        for area in FRAMEWORK.areas:
            heading = next(h for h in shown.select("h3") if text(h).startswith(f"{area.title}:"))
            bullets = heading.find_next("ul").select("li")
            assert len(bullets) == min(wanted[area.title], outcome.IMPROVE_CAP)
            more = wanted[area.title] - outcome.IMPROVE_CAP
            following = text(heading.find_next("ul").find_next_sibling())
            if more > 0:
                assert following == f"And {more:,} more: see the gap list."
            else:
                assert not following.startswith("And ")


def test_a_count_past_a_thousand_reads_as_a_person_writes_it():
    lines = [f"Theme {n}" for n in range(1466)]
    capped = outcome.capped(lines, outcome.IMPROVE_CAP)
    assert capped["items"] == lines[:6] and capped["more"] == 1460
    assert capped["more_text"] == "And 1,460 more: see the gap list."
    assert outcome.capped(lines[:6], 6) == {"items": lines[:6], "more": 0, "more_text": ""}


def test_gap_downloads_are_streamed_and_hold_every_gap(client_request, leader):
    csv_response = client_request.get_response("gaps.export", file_format="csv")
    assert csv_response.is_streamed and csv_response.mimetype == "text/csv"
    assert csv_response.headers["Content-Disposition"] == f'attachment; filename="gap-list-{TODAY.isoformat()}.csv"'
    header, *rows = csv.reader(io.StringIO(csv_response.get_data(as_text=True).lstrip("\ufeff")))
    assert header == GAP_HEADER and len(rows) == len(CRITERIA)
    assert sorted(row[5] for row in rows) == sorted(c.prompt for c in CRITERIA)

    xlsx_response = client_request.get_response("gaps.export", file_format="xlsx")
    assert xlsx_response.is_streamed
    sheet = load_workbook(io.BytesIO(xlsx_response.get_data())).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == GAP_HEADER
    assert [list(row) for row in values[1:]] == [[int(row[0]), *row[1:]] for row in rows]


def test_the_audit_log_download_is_streamed_and_holds_every_entry(client_request):
    council = make_council()
    admin = make_user(council, Role.ADMINISTRATOR)
    for number in range(1200):  # more than one batch of the log, and more than one chunk of the file
        audit_log.record("evidence.create", "evidence_item", number, actor=admin, council_id=council.id)
    db.session.commit()
    client_request.sign_in(admin)
    response = client_request.get_response("admin.audit_log_export")
    assert response.is_streamed
    body = response.get_data(as_text=True)
    assert len(body) > 64 * 1024
    header, *rows = csv.reader(io.StringIO(body.lstrip("\ufeff")))
    assert header == ["When", "Who", "What", "Record", "What changed", "Detail"]
    whats = [row[2] for row in rows]
    assert whats.count("Evidence create") == 1200 and whats[0] == "Data downloaded"  # newest first


def test_a_streamed_download_holds_its_own_councils_rows_alone(client_request):
    """Flask tears the request down before a streamed body's first chunk: the rows must still
    be read as the signed-in council, never unscoped."""
    ours, theirs = make_council(), make_council()
    admin, other_admin = make_user(ours, Role.ADMINISTRATOR), make_user(theirs, Role.ADMINISTRATOR)
    audit_log.record("evidence.create", "evidence_item", 1, actor=admin, council_id=ours.id)
    for number in range(30):
        audit_log.record("evidence.delete", "evidence_item", number, actor=other_admin, council_id=theirs.id)
    db.session.commit()
    client_request.sign_in(admin)
    body = client_request.get_response("admin.audit_log_export").get_data(as_text=True)
    whats = [row[2] for row in csv.reader(io.StringIO(body.lstrip("\ufeff")))][1:]
    assert "Evidence create" in whats
    assert not any("delete" in what.lower() for what in whats)


def _actions_from_gaps(leader, gap_ids: list[str]) -> list[Action]:
    made = [
        Action(
            council_id=leader.council_id,
            what=f"Action for {gap_id}",
            owner_id=leader.id,
            due_date=TODAY + dt.timedelta(days=30),
            success_measure="Better",
            status=ActionStatus.NOT_STARTED,
            area_id="leaders",
            gap_id=gap_id,
            evidence_ids=[],
        )
        for gap_id in gap_ids
    ]
    db.session.add_all(made)
    db.session.commit()
    return made


@pytest.mark.parametrize("asked", [3, 1500])
def test_the_actions_of_many_gaps_are_one_statement_of_a_few_parameters(app, leader, asked):
    gap_ids = [f"gap-{n:05d}" for n in range(asked)]
    linked = gap_ids[:: max(1, asked // 3)][:3]  # three of the gaps asked about have an action
    _actions_from_gaps(leader, [*linked, linked[0], "gap-not-asked-about"])
    db.session.expire_all()
    with acting_for(leader.council_id), counted_queries(db.engine) as statements:
        found = actions.actions_for_gaps(gap_ids)
    assert len(statements) == 1
    assert statements[0].count("?") + len(re.findall(r"%\(|\$\d", statements[0])) <= actions.GAP_IDS_IN_SQL
    assert {gap_id: [a.what for a in found_actions] for gap_id, found_actions in found.items()} == {
        gap_id: [f"Action for {gap_id}"] * (2 if gap_id == linked[0] else 1) for gap_id in linked
    }
