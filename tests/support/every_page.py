"""One council with a record behind every page: the sample that tests walking every route use.

A page whose URL carries an id needs a sample record: add one here when a route takes a new
argument, and every test that walks the URL map sees it.
"""

import datetime as dt
import re

from councils import accounts
from councils.db import db
from councils.models import Role, ServiceArea
from councils.tenancy import acting_for
from councils.versions import NEW
from evidence.action_plan import actions
from evidence.action_plan.models import Action
from evidence.inspection_workspace import calls, report
from evidence.inspection_workspace import requests as workspace_requests
from evidence.library import items
from evidence.library.attachments import add_attachment
from evidence.mock_inspections import inspections
from evidence.performance import indicators
from evidence.performance.annex_a import imports
from evidence.performance.annex_a.list_rows import ListRows
from evidence.performance.annex_a.readiness import check_workbook, pseudonymiser
from evidence.performance.models import ImportStatus
from evidence.reviews.models import ReviewKind
from evidence.self_evaluation import self_evaluations
from evidence.themes import theme_id
from evidence.visits import joint_audits, recommendations
from evidence.visits.models import CaseViewFrom, Progress
from inspect_ready.permissions import EVERY_ROLE
from judgement_framework import load_framework
from tests.support.factories import make_audit, make_evidence
from tests.support.review_factories import make_finding, make_invitation, make_review
from tests.support.visit_factories import add_joint_case, make_recommendation, make_visit

NOT_PAGES = {"static", "health.check"}  # not HTML pages; downloads are found by their content type


def sample_council(app, password: str, name: str = "Axe County Council") -> dict:
    """One person per role in one council, and the ids that URLs need."""
    council = accounts.create_council(name)
    users = {}
    for role in Role:
        users[role] = accounts.add_user(
            council,
            name=f"{role.label} Person",
            email=f"{role.value}@axe.example",
            password=password,
            role=role,
            service_area=ServiceArea.FRONT_DOOR if role is Role.HEAD_OF_SERVICE else None,
        )
    evidence_item = make_evidence(council, title="Supervision audit, March")
    audit = make_audit(council)
    with acting_for(council.id):
        action = Action(
            what="Re-audit strategy discussions",
            owner_id=users[Role.SENIOR_LEADER].id,
            due_date=dt.date.today(),
            success_measure="Audits good or better",
            area_id="help_protection",
        )
        db.session.add(action)
        attachment = add_attachment(
            evidence_item, "notes.txt", b"Audit notes", app.config["ATTACHMENTS_DIR"], "axe@axe.example"
        )
        indicators.ensure_default_indicators()
        indicator = indicators.all_indicators()[0]
        value = indicators.record_value(indicator, dt.date.today().replace(day=1), 1)
        # A clinic's corrective action for the month, shown on the indicator page and in the plan.
        actions.create_corrective(
            items.framework_of(council),
            value,
            what="Review every late assessment",
            owner_id=users[Role.HEAD_OF_SERVICE].id,
            due_date=dt.date.today(),
            success_measure=actions.corrective_success_measure(indicator),
            today=dt.date.today(),
        )
        job = imports.queue_import(
            filename="a.xlsx", month=dt.date.today().replace(day=1), cp_visit_working_days=10, requested_by="Axe"
        )
        _awaiting_confirmation(job)
        check = imports.queue_check(filename="check.xlsx", requested_by="Axe")
        _checked(check)
        db.session.flush()
    ids = {
        "user_id": users[Role.SENIOR_LEADER].id,
        "framework_id": "sif-2013",
        "file_format": "csv",
        "action_id": action.id,
        "item_id": evidence_item.id,
        "attachment_id": attachment.id,
        "audit_id": audit.id,
        "indicator_id": indicator.id,
        "value_id": value.id,
        "import_id": job.id,
        "check_id": check.id,
        "evidence_item_id": evidence_item.id,
        "reset_token": accounts.create_password_reset(users[Role.ADMINISTRATOR]).token,  # the first role to visit it
        # The sample audit's theme: graded below good, about help and protection as a whole.
        "theme_id": theme_id("help_protection", None),
    }
    ids |= _review_samples(council, users[Role.ADMINISTRATOR])
    ids |= _mock_inspection_samples(council, users[Role.ADMINISTRATOR])
    ids |= _inspection_workspace_samples(council, users[Role.SENIOR_LEADER], users[Role.HEAD_OF_SERVICE])
    ids |= _visit_samples(council, users[Role.ADMINISTRATOR], audit)
    ids |= _self_evaluation_samples(council, users[Role.SENIOR_LEADER])
    db.session.commit()
    return {"emails": {role: user.email for role, user in users.items()}, "users": users, "ids": ids}


