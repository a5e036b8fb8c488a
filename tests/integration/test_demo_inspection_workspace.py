"""The demo's recorded call: a standard inspection under way, its checklist partly done, a few
inspectors' requests and one referred-back child, each page of it showing as a newcomer sees it."""

from sqlalchemy import select

from councils.db import db
from councils.models import User
from councils.tenancy import acting_for
from evidence.inspection_workspace.models import InspectionNotice, ItemStatus, ReferralStatus, RequestStatus
from inspect_ready import demo
from tests.support.pages import page_text


def test_the_demo_has_a_call_with_its_checklist_partly_done_and_requests(database, tmp_path, client_request):
    demo.load(tmp_path / "logins.json")
    with acting_for(None):
        notice = db.session.scalars(select(InspectionNotice)).one()
        director = db.session.scalars(select(User).where(User.email == "director@northshire.example")).one()
        statuses = [item.status for item in notice.checklist]
        assert 0 < statuses.count(ItemStatus.DONE) < len(statuses)
        assert all(item.owner_id for item in notice.checklist)
        assert len(notice.requests) >= 3 and {r.status for r in notice.requests} >= {RequestStatus.SENT}
        assert [c.status for c in notice.referrals] == [ReferralStatus.OPEN]
    client_request.sign_in(director)
    page = page_text(client_request.get("inspection_workspace.show", notice_id=notice.id))
    assert "Jo Whitfield HMI" in page and "CP-204871" in page
    client_request.get("inspection_workspace.daily_summary", notice_id=notice.id)
