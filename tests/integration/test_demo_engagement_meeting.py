"""The demo council's engagement meeting pack has something to say in each section the demo
holds data for: figures a year back, a year of audits, a plan with actions overdue and done,
and a standing a year ago to compare with today's."""

from sqlalchemy import select

from councils.db import db
from councils.models import Council, Role, User
from inspect_ready import demo


def test_the_demo_pack_has_something_in_each_section(client_request, database, tmp_path):
    demo.load(tmp_path / "logins.json")
    council = db.session.scalars(select(Council).where(Council.name == demo.DEMO_COUNCIL)).one()
    leader = db.session.scalars(
        select(User).where(User.council_id == council.id, User.role == Role.SENIOR_LEADER)
    ).first()
    client_request.sign_in(leader)
    page = client_request.get("engagement_meeting.index")
    text = page.get_text(" ", strip=True)
    indicator_rows = page.select("#pack table")[0].select("tbody tr")
    assert indicator_rows and all("No figure" not in row.get_text() for row in indicator_rows)
    assert "case audits in the year" in text and "Where practice most often fell short" in text
    assert "most pressing of" in text
    assert "No action is overdue." not in text and "No action was done in the year." not in text
    changes = page.select("#pack table")[-1]
    assert [th.get_text(strip=True) for th in changes.select("tbody th")], "each judgement, then and now"
    # This year's self-evaluation is in draft in the demo: the pack summarises it.
    assert "No self-evaluation has been recorded yet" not in text
    assert "agreed yet (self-evaluation" in text or "Status: agreed (self-evaluation" in text