def _awaiting_confirmation(job) -> None:
    """An import waiting for a person, with a readiness report: the fullest import page."""
    leavers = ListRows(9, "List 9", ("Child Unique ID", "Date of Birth"), [{"row": 2, "Child Unique ID": "X1", "Date of Birth": "01/01/1990"}])  # fmt: skip
    report = check_workbook({9: leavers}, today=dt.date.today(), pseudonym=pseudonymiser(b"axe"))
    figure = {"key": "care_leavers_in_touch", "title": "Care leavers the council is in touch with", "list": "List 9 (Care Leavers)",
              "numerator": 1, "denominator": 2, "value": 50.0, "unusable_count": 0, "unusable": [], "not_computed": None}  # fmt: skip
    job.status, job.progress = ImportStatus.AWAITING_CONFIRMATION, 100
    job.result = {"figures": [figure], "problems": [], "rows": 1, "stored": 0, "readiness": report.to_dict()}


def _checked(job) -> None:
    """A readiness check the worker finished: its report, with a row to fix."""
    leavers = ListRows(9, "List 9", ("Child Unique ID", "Date of Birth"), [{"row": 2, "Child Unique ID": "X1", "Date of Birth": "01/01/1990"}])  # fmt: skip
    report = check_workbook({9: leavers}, today=dt.date.today(), pseudonym=pseudonymiser(b"axe"))
    job.status, job.progress = ImportStatus.SUCCEEDED, 100
    job.result = {"rows": 1, "unplaced": [], "readiness": report.to_dict()}


def _review_samples(council, lead) -> dict:
    """A review in fieldwork led by the first role the walk signs in as, with a finding."""
    review = make_review(council, lead)
    kloe = review.kloes[2]
    make_finding(kloe)
    new = make_invitation(review, "invited@axe.example")
    # The walk signs in as the lead, so the link is made theirs to reach the page that accepts
    # it (inviting someone already on the team is refused, so it cannot be asked for directly).
    new.invitation.email = lead.email
    return {"review_id": review.id, "kloe_id": kloe.id, "token": new.token, "invitation_id": new.invitation.id}


def _mock_inspection_samples(council, lead) -> dict:
    """A mock inspection with a tracked case, a proposed and a final grade, and a key judgement
    graded inadequate, so the outcome page shows the limiter."""
    review = make_review(council, lead, title="Mock inspection, axe")
    review.kind = ReviewKind.MOCK_INSPECTION
    framework = load_framework(review.framework_id)
    with acting_for(council.id):
        fields = inspections.CaseFields(
            "AX-1001", "5 to 9", "child_protection", "Safeguarding East", "Indian", True, "Girl", ["help_protection"]
        )
        case = inspections.add_tracked_case(review, fields, framework)
        inspections.propose_grade(
            review, framework, "help_protection", lead, "inadequate", "Drift in plans", version=NEW
        )
        inspections.moderate(review, framework, "help_protection", lead, "inadequate", "Drift in plans", version=NEW)
        db.session.flush()
    return {"inspection_id": review.id, "area_id": "help_protection", "case_id": case.id}


