"""The evidence library pages, the evidence map and the adapter to the scorer."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from councils.audit_log import AuditEvent
from councils.models import Role
from councils.tenancy import acting_for
from evidence.case_audits.audits import EscalationInput
from evidence.library.items import framework_of
from evidence.library.models import Attachment, EvidenceItem, EvidenceKind, EvidenceLink, EvidenceStatus, Leaning
from evidence.standing import item_signals
from inspect_ready.extensions import db
from tests.support.factories import make_audit, make_council, make_evidence, make_user, sign_in_as

TODAY = date.today()


@pytest.fixture()
def head(client):
    user = make_user(make_council(), Role.HEAD_OF_SERVICE)
    db.session.commit()
    sign_in_as(client, user)
    return user


def _form(**changes):
    data = {
        "title": "Supervision audit, March",
        "kind": "document",
        "summary": "Supervision is regular.",
        "links": ["help_protection", "leaders:ld.quality_assurance"],
        "grade": "good",
        "leaning": "strength",
        "evidence_date": TODAY.isoformat(),
        "review_by": "",
        "owner_id": "",
        "service_area": "child_protection",
        "source_reference": "QA/2026/03",
        "status": "accepted",
    }
    data.update(changes)
    return data


def _count(model):
    with acting_for(None):
        return db.session.scalar(select(func.count(model.id)))


def test_a_head_of_service_adds_evidence_and_it_is_audited(client, head):
    response = client.post("/evidence/new", data=_form())
    assert response.status_code == 302
    item = db.session.scalars(select(EvidenceItem)).one()
    assert item.status is EvidenceStatus.ACCEPTED and item.grade == "good"
    assert sorted((link.area_id, link.criterion_id) for link in item.links) == [
        ("help_protection", None),
        ("leaders", "ld.quality_assurance"),
    ]
    page = client.get(response.location).get_data(as_text=True)
    assert "Supervision audit, March" in page and "Evidence saved." in page
    event_row = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.created")).one()
    assert event_row.after["links"] == ["help_protection", "leaders:ld.quality_assurance"]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"links": ["help_protection", "nowhere"]}, "&#39;nowhere&#39; is not a judgement area"),
        ({"links": ["help_protection:ic.voice"]}, "&#39;ic.voice&#39; is not a criterion"),
        ({"grade": "excellent"}, "&#39;excellent&#39; is not a grade on the scale"),
        ({"evidence_date": (TODAY + timedelta(days=1)).isoformat()}, "must be today or in the past"),
        ({"evidence_date": "31/03/2026"}, "must be a real date in the form YYYY-MM-DD"),
        ({"title": ""}, "Enter a title"),
        ({"links": []}, "Link accepted evidence to at least one judgement area"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_saved(client, head, changes, message):
    before = (_count(EvidenceItem), _count(EvidenceLink), _count(AuditEvent))
    response = client.post("/evidence/new", data=_form(**changes))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and message in page
    assert (_count(EvidenceItem), _count(EvidenceLink), _count(AuditEvent)) == before


def test_the_service_refuses_a_grade_outside_the_scale(head):
    from evidence.library import items

    with acting_for(head.council_id), pytest.raises(items.EvidenceError, match="'excellent' is not a grade"):
        items.create_item(
            items.EvidenceFields(
                title="x", kind=EvidenceKind.OTHER, leaning=Leaning.STRENGTH, evidence_date=TODAY, grade="excellent"
            ),
            framework_of(head.council),
            TODAY,
        )


def test_edit_link_unlink_and_archive_are_each_audited(client, head):
    item = make_evidence(head.council)
    db.session.commit()
    assert client.get(f"/evidence/{item.id}/edit").status_code == 200
    assert "Changes saved" in client.post(
        f"/evidence/{item.id}/edit", data=_form(title="Renamed"), follow_redirects=True
    ).get_data(as_text=True)
    assert item.title == "Renamed"
    client.post(f"/evidence/{item.id}/links", data={"link": "in_care:ic.voice"}, follow_redirects=True)
    assert ("in_care", "ic.voice") in {(link.area_id, link.criterion_id) for link in item.links}
    page = client.post(f"/evidence/{item.id}/links", data={"link": "atlantis"}, follow_redirects=True).get_data(
        as_text=True
    )
    assert "&#39;atlantis&#39; is not a judgement area" in page
    link = next(link for link in item.links if link.area_id == "in_care")
    client.post(f"/evidence/{item.id}/links/{link.id}/remove", follow_redirects=True)
    assert "in_care" not in {link.area_id for link in item.links}
    client.post(f"/evidence/{item.id}/archive", follow_redirects=True)
    assert item.status is EvidenceStatus.ARCHIVED
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.record_id == str(item.id))).all()
    assert {"evidence.updated", "evidence.linked", "evidence.unlinked", "evidence.archived"} <= set(actions)


def test_filters_work_as_a_plain_form_and_through_htmx(client, head):
    make_evidence(head.council, title="Fresh front door audit", grade="good")
    make_evidence(
        head.council,
        title="Old care plan review",
        links=["in_care"],
        kind=EvidenceKind.OBSERVATION,
        evidence_date=TODAY - timedelta(days=400),
        grade="inadequate",
    )
    db.session.commit()
    page = client.get("/evidence/?area=in_care&stale=yes").get_data(as_text=True)
    assert "Old care plan review" in page and "Fresh front door audit" not in page
    fragment = client.get("/evidence/?grade=good&kind=document", headers={"HX-Request": "true", "HX-Target": "results"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and ">Fresh front door audit</a>" in text and "Old care plan review" not in text
    page = client.get("/evidence/?area=atlantis").get_data(as_text=True)
    assert "&#39;atlantis&#39; is not a judgement area" in page


def test_the_map_counts_evidence_and_links_each_cell_to_the_list(client, head):
    make_evidence(head.council, service_area=head.service_area)
    make_evidence(
        head.council,
        title="Old",
        evidence_date=TODAY - timedelta(days=400),
        grade="inadequate",
        service_area=head.service_area,
    )
    db.session.commit()
    page = client.get("/evidence/map").get_data(as_text=True)
    assert "Showing child protection" in page  # the head of service sees their own service first
    assert "/evidence/?area=help_protection:hp.front_door&amp;kind=document&amp;service_area=child_protection" in page
    assert "1 stale" in page and "Thin" in page
    assert "Showing all services" in client.get("/evidence/map?service_area=").get_data(as_text=True)


def test_attachments_are_checked_stored_by_checksum_and_served_as_downloads(app, client, head, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 100)
    item = make_evidence(head.council)
    db.session.commit()
    upload = lambda name, content: client.post(  # noqa: E731
        f"/evidence/{item.id}/attachments",
        data={"file": (__import__("io").BytesIO(content), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "smaller than" in upload("big.pdf", b"%PDF-" + b"x" * 200)
    assert "must be a PDF" in upload("tool.exe", b"MZ")
    assert "not a real PDF" in upload("tool.pdf", b"MZ")
    assert _count(Attachment) == 0
    assert "File attached." in upload("plan.pdf", b"%PDF-1.7 plan")
    attachment = db.session.scalars(select(Attachment)).one()
    assert (tmp_path / str(head.council_id) / attachment.sha256).read_bytes() == b"%PDF-1.7 plan"
    response = client.get(f"/evidence/attachments/{attachment.id}")
    assert response.data == b"%PDF-1.7 plan" and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    response.close()


def test_peer_reviewers_may_read_but_not_change_evidence(client):
    council = make_council()
    item = make_evidence(council)
    reviewer = make_user(council, Role.PEER_REVIEWER)
    db.session.commit()
    sign_in_as(client, reviewer)
    assert client.get(f"/evidence/{item.id}").status_code == 200
    assert client.post(f"/evidence/{item.id}/archive").status_code == 403


def test_signals_carry_kinds_flags_and_one_per_item_and_area(head):
    council = head.council
    make_evidence(
        council,
        title="Policy",
        kind=EvidenceKind.OTHER,
        links=["help_protection:hp.risk", "help_protection:hp.drift", "leaders"],
    )
    make_evidence(council, title="Draft", status=EvidenceStatus.DRAFT)
    make_audit(council, overall_grade="inadequate", escalation=EscalationInput("Unsafe", head.id, TODAY))
    with acting_for(council.id):
        signals = item_signals(framework_of(council), TODAY)
    by_title = {(s.title.split(" ")[0], s.area_id): s for s in signals}
    policy = by_title[("Policy", "help_protection")]
    assert policy.kind == "document" and policy.criterion_ids == ("hp.drift", "hp.risk")
    assert ("Policy", "leaders") in by_title and not any(t == "Draft" for t, _ in by_title)
    audit = by_title[("Case", "help_protection")]
    assert audit.kind == "case_audit" and audit.flags == {"unresolved_escalation", "concern"}


def test_signals_take_a_fixed_number_of_queries(head):
    council = head.council
    statements = []

    def count(*_args):
        statements.append(1)

    def queries_for(n):
        for i in range(n):
            make_audit(council, case_reference=f"CP-{1000 + i}")
        db.session.flush()
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            with acting_for(council.id):
                item_signals(framework_of(council), TODAY)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    assert queries_for(2) == queries_for(20) == 2
