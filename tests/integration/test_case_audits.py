"""Case file audits: recording, moderation, escalations, the summary page and imports."""

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from councils.audit_log import AuditEvent
from councils.models import Role, ServiceArea
from councils.tenancy import acting_for
from evidence.case_audits.audit_import import template_workbook
from evidence.case_audits.audit_templates import default_template
from evidence.case_audits.models import AuditAnswer, CaseAudit, Escalation, EscalationStatus
from evidence.library.models import EvidenceItem, EvidenceKind
from inspect_ready.extensions import db
from tests.support.factories import make_audit, make_council, make_user, sign_in_as

TODAY = date.today()


@pytest.fixture()
def head(client):
    user = make_user(make_council(), Role.HEAD_OF_SERVICE, service_area=ServiceArea.CHILD_PROTECTION)
    db.session.commit()
    sign_in_as(client, user)
    return user


def _form(head, **changes):
    data = {
        "case_reference": "CP-204871",
        "case_type": "child_protection",
        "team": "Safeguarding East",
        "worker": "Sam Worker",
        "auditor": "Alex Auditor",
        "audit_date": TODAY.isoformat(),
        "areas": ["help_protection"],
        "overall_grade": "inadequate",
        "comment": "Risk not assessed",
        "escalate": "y",
        "concern": "No visit for 8 weeks",
        "escalation_owner": str(head.id),
        "due_date": TODAY.isoformat(),
    }
    for question in default_template().questions:
        data[f"answer_{question.id}"] = "requires_improvement" if question.scale == "four_point" else "no"
    data.update(changes)
    return data


def _counts():
    with acting_for(None):
        return tuple(
            db.session.scalar(select(func.count(m.id)))
            for m in (CaseAudit, AuditAnswer, Escalation, EvidenceItem, AuditEvent)
        )


def test_every_audit_page_renders(client, head):
    audit = make_audit(head.council)
    db.session.commit()
    for url in [
        "/audits/",
        "/audits/new",
        "/audits/new?template=practice-sections",
        f"/audits/{audit.id}",
        "/audits/import",
    ]:
        assert client.get(url).status_code == 200, url


def test_an_audit_with_an_escalation_becomes_evidence_and_shows_on_the_home_page(client, head):
    response = client.post("/audits/new", data=_form(head))
    assert response.status_code == 302
    audit = db.session.scalars(select(CaseAudit)).one()
    assert len(audit.answers) == 9 and audit.evidence_item.kind is EvidenceKind.CASE_AUDIT
    assert audit.evidence_item.grade == "inadequate" and [link.area_id for link in audit.evidence_item.links] == [
        "help_protection"
    ]
    home = client.get("/").get_data(as_text=True)
    assert "CP-204871" in home and "Open escalations" in home
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"case_audit.recorded", "escalation.raised"} <= actions

    escalation = audit.escalations[0]
    bad = client.post(f"/audits/escalations/{escalation.id}/resolve", data={"resolve-action_taken": ""})
    assert bad.status_code == 400 and "Record the action taken" in bad.get_data(as_text=True)
    assert escalation.status is EscalationStatus.OPEN
    client.post(
        f"/audits/escalations/{escalation.id}/resolve",
        data={"resolve-action_taken": "Child seen same day", "next": "home"},
    )
    assert escalation.status is EscalationStatus.RESOLVED and escalation.action_taken == "Child seen same day"
    home = client.get("/").get_data(as_text=True)
    # Resolved: gone from the open escalations (the audit's grade still shows among the gaps).
    assert "There are no open escalations for you." in home
    assert "CP-204871" not in home.split("Open escalations")[1].split("</table>")[0]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"case_reference": "Jane Smith"}, "is not a pseudonymised reference"),
        ({"areas": ["help_protection", "atlantis"]}, "&#39;atlantis&#39; is not a judgement area"),
        ({"overall_grade": "excellent"}, "&#39;excellent&#39; is not a grade on the scale"),
        ({"audit_date": (TODAY + timedelta(days=2)).isoformat()}, "The date of the audit must be today or in the past"),
        ({"audit_date": "2026-02-30"}, "must be a real date in the form YYYY-MM-DD"),
        ({"concern": ""}, "Describe the concern"),
        ({"areas": []}, "Choose at least one judgement area"),
    ],
)
def test_a_bad_audit_is_refused_and_nothing_is_saved(client, head, changes, message):
    before = _counts()
    response = client.post("/audits/new", data=_form(head, **changes))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "There is a problem" in page and message in page
    assert _counts() == before


