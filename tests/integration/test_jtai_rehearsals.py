"""A JTAI rehearsal: partner agencies' auditors invited like peer reviewers, each seeing that
one review only; cases the council audited, audited jointly (each agency's view); one
multi-agency report."""

import pytest
from sqlalchemy import func, select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.reviews.models import MemberRole, PartnerAgency, ReviewKind, ReviewMember, ReviewStatus
from evidence.visits.models import AgencyCaseView, CaseViewFrom, JointCase
from tests.support.client_request import url
from tests.support.documents import header_text, pdf_pages, word, word_text
from tests.support.factories import make_audit, make_council, make_user
from tests.support.pages import error_summary, page_text, table_rows
from tests.support.review_factories import make_invitation, make_review
from tests.support.visit_factories import add_joint_case, make_visit


@pytest.fixture()
def jtai(database):
    council, elsewhere = make_council("Northshire"), make_council("Eastbrook")
    leader = make_user(council, Role.SENIOR_LEADER, name="Gareth Leader")
    # A partner agency's auditors hold their accounts in an organisation of their own, as a peer
    # reviewer's is their council's, so they see none of the council's data but the one review.
    force = make_council("Northshire Police")
    police = make_user(force, Role.PEER_REVIEWER, name="DS Priya Shah", email="priya@police.example")
    review = make_visit(council, leader, ReviewKind.JTAI_REHEARSAL, title="Domestic abuse JTAI")
    audit = make_audit(council, case_reference="NS-4411")
    db.session.commit()  # its audit log entry is written as Northshire's before Eastbrook's audit
    other_audit = make_audit(elsewhere, case_reference="EB-0001")
    new = make_invitation(review, "priya@police.example", agency=PartnerAgency.POLICE)
    db.session.commit()
    return dict(council=council, leader=leader, police=police, review=review, audit=audit, other_audit=other_audit,
                token=new.token, elsewhere=elsewhere)  # fmt: skip


def _join(client_request, jtai):
    client_request.sign_in(jtai["police"])
    client_request.post("reviews.accept_invitation", token=jtai["token"])


def _events(action):
    with acting_for(None):
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_a_partner_agencys_auditor_joins_for_their_agency(client_request, jtai):
    _join(client_request, jtai)
    with acting_for(None):
        member = db.session.scalars(select(ReviewMember).where(ReviewMember.user_id == jtai["police"].id)).one()
    assert (member.agency, member.organisation, member.role) == (PartnerAgency.POLICE, "Police", MemberRole.REVIEWER)
    client_request.sign_in(jtai["leader"])
    team = table_rows(client_request.get("reviews.team", review_id=jtai["review"].id), "The team")
    assert ["DS Priya Shah", "Police", "Reviewer", "Remove DS Priya Shah"] in team


def test_a_partner_agency_is_invited_to_a_jtai_only(client_request, jtai):
    peer_review = make_review(jtai["council"], jtai["leader"], kloes=0)
    db.session.commit()
    client_request.sign_in(jtai["leader"])
    page = client_request.post(
        "reviews.invite",
        review_id=peer_review.id,
        _data={"email": "nurse@health.example", "invite_role": "reviewer", "agency": "health"},
        _expected_status=400,
    )
    assert error_summary(page) == ["Partner agencies join joint targeted area inspection rehearsals only"]
    assert len(_events("review.invited")) == 1  # the fixture's alone


def test_a_partner_agencys_auditor_sees_that_review_and_nothing_else(client_request, jtai):
    other_review = make_review(jtai["council"], jtai["leader"], title="Another review", kloes=0)
    other_council_review = make_review(jtai["elsewhere"], make_user(jtai["elsewhere"], Role.SENIOR_LEADER), kloes=0)
    db.session.commit()
    _join(client_request, jtai)
    client_request.get("reviews.show", review_id=jtai["review"].id)
    client_request.get("visits.joint_cases", jtai_id=jtai["review"].id)
    client_request.get("reviews.show", review_id=other_review.id, _expected_status=404)
    client_request.get("reviews.show", review_id=other_council_review.id, _expected_status=404)
    client_request.get("reviews.report", review_id=jtai["review"].id, _expected_status=403)
    # No library or audits of their own organisation: the council's evidence is reached through the review.
    client_request.get("library.index", _expected_status=403)
    client_request.get("audits.detail", audit_id=jtai["audit"].id, _expected_status=403)
    # Choosing cases is the lead's.
    client_request.post(
        "visits.joint_cases", jtai_id=jtai["review"].id, _data={"case_audit_id": str(jtai["audit"].id)},
        _expected_status=403,
    )  # fmt: skip


def test_another_kind_of_review_has_no_joint_cases(client_request, jtai):
    peer_review = make_review(jtai["council"], jtai["leader"], kloes=0)
    db.session.commit()
    client_request.sign_in(jtai["leader"])
    client_request.get("visits.joint_cases", jtai_id=peer_review.id, _expected_status=404)


def _cases(council):
    with acting_for(council.id):
        return db.session.scalar(select(func.count(JointCase.id)))


@pytest.mark.parametrize(
    ("chosen", "message"),
    [("", "Choose a case audit"), ("other", "Case audited by the council must be one of the options shown")],
)
def test_choosing_a_case_that_is_not_the_councils_changes_nothing(client_request, jtai, chosen, message):
    client_request.sign_in(jtai["leader"])
    value = str(jtai["other_audit"].id) if chosen == "other" else chosen
    page = client_request.post(
        "visits.joint_cases", jtai_id=jtai["review"].id, _data={"case_audit_id": value}, _expected_status=400
    )
    assert len(error_summary(page)) == 1
    assert _cases(jtai["council"]) == 0


