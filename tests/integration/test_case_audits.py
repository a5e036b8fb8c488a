"""Case file audits: recording, moderation, escalations, the summary page and imports."""

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role, ServiceArea
from councils.tenancy import acting_for
from evidence.case_audits.audit_import import template_workbook
from evidence.case_audits.audit_templates import default_template
from evidence.case_audits.models import AuditAnswer, CaseAudit, Escalation, EscalationStatus
from evidence.library.models import EvidenceItem, EvidenceKind
from tests.support.client_request import url
from tests.support.factories import date_parts, make_audit, make_council, make_user, sign_in_as
from tests.support.pages import error_summary, page_text, section_text, table_rows, text

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
        "audit_date": date_parts(TODAY),
        "areas": ["help_protection"],
        "overall_grade": "inadequate",
        "comment": "Risk not assessed",
        "escalate": "y",
        "concern": "No visit for 8 weeks",
        "escalation_owner": str(head.id),
        "due_date": date_parts(TODAY),
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


def test_every_audit_page_renders(client_request, head):
    audit = make_audit(head.council)
    db.session.commit()
    for endpoint, values in [
        ("audits.index", {}),
        ("audits.new", {}),
        ("audits.new", {"template": "practice-sections"}),
        ("audits.detail", {"audit_id": audit.id}),
        ("audits.import_audits", {}),
    ]:
        client_request.get(endpoint, **values)


def test_an_audit_with_an_escalation_becomes_evidence_and_shows_on_the_home_page(client_request, head):
    client_request.post("audits.new", _data=_form(head))
    audit = db.session.scalars(select(CaseAudit)).one()
    assert len(audit.answers) == 9 and audit.evidence_item.kind is EvidenceKind.CASE_AUDIT
    assert audit.evidence_item.grade == "inadequate" and [link.area_id for link in audit.evidence_item.links] == [
        "help_protection"
    ]
    home = client_request.get("home.index")
    assert [row[0] for row in table_rows(home, "1 open")] == ["CP-204871"]
    assert "CP-204871" in section_text(home, "Open escalations")
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"case_audit.recorded", "escalation.raised"} <= actions

    escalation = audit.escalations[0]
    bad = client_request.post(
        "audits.resolve", escalation_id=escalation.id, _data={"resolve-action_taken": ""}, _expected_status=400
    )
    assert error_summary(bad) == ["Record the action taken to keep the child safe"]
    assert escalation.status is EscalationStatus.OPEN
    client_request.post(
        "audits.resolve",
        escalation_id=escalation.id,
        _data={"resolve-action_taken": "Child seen same day", "next": "home", "confirmed": "yes"},
        _expected_redirect=url("home.index"),
    )
    assert escalation.status is EscalationStatus.RESOLVED and escalation.action_taken == "Child seen same day"
    home = client_request.get("home.index")
    # Resolved: gone from the open escalations (the audit's grade still shows among the gaps).
    assert section_text(home, "Open escalations").startswith("There are no open escalations for you.")
    assert "CP-204871" not in section_text(home, "Open escalations")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"case_reference": "Jane Smith"}, "The case reference 'Jane Smith' is not a pseudonymised reference. "),
        ({"areas": ["help_protection", "atlantis"]}, "Choose judgement areas from the options shown"),
        ({"overall_grade": "excellent"}, "Choose a grade on the scale: outstanding"),
        (
            {"audit_date": date_parts(TODAY + timedelta(days=2)), "due_date": date_parts(TODAY + timedelta(days=2))},
            "Date of the audit must be today or in the past",
        ),
        ({"audit_date": ["30", "2", "2026"]}, "Date of the audit must be a real date, like 31 3 2027"),
        ({"concern": ""}, "Describe the concern for the child's safety"),
        ({"areas": []}, "Choose at least one judgement area the audit informs"),
    ],
)
def test_a_bad_audit_is_refused_and_nothing_is_saved(client_request, head, changes, message):
    before = _counts()
    page = client_request.post("audits.new", _data=_form(head, **changes), _expected_status=200)
    assert text(page.select_one(".govuk-error-summary__title")) == "There is a problem"
    [shown] = error_summary(page)
    assert shown.startswith(message)
    assert _counts() == before