def _inspection_workspace_samples(council, leader, head) -> dict:
    """A recorded call with a checklist, a request and a referred-back case owned by the head of
    service (so each role that may work them reaches their pages), and a published report."""
    today = dt.date.today()
    with acting_for(council.id):
        notice = calls.record_call(calls.CallFields(today, "standard", "Pat Inspector", today), today, leader)
        item = notice.checklist[0]
        item.owner_id = head.id
        request = workspace_requests.add_request(
            notice,
            workspace_requests.RequestFields(
                "Strategy meeting minutes", "Pat Inspector", today, head.id, today, "asked", "", None
            ),
            today,
        )
        case = workspace_requests.refer_case(
            notice,
            workspace_requests.ReferralFields("AX-2001", "No recent visit", today, head.id, "open", ""),
            today,
        )
        framework = items.framework_of(council)
        report.record_report(
            notice, framework, today, {area.id: "good" for area in framework.areas}, today, notice.version
        )
        db.session.flush()
    return {"notice_id": notice.id, "checklist_item_id": item.id, "request_id": request.id, "referral_id": case.id}
def _visit_samples(council, lead, audit) -> dict:
    """A focused visit (its pages are the review's), a JTAI with a case audited jointly and a
    monitoring visit with a finding on a recommendation."""
    make_visit(council, lead, ReviewKind.FOCUSED_VISIT_REHEARSAL)
    jtai = make_visit(council, lead, ReviewKind.JTAI_REHEARSAL)
    joint_case = add_joint_case(jtai, audit)
    make_audit(council, case_reference="AX-2002")  # one left to choose, so the page offers its form
    visit = make_visit(council, lead, ReviewKind.MONITORING_VISIT_REHEARSAL)
    recommendation = make_recommendation(council)
    with acting_for(council.id):
        recommendations.record_progress(
            visit, recommendation, Progress.SOME, "Conferences are more timely.", version=NEW, author="Axe"
        )
        joint_audits.save_view(
            joint_case, CaseViewFrom.CHILDRENS_SOCIAL_CARE, "Seen weekly.", "", version=NEW, author="Axe"
        )
        db.session.flush()
    return {
        "jtai_id": jtai.id,
        "joint_case_id": joint_case.id,
        "monitoring_visit_id": visit.id,
        "recommendation_id": recommendation.id,
    }
def _self_evaluation_samples(council, leader) -> dict:
    """Last year's self-evaluation and this year's draft, so the compare page has both."""
    framework = load_framework(council.framework_id)
    this_year = self_evaluations.year_of(dt.date.today())
    with acting_for(council.id):
        self_evaluations.start(council, framework, this_year - 1, by=leader)
        found = self_evaluations.start(council, framework, this_year, by=leader)
        db.session.flush()
    return {"self_evaluation_id": found.id, "section_id": found.sections[0].id}


def pages(app, ids):
    """Every GET route with the roles allowed on it."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_PAGES or "GET" not in rule.methods:
            continue
        missing = rule.arguments - ids.keys()
        assert not missing, f"{rule.rule}: add a sample for {missing} to the people fixture"
        roles = app.view_functions[rule.endpoint].allowed_roles
        yield rule, (roles if roles is not None else EVERY_ROLE)


def url_of(rule, ids: dict) -> str:
    """The rule's path with the sample's ids in it."""
    ids = with_file_format(rule, ids)
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(rf"<[^>]*\b{name}>", str(ids[name]), url)
    return url


# Every file format a download route takes. A sample names one; a route that takes other
# formats (a document's docx or pdf, a gap list's csv or xlsx) gets the first of its own.
FILE_FORMATS = ("csv", "xlsx", "docx", "pdf")


def with_file_format(rule, values: dict) -> dict:
    if "file_format" not in rule.arguments:
        return values
    for candidate in (values.get("file_format"), *FILE_FORMATS):
        try:
            rule.build({**values, "file_format": candidate})  # the converter refuses a format it does not take
        except ValueError:
            continue
        return {**values, "file_format": candidate}
    raise AssertionError(f"{rule.rule} takes none of the file formats {FILE_FORMATS}")