def test_the_lead_chooses_a_case_and_each_agency_records_its_view(client_request, jtai):
    client_request.sign_in(jtai["leader"])
    response = client_request.post_response(
        "visits.joint_cases", jtai_id=jtai["review"].id, _data={"case_audit_id": str(jtai["audit"].id)}
    )
    assert response.location == url("visits.joint_cases", jtai_id=jtai["review"].id)
    assert _events("jtai.case_added")[0].after["case_reference"] == "NS-4411"
    with acting_for(jtai["council"].id):
        joint_case = db.session.scalars(select(JointCase)).one()
    # The case audit is reused, not copied, and cannot be added twice.
    assert joint_case.case_audit_id == jtai["audit"].id
    client_request.post(
        "visits.joint_cases", jtai_id=jtai["review"].id, _data={"case_audit_id": str(jtai["audit"].id)},
        _expected_status=400,
    )  # fmt: skip
    client_request.post(
        "visits.joint_case",
        jtai_id=jtai["review"].id,
        joint_case_id=joint_case.id,
        _data={"what_we_saw": "Allocated the day of referral; seen weekly.", "what_to_improve": "", "version": "0"},
    )
    _join(client_request, jtai)
    page = client_request.get("visits.joint_case", jtai_id=jtai["review"].id, joint_case_id=joint_case.id)
    assert "The view of police" in page_text(page)
    client_request.post(
        "visits.joint_case",
        jtai_id=jtai["review"].id,
        joint_case_id=joint_case.id,
        _data={"what_we_saw": "Two call-outs in March; DASH risk assessed as high.", "what_to_improve": "Share "
               "call-outs with the school the next morning.", "version": "0"},
    )  # fmt: skip
    with acting_for(jtai["council"].id):
        views = {v.agency: v.what_we_saw for v in db.session.scalars(select(AgencyCaseView))}
    assert views == {
        CaseViewFrom.CHILDRENS_SOCIAL_CARE: "Allocated the day of referral; seen weekly.",
        CaseViewFrom.POLICE: "Two call-outs in March; DASH risk assessed as high.",
    }
    assert len(_events("jtai.case_view_saved")) == 2


def test_a_view_with_nothing_in_it_or_based_on_an_old_version_is_not_saved(client_request, jtai):
    joint_case = add_joint_case(jtai["review"], jtai["audit"])
    db.session.commit()
    _join(client_request, jtai)
    args = {"jtai_id": jtai["review"].id, "joint_case_id": joint_case.id}
    page = client_request.post(
        "visits.joint_case", **args, _data={"what_we_saw": "  ", "version": "0"}, _expected_status=400
    )
    assert error_summary(page) == ["Enter what your agency's records and work with the child show"]
    client_request.post("visits.joint_case", **args, _data={"what_we_saw": "First", "version": "0"})
    page = client_request.post(
        "visits.joint_case", **args, _data={"what_we_saw": "Second, from an old page", "version": "0"},
        _expected_status=409,
    )  # fmt: skip
    assert "Your changes have not been saved yet" in page_text(page)
    with acting_for(jtai["council"].id):
        assert db.session.scalars(select(AgencyCaseView.what_we_saw)).all() == ["First"]


def test_once_reported_the_joint_audit_is_the_record(client_request, jtai):
    joint_case = add_joint_case(jtai["review"], jtai["audit"])
    jtai["review"].status = ReviewStatus.REPORTED
    db.session.commit()
    client_request.sign_in(jtai["leader"])
    page = client_request.post(
        "visits.joint_case", jtai_id=jtai["review"].id, joint_case_id=joint_case.id,
        _data={"what_we_saw": "Late", "version": "0"}, _expected_status=400,
    )  # fmt: skip
    assert error_summary(page) == ["The rehearsal has reported, so its joint case audits are the record"]
    assert _events("jtai.case_view_saved") == []


def test_one_multi_agency_report(client_request, jtai):
    joint_case = add_joint_case(jtai["review"], jtai["audit"])
    db.session.commit()
    _join(client_request, jtai)
    client_request.post(
        "visits.joint_case", jtai_id=jtai["review"].id, joint_case_id=joint_case.id,
        _data={"what_we_saw": "Two call-outs in March.", "version": "0"},
    )  # fmt: skip
    client_request.sign_in(jtai["leader"])
    page = page_text(client_request.get("reviews.report", review_id=jtai["review"].id))
    assert "Multi-agency report" in page and "Children living with domestic abuse" in page
    assert "Police" in page and "Two call-outs in March." in page and "NS-4411" in page
    assert "Points to" not in page
    document = word(client_request.get_response("reviews.report_download", review_id=jtai["review"].id,
                                                file_format="docx").data)  # fmt: skip
    assert header_text(document).split("\n")[0] == "OFFICIAL-SENSITIVE"  # a child's case reference is in it
    assert "Two call-outs in March." in word_text(document) and "DS Priya Shah" in word_text(document)
    pdf = client_request.get_response("reviews.report_download", review_id=jtai["review"].id, file_format="pdf")
    assert "Cases audited jointly" in " ".join(pdf_pages(pdf.data))


def test_a_first_view_sent_from_a_page_based_on_a_version_is_refused_not_an_error(client_request, jtai):
    joint_case = add_joint_case(jtai["review"], jtai["audit"])
    db.session.commit()
    _join(client_request, jtai)
    page = client_request.post(
        "visits.joint_case", jtai_id=jtai["review"].id, joint_case_id=joint_case.id,
        _data={"what_we_saw": "Seen", "version": "7"}, _expected_status=409,
    )  # fmt: skip
    assert "Your changes have not been saved yet" in page_text(page)
    with acting_for(jtai["council"].id):
        assert db.session.scalar(select(func.count(AgencyCaseView.id))) == 0