def test_moderation_agrees_or_records_a_different_grade_with_a_reason(client_request, head):
    council = head.council
    first, second = make_audit(council), make_audit(council, case_reference="CP-55501")
    mo = make_user(council, Role.SENIOR_LEADER, name="Mo Moderator")
    make_user(council, Role.HEAD_OF_SERVICE, name="Alex Auditor")  # audited both cases
    make_user(council, Role.PEER_REVIEWER, name="Pat Reviewer")  # may not moderate
    make_user(make_council("Elsewhere"), Role.SENIOR_LEADER, name="Other Council")
    db.session.commit()
    page = client_request.get("audits.detail", audit_id=first.id)
    options = {text(o): o["value"] for o in page.select("#moderation-moderator option")}
    assert options == {
        "Choose the moderator": "",
        f"{head.name} (head of service)": str(head.id),
        "Mo Moderator (senior leader)": str(mo.id),
    }
    for chosen, message in (("", "Choose the moderator"), ("999999", "Choose the moderator from the council's")):
        refused = client_request.post(
            "audits.moderate",
            audit_id=first.id,
            _data={"moderation-moderator": chosen, "moderation-agreed": "yes"},
            _expected_status=400,
        )
        [shown] = error_summary(refused)
        assert shown.startswith(message)
    no_reason = client_request.post(
        "audits.moderate",
        audit_id=second.id,
        _data={"moderation-moderator": str(mo.id), "moderation-agreed": "no", "moderation-grade": "good"},
        _expected_status=400,
    )
    assert error_summary(no_reason) == ["Give the reason for the different grade"]
    assert second.moderation_agreed is None
    client_request.post(
        "audits.moderate", audit_id=first.id, _data={"moderation-moderator": str(mo.id), "moderation-agreed": "yes"}
    )
    assert first.moderation_agreed is True and first.moderator == "Mo Moderator"
    client_request.post(
        "audits.moderate",
        audit_id=second.id,
        _data={
            "moderation-moderator": str(head.id),
            "moderation-agreed": "no",
            "moderation-grade": "good",
            "moderation-reason": "Plan is working",
        },
    )
    assert second.final_grade == "good" and second.evidence_item.grade == "good" and second.moderator == head.name
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "case_audit.moderated")) == 2


def test_the_service_refuses_the_auditor_as_moderator(head):
    from evidence.case_audits import audits
    from evidence.library.items import EvidenceError, framework_of

    audit = make_audit(head.council)
    auditor = make_user(head.council, Role.SENIOR_LEADER, name="alex auditor ")
    with acting_for(head.council_id), pytest.raises(EvidenceError, match="needs a second auditor"):
        audits.moderate(audit, auditor, True, None, "", framework_of(head.council))


def test_the_summary_shows_counts_shares_trend_and_themes(client_request, head):
    for number, grade in enumerate(["good", "good", "inadequate", "requires_improvement"]):
        make_audit(head.council, case_reference=f"CP-{9000 + number}", overall_grade=grade)
    db.session.commit()
    page = client_request.get("audits.index")
    assert "4 audits recorded; 50% graded good or better." in page_text(page)
    assert TODAY.strftime("%Y-%m") in [row[0] for row in table_rows(page, "Trend by month")]
    assert "Safeguarding East" in [row[0] for row in table_rows(page, "By team")]
    assert (  # answered 'no' every time
        "Is everything the social worker describes doing reflected in the case record?"
        in section_text(page, "Common themes")
    )


def _upload(client_request, name, content, status=200):
    return client_request.post(
        "audits.import_audits",
        _data={"file": (io.BytesIO(content), name)},
        _content_type="multipart/form-data",
        _expected_status=status,
    )


CSV_HEADER = "case_reference,case_type,team,worker,auditor,audit_date,overall_grade,areas,risk_managed\n"


def test_an_import_is_previewed_then_saved_all_together(client_request, head):
    content = (
        CSV_HEADER + "CP-100001,child_protection,North,W1,A1,2025-06-01,good,help_protection,good\n"
        "CP-100002,early_help,East,W2,A2,2025-07-01,requires_improvement,help_protection;leaders,\n"
    ).encode()
    preview = _upload(client_request, "audits.csv", content)
    assert "All 2 rows are ready to save." in page_text(preview)
    assert _counts()[0] == 0
    client_request.post("audits.commit_import", _expected_redirect=url("audits.index"))
    assert db.session.scalar(select(func.count(CaseAudit.id))) == 2
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "case_audit.imported")) == 1
    # The checked rows are used once: a second commit saves nothing more.
    client_request.post("audits.commit_import", _expected_redirect=url("audits.import_audits"))
    assert db.session.scalar(select(func.count(CaseAudit.id))) == 2


def test_an_import_with_bad_rows_lists_each_problem_and_saves_nothing(client_request, head):
    content = (
        CSV_HEADER + "CP-100001,child_protection,North,W1,A1,2025-06-01,good,help_protection,good\n"
        "CP-100002,child_protection,North,W1,A1,01/07/2025,good,help_protection,good\n"
        "Jane Smith,child_protection,North,W1,A1,2025-06-01,superb,help_protection,good\n"
    ).encode()
    before = _counts()
    page = _upload(client_request, "audits.csv", content)
    # Row 4's bad reference and bad grade both: every problem of a row, not its first alone.
    assert text(page.select_one(".govuk-error-summary__title")) == "The file has 3 problems: nothing has been saved"
    problems = table_rows(page, "Problems by row")
    assert problems[0] == [
        "3",
        "audit_date",
        "'01/07/2025' is not a date in the form YYYY-MM-DD (the file must use one date format)",
    ]
    assert problems[1][:2] == ["4", "case_reference"]
    assert problems[2] == [
        "4",
        "overall_grade",
        "Choose a grade on the scale: outstanding, good, requires improvement, inadequate",
    ]
    assert page.select_one(f'form[action="{url("audits.commit_import")}"]') is None
    assert not any(text(button).startswith("Save") for button in page.select("button"))
    client_request.post("audits.commit_import", _follow_redirects=True)
    assert _counts() == before


