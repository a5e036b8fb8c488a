"""One search box across the council's evidence, case audits, actions and gaps, on both
databases (PostgreSQL's full-text search, SQLite's every-word match)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from councils.db import db
from councils.models import Role
from tests.support.client_request import url
from tests.support.factories import make_audit, make_council, make_evidence, make_user
from tests.support.pages import error_summary, navigation, page_text, text


def _sections(page) -> dict[str, list[str]]:
    found = {}
    for heading in page.select("main h2"):
        results = heading.find_next_sibling()
        items = results.select("li") if results is not None and results.name == "ul" else []
        found[heading.find(string=True, recursive=False).strip()] = [text(li) for li in items]
    return found


@pytest.fixture()
def council_with_records(client_request):
    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER, name="Lena Leader")
    make_evidence(council, title="Neglect strategy discussions audit", summary="Thresholds applied well")
    make_evidence(council, title="Care leavers' accommodation survey", summary="Most in suitable homes")
    make_audit(council, case_reference="CP-555001", comment="Strategy discussion held late; neglect not named")
    other = make_council("Elsewhere Council")
    make_evidence(other, title="Neglect strategy review of another council")
    db.session.commit()
    client_request.sign_in(leader)
    return council


def test_words_find_evidence_and_audits_of_the_council_only(client_request, council_with_records):
    page = client_request.get("search.index", q="neglect STRATEGY")
    found = _sections(page)
    assert [item.split(" Document")[0] for item in found["Evidence"]] == ["Neglect strategy discussions audit"]
    assert len(found["Case audits"]) == 1 and found["Case audits"][0].startswith("Case CP-555001")
    assert "another council" not in page_text(page)
    link = page.select_one("main ul a")
    assert link["href"].startswith(url("library.index"))
    by_reference = _sections(client_request.get("search.index", q="cp-555001"))
    assert len(by_reference["Case audits"]) == 1 and by_reference["Evidence"] == []


def test_gaps_are_found_by_their_words(client_request, council_with_records):
    found = _sections(client_request.get("search.index", q="no evidence"))
    assert found["Gaps"], "a council with little evidence has gaps that say so"
    assert all("Make an action" in gap for gap in found["Gaps"])


def test_search_is_in_the_navigation_for_leaders_only(client_request, council_with_records):
    assert "Search" in navigation(client_request.get("home.index"))
    client_request.sign_in(make_user(make_council(), Role.ADMINISTRATOR))
    assert "Search" not in navigation(client_request.get("home.index"))


def test_words_too_long_are_explained(client_request, council_with_records):
    page = client_request.get("search.index", q="neglect " * 40)
    assert error_summary(page) == ["Search words must be 200 characters or fewer"]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60))
def test_any_words_give_a_page_not_an_error(client_request, council_with_records, query):
    # Syntax of LIKE (% _ \) and of tsquery (& | ! : * ( )) is read as plain text. (Control
    # characters are refused at the door, inspect_ready/input_checks.py.)
    client_request.get("search.index", q=query)


def test_like_syntax_is_plain_text(client_request, council_with_records):
    assert _sections(client_request.get("search.index", q="%"))["Evidence"] == []
    assert _sections(client_request.get("search.index", q="_"))["Evidence"] == []


def test_postgresql_answers_a_search_from_its_index(app, database):
    """The expression the search builds is the one the migration indexed (else every search
    reads every row)."""
    from sqlalchemy import text as sql

    from evidence import search

    if db.engine.dialect.name != "postgresql":
        pytest.skip("full-text indexes are PostgreSQL's; SQLite searches by scanning")
    query = search._matching(
        search.EvidenceItem, search.EVIDENCE_FIELDS, ["neglect"], search.EvidenceItem.evidence_date
    )
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    db.session.execute(sql("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(row[0] for row in db.session.execute(sql(f"EXPLAIN {compiled}")))
    assert "ix_evidence_item_search" in plan, plan
