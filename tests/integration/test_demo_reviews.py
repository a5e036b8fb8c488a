"""The demo data holds a reported peer review with the four lines of enquiry of seed 002 and one under way."""

from sqlalchemy import select

from councils.tenancy import acting_for
from evidence.review_models import FindingStatus, Review, ReviewStatus
from inspect_ready import demo
from inspect_ready.extensions import db


def test_the_demo_has_a_reported_peer_review_and_an_ongoing_one(database, tmp_path):
    demo.load(tmp_path / "logins.json")
    with acting_for(None):
        reported, ongoing = db.session.scalars(select(Review).order_by(Review.starts_on)).all()
    assert reported.status is ReviewStatus.REPORTED and ongoing.status is ReviewStatus.FIELDWORK
    assert [k.bank_id for k in reported.kloes] == [
        "ld.kloe.learning_culture",
        "ld.kloe.assurance_systems",
        "hp.kloe.shared_understanding",
        "hp.kloe.early_access",
    ]
    assert all(k.finding.status is FindingStatus.COMPLETE and k.member_ids for k in reported.kloes)
    assert "Eastbrook Borough Council" in {m.organisation for m in ongoing.members}