def test_an_import_missing_columns_or_of_the_wrong_type_is_refused(client_request, head):
    before = _counts()
    page = _upload(client_request, "audits.csv", b"case_reference,team\nCP-1001,North\n", status=400)
    assert error_summary(page) == [
        "The file is missing the columns: case_type, worker, auditor, audit_date, overall_grade, areas"
    ]
    page = _upload(client_request, "audits.pdf", b"%PDF-", status=400)
    assert error_summary(page) == ["The file must be a CSV or XLSX file"]
    assert _counts() == before


def test_the_xlsx_template_downloads_and_imports(client_request, head):
    response = client_request.get_response("audits.import_template")
    assert response.headers["Content-Disposition"].startswith("attachment")
    page = _upload(client_request, "template.xlsx", response.data)
    assert "All 1 rows are ready to save." in page_text(page)
    assert template_workbook(default_template())[:2] == b"PK"


def _ticked(page):
    return sorted(box["value"] for box in page.select("input[name=areas][checked]"))


def test_the_form_ticks_the_judgements_of_the_case_type_not_every_judgement(client_request, head):
    assert _ticked(client_request.get("audits.new")) == ["help_protection"]
    page = client_request.get("audits.new", case_type="care_leaver")
    assert _ticked(page) == ["care_leavers"]
    labels = [text(label) for label in page.select(".govuk-checkboxes__label")]
    assert "The experiences and progress of care leavers" in labels


def test_asking_for_the_case_types_judgements_reticks_them_and_saves_nothing(client_request, head):
    before = _counts()
    page = client_request.post(
        "audits.new",
        _data=_form(head, case_type="child_in_care", areas=["help_protection", "leaders"], tick_areas="y"),
        _expected_status=200,
    )
    assert _ticked(page) == ["in_care"]
    assert "The judgement areas for child in care cases are ticked below. Nothing is saved yet." in page_text(page)
    assert page.select_one("#case_reference")["value"] == "CP-204871"
    assert _counts() == before


def test_an_imported_row_without_areas_informs_its_case_types_judgements(client_request, head):
    content = (CSV_HEADER + "CL-100001,care_leaver,Leaving Care,W1,A1,2025-06-01,good,,good\n").encode()
    _upload(client_request, "audits.csv", content)
    client_request.post("audits.commit_import", _expected_redirect=url("audits.index"))
    audit = db.session.scalars(select(CaseAudit)).one()
    assert [link.area_id for link in audit.evidence_item.links] == ["care_leavers"]
    page = client_request.get("audits.detail", audit_id=audit.id)
    assert "The experiences and progress of care leavers" in page_text(page)


def test_the_list_of_audits_sorts_by_a_column_through_links_in_its_header(client_request, head):
    council = head.council
    make_audit(
        council, case_reference="CP-101", team="West", audit_date=date.today() - timedelta(days=2), overall_grade="good"
    )
    make_audit(
        council,
        case_reference="CIN-202",
        case_type="child_in_need",
        team="east",
        audit_date=date.today() - timedelta(days=1),
        overall_grade="inadequate",
    )
    make_audit(council, case_reference="CP-303", team="North", overall_grade="outstanding")
    db.session.commit()

    recent = lambda page: [  # noqa: E731
        text(row.select_one("td, th")) for row in page.select("table")[-1].select("tbody tr")
    ]
    page = client_request.get("audits.index")
    assert recent(page) == ["CP-303", "CIN-202", "CP-101"]  # newest first
    date_head = page.select("table")[-1].select_one("thead th a[href*='sort=date']").find_parent("th")
    assert date_head["aria-sort"] == "descending"
    assert recent(client_request.get("audits.index", sort="grade", dir="desc")) == [
        "CIN-202",
        "CP-101",
        "CP-303",
    ]  # worst first
    assert recent(client_request.get("audits.index", sort="grade", dir="asc")) == ["CP-303", "CP-101", "CIN-202"]
    assert recent(client_request.get("audits.index", sort="team", dir="asc")) == ["CIN-202", "CP-303", "CP-101"]
    assert recent(client_request.get("audits.index", sort="case_type", dir="asc")) == ["CIN-202", "CP-303", "CP-101"]
    page = client_request.get("audits.index", sort="case", dir="asc")
    assert recent(page) == ["CIN-202", "CP-101", "CP-303"]
    case_head = page.select("table")[-1].select_one("thead th a[href*='sort=case&']").find_parent("th")
    assert case_head["aria-sort"] == "ascending" and "dir=desc" in case_head.select_one("a")["href"]
    assert recent(client_request.get("audits.index", sort="worker", dir="up")) == ["CP-303", "CIN-202", "CP-101"]
