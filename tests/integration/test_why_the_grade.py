"""Why a judgement has its grade: the page per judgement of the live standing."""

from datetime import date, timedelta

from councils.db import db
from councils.models import Role
from tests.support.client_request import url
from tests.support.factories import make_audit, make_council, make_evidence, make_user
from tests.support.pages import page_text, section_text, table_rows, text

TODAY = date.today()
GRADES = ["good", "good", "requires_improvement", "inadequate", "outstanding"]


def _council_with_audits():
    council = make_council()
    audits = [
        make_audit(
            council,
            case_reference=f"CP-{1000 + n}",
            overall_grade=grade,
            audit_date=TODAY - timedelta(days=10 * n),
            answers={"management_oversight": ("inadequate" if n % 2 else "good", "")},
        )
        for n, grade in enumerate(GRADES)
    ]
    make_evidence(council, title="Old threshold review", evidence_date=TODAY - timedelta(days=400), grade="good")
    return council, audits


def test_the_why_of_a_judgement(client_request):
    council, audits = _council_with_audits()
    client_request.sign_in(make_user(council, Role.SENIOR_LEADER))
    db.session.commit()
    home = client_request.get("home.index")
    link = home.select_one(f'a[href="{url("standing.judgement", area_id="help_protection")}"]')
    assert text(link) == "The experiences and progress of children who need help and protection"

    page = client_request.get("standing.judgement", area_id="help_protection")

    # The shares are of the scorer's weight (recent evidence weighs more, old evidence still a
    # little: the 400-day-old review is among the good), so they follow the counts only
    # roughly: the counts are exact, the shares add up to the whole.
    spread = table_rows(page, "Graded evidence by grade")
    assert [row[:2] for row in spread] == [
        ["Outstanding", "1"],
        ["Good", "3"],
        ["Requires improvement to be good", "1"],
        ["Inadequate", "1"],
    ]
    assert abs(sum(int(row[2].rstrip("%")) for row in spread) - 100) <= 2
    assert len(page.select(".app-bars__bar")) == 4  # one bar a grade, its width the share
    strongest = table_rows(page, "Strongest evidence")
    assert strongest[0][1] == "Outstanding" and [row[1] for row in strongest] == ["Outstanding", "Good", "Good"]
    weakest = table_rows(page, "Weakest evidence")
    assert [row[1] for row in weakest] == ["Inadequate", "Requires improvement to be good"]
    inadequate = audits[3].evidence_item
    assert page.select_one(f'a[href="{url("library.detail", item_id=inadequate.id)}"]') is not None
    assert weakest[0][2] == f"{(TODAY - timedelta(days=30)).day} {(TODAY - timedelta(days=30)):%B %Y}"
    assert "1 piece of evidence is older than the council's freshness window" in page_text(page)
    assert [row[0] for row in table_rows(page, "Stale evidence")] == ["Old threshold review"]
    trend = table_rows(page, "Graded evidence by month")
    assert len(trend) == 12 and sum(int(row[1]) for row in trend) == 5
    themes = table_rows(page, "Audit questions most often answered below good")
    assert themes[0][1] == "2 of 5"
    said = section_text(page, "What the evidence says")
    assert "Evidence-based grade Good" in said and "Confidence Low" in said  # 5 recent items, one kind


def test_a_judgement_the_framework_lacks_is_not_found(client_request):
    client_request.sign_in(make_user(make_council(), Role.SENIOR_LEADER))
    client_request.get("standing.judgement", area_id="lscb", _expected_status=404)
    client_request.get("standing.judgement", area_id="overall", _expected_status=404)