def test_moderation_agrees_or_records_a_different_grade_with_a_reason(client, head):
    first, second = make_audit(head.council), make_audit(head.council, case_reference="CP-55501")
    db.session.commit()
    same_person = client.post(
        f"/audits/{first.id}/moderate", data={"moderation-moderator": "Alex Auditor", "moderation-agreed": "yes"}
    )
    assert same_person.status_code == 400 and "second auditor" in same_person.get_data(as_text=True)
    no_reason = client.post(
        f"/audits/{second.id}/moderate",
        data={"moderation-moderator": "Mo", "moderation-agreed": "no", "moderation-grade": "good"},
    )
    assert no_reason.status_code == 400 and "Give the reason" in no_reason.get_data(as_text=True)
    assert second.moderation_agreed is None
    client.post(f"/audits/{first.id}/moderate", data={"moderation-moderator": "Mo", "moderation-agreed": "yes"})
    assert first.moderation_agreed is True
    client.post(
        f"/audits/{second.id}/moderate",
        data={
            "moderation-moderator": "Mo",
            "moderation-agreed": "no",
            "moderation-grade": "good",
            "moderation-reason": "Plan is working",
        },
    )
    assert second.final_grade == "good" and second.evidence_item.grade == "good"
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "case_audit.moderated")) == 2


def test_the_summary_shows_counts_shares_trend_and_themes(client, head):
    for number, grade in enumerate(["good", "good", "inadequate", "requires_improvement"]):
        make_audit(head.council, case_reference=f"CP-{9000 + number}", overall_grade=grade)
    db.session.commit()
    page = client.get("/audits/").get_data(as_text=True)
    assert "4 audits recorded; 50% graded good or better" in page
    assert TODAY.strftime("%Y-%m") in page and "Safeguarding East" in page
    assert (
        "Is everything the social worker describes doing reflected in the case record?" in page
    )  # answered 'no' every time


def _upload(client, name, content):
    return client.post("/audits/import", data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data")


CSV_HEADER = "case_reference,case_type,team,worker,auditor,audit_date,overall_grade,areas,risk_managed\n"


def test_an_import_is_previewed_then_saved_all_together(client, head):
    content = (
        CSV_HEADER + "CP-100001,child_protection,North,W1,A1,2025-06-01,good,help_protection,good\n"
        "CP-100002,early_help,East,W2,A2,2025-07-01,requires_improvement,help_protection;leaders,\n"
    ).encode()
    preview = _upload(client, "audits.csv", content)
    assert "All 2 rows are ready to save" in preview.get_data(as_text=True)
    assert _counts()[0] == 0
    response = client.post("/audits/import/commit")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(CaseAudit.id))) == 2
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "case_audit.imported")) == 1
    # The checked rows are used once: a second commit saves nothing more.
    client.post("/audits/import/commit")
    assert db.session.scalar(select(func.count(CaseAudit.id))) == 2


def test_an_import_with_bad_rows_lists_each_problem_and_saves_nothing(client, head):
    content = (
        CSV_HEADER + "CP-100001,child_protection,North,W1,A1,2025-06-01,good,help_protection,good\n"
        "CP-100002,child_protection,North,W1,A1,01/07/2025,good,help_protection,good\n"
        "Jane Smith,child_protection,North,W1,A1,2025-06-01,superb,help_protection,good\n"
    ).encode()
    before = _counts()
    page = _upload(client, "audits.csv", content).get_data(as_text=True)
    assert "The file has 2 problems: nothing has been saved" in page
    assert "&#39;01/07/2025&#39; is not a date in the form YYYY-MM-DD" in page and "case_reference" in page
    assert "Save" not in page.split("Problems by row")[1]
    assert client.post("/audits/import/commit", follow_redirects=True).status_code == 200
    assert _counts() == before


def test_an_import_missing_columns_or_of_the_wrong_type_is_refused(client, head):
    before = _counts()
    response = _upload(client, "audits.csv", b"case_reference,team\nCP-1001,North\n")
    assert response.status_code == 400
    assert "missing the columns: case_type, worker, auditor, audit_date, overall_grade, areas" in response.get_data(
        as_text=True
    )
    assert "must be a CSV or XLSX" in _upload(client, "audits.pdf", b"%PDF-").get_data(as_text=True)
    assert _counts() == before


def test_the_xlsx_template_downloads_and_imports(client, head):
    response = client.get("/audits/import/template.xlsx")
    assert response.headers["Content-Disposition"].startswith("attachment")
    page = _upload(client, "template.xlsx", response.data).get_data(as_text=True)
    assert "All 1 rows are ready to save" in page
    assert template_workbook(default_template())[:2] == b"PK"
