"""Every route's guard, written out once: the roles its view allows and, on a review page, the
level of the review it needs, for each method. A new route, or a guard that changes, fails
here until the table says so (as funding-service's tests/unit/test_all_routes_access.py)."""

import pytest

from councils.models import Role
from inspect_ready.permissions import allow_anyone, allow_signed_in
from inspect_ready.review_access import REVIEW_ID_ARGUMENTS, Level, review_page

ANYONE = None  # @allow_anyone
SIGNED_IN = frozenset(Role)
ADMINISTRATOR = frozenset({Role.ADMINISTRATOR})
SENIOR_LEADER = frozenset({Role.SENIOR_LEADER})
LEADERS = frozenset({Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE})
# The council's own people: not a peer reviewer, who reads a council's evidence through a review.
STAFF = SIGNED_IN - {Role.PEER_REVIEWER}
LEADERS_AND_REVIEWERS = LEADERS | {Role.PEER_REVIEWER}
READ, CONTRIBUTE, MANAGE = Level.READ, Level.CONTRIBUTE, Level.MANAGE

REVIEW_IDS = REVIEW_ID_ARGUMENTS

GUARDS = {
    "POST actions.add_note": (LEADERS,),
    "GET actions.edit": (LEADERS,),
    "POST actions.edit": (LEADERS,),
    "GET actions.export": (LEADERS,),
    "GET actions.index": (LEADERS,),
    "GET actions.new": (LEADERS,),
    "POST actions.new": (LEADERS,),
    "GET actions.show": (LEADERS,),
    "GET admin.add_user": (ADMINISTRATOR,),
    "POST admin.add_user": (ADMINISTRATOR,),
    "GET admin.audit_log": (ADMINISTRATOR,),
    "GET admin.audit_log_export": (ADMINISTRATOR,),
    "GET admin.edit_user": (ADMINISTRATOR,),
    "POST admin.edit_user": (ADMINISTRATOR,),
    "GET admin.settings": (ADMINISTRATOR,),
    "POST admin.settings": (ADMINISTRATOR,),
    "GET admin.users": (ADMINISTRATOR,),
    "POST admin.reset_link": (ADMINISTRATOR,),
    "POST audits.commit_import": (LEADERS,),
    "GET audits.detail": (STAFF,),
    "POST audits.escalate": (LEADERS,),
    "GET audits.import_audits": (LEADERS,),
    "POST audits.import_audits": (LEADERS,),
    "GET audits.import_template": (STAFF,),
    "GET audits.index": (STAFF,),
    "POST audits.moderate": (LEADERS,),
    "GET audits.new": (LEADERS,),
    "POST audits.new": (LEADERS,),
    "POST audits.resolve": (LEADERS,),
    "GET auth.change_password": (SIGNED_IN,),
    "POST auth.change_password": (SIGNED_IN,),
    "GET auth.sign_in": (ANYONE,),
    "POST auth.sign_in": (ANYONE,),
    "POST auth.sign_out": (ANYONE,),
    "GET auth.reset_password": (ANYONE,),
    "POST auth.reset_password": (ANYONE,),
    # Who writes a finding depends on the key line of enquiry: the view asks may_write of it.
    "GET findings.evidence": (SIGNED_IN, READ),
    "GET findings.attachment": (SIGNED_IN, READ),
    "GET findings.observation": (SIGNED_IN, READ),
    "POST findings.observation": (SIGNED_IN, READ),
    "POST findings.save": (SIGNED_IN, READ),
    "GET findings.show": (SIGNED_IN, READ),
    "GET engagement_meeting.index": (SENIOR_LEADER,),
    "GET engagement_meeting.download": (SENIOR_LEADER,),
    "GET frameworks.index": (SIGNED_IN,),
    "GET frameworks.show": (SIGNED_IN,),
    "GET gaps.export": (LEADERS,),
    "GET gaps.index": (LEADERS,),
    "GET search.index": (LEADERS,),
    "GET gaps.theme": (LEADERS,),
    "GET health.check": (ANYONE,),
    "GET home.index": (SIGNED_IN,),
    "GET standing.judgement": (LEADERS,),
    "GET self_evaluation.index": (LEADERS,),
    "GET self_evaluation.new": (SENIOR_LEADER,),
    "POST self_evaluation.new": (SENIOR_LEADER,),
    "GET self_evaluation.show": (LEADERS,),
    "GET self_evaluation.section": (LEADERS,),
    "POST self_evaluation.section": (LEADERS,),
    "POST self_evaluation.sign_off": (SENIOR_LEADER,),
    "GET self_evaluation.compare": (LEADERS,),
    "GET self_evaluation.download": (LEADERS,),
    "POST library.archive": (LEADERS,),
    "POST library.attach": (LEADERS,),
    "GET library.detail": (STAFF,),
    "GET library.download": (STAFF,),
    "GET library.edit": (LEADERS,),
    "POST library.edit": (LEADERS,),
    "GET library.index": (STAFF,),
    "POST library.link": (LEADERS,),
    "GET library.map": (STAFF,),
    "GET library.new": (LEADERS,),
    "POST library.new": (LEADERS,),
    "POST library.unlink": (LEADERS,),
    "GET inspection_workspace.index": (LEADERS,),
    "GET inspection_workspace.new": (SENIOR_LEADER,),
    "POST inspection_workspace.new": (SENIOR_LEADER,),
    "GET inspection_workspace.show": (LEADERS,),
    "GET inspection_workspace.edit_call": (SENIOR_LEADER,),
    "POST inspection_workspace.edit_call": (SENIOR_LEADER,),
    "GET inspection_workspace.new_item": (SENIOR_LEADER,),
    "POST inspection_workspace.new_item": (SENIOR_LEADER,),
    # A head of service works the checklist items, requests and referred cases they own: the
    # view asks may_work of the record.
    "GET inspection_workspace.edit_item": (LEADERS,),
    "POST inspection_workspace.edit_item": (LEADERS,),
    "POST inspection_workspace.upload_file": (LEADERS,),
    "POST inspection_workspace.remove_item": (SENIOR_LEADER,),
    "GET inspection_workspace.new_request": (SENIOR_LEADER,),
    "POST inspection_workspace.new_request": (SENIOR_LEADER,),
    "GET inspection_workspace.edit_request": (LEADERS,),
    "POST inspection_workspace.edit_request": (LEADERS,),
    "GET inspection_workspace.new_referral": (SENIOR_LEADER,),
    "POST inspection_workspace.new_referral": (SENIOR_LEADER,),
    "GET inspection_workspace.edit_referral": (LEADERS,),
    "POST inspection_workspace.edit_referral": (LEADERS,),
    "GET inspection_workspace.daily_summary": (LEADERS,),
    "GET inspection_workspace.summary_download": (LEADERS,),
    "GET inspection_workspace.published_report": (SENIOR_LEADER,),
    "POST inspection_workspace.published_report": (SENIOR_LEADER,),
    "GET mock_inspections.compare_outcomes": (LEADERS,),
    "GET mock_inspections.gaps": (SIGNED_IN, READ),
    "GET mock_inspections.gaps_export": (SIGNED_IN, READ),
    "GET mock_inspections.theme": (SIGNED_IN, READ),
    "GET mock_inspections.index": (LEADERS,),
    "GET mock_inspections.judgement": (SIGNED_IN, READ),
    # Proposing is for the reviewers, the final grade for those managing: the view picks.
    "POST mock_inspections.judgement": (SIGNED_IN, CONTRIBUTE),
    "GET mock_inspections.new": (SENIOR_LEADER,),
    "POST mock_inspections.new": (SENIOR_LEADER,),
    "GET mock_inspections.outcome": (SIGNED_IN, READ),
    "POST mock_inspections.outcome": (SIGNED_IN, MANAGE),
    "GET mock_inspections.outcome_download": (SIGNED_IN, READ),
    "POST mock_inspections.remove_case": (SIGNED_IN, MANAGE),
    "GET mock_inspections.edit_case": (SIGNED_IN, CONTRIBUTE),
    "POST mock_inspections.edit_case": (SIGNED_IN, CONTRIBUTE),
    "GET mock_inspections.import_sample": (SIGNED_IN, CONTRIBUTE),
    "POST mock_inspections.import_sample": (SIGNED_IN, CONTRIBUTE),
    "POST mock_inspections.confirm_sample_import": (SIGNED_IN, CONTRIBUTE),
    "GET mock_inspections.sample_import_template": (SIGNED_IN, READ),
    "GET mock_inspections.sample_from_audits": (SIGNED_IN, CONTRIBUTE),
    "POST mock_inspections.sample_from_audits": (SIGNED_IN, CONTRIBUTE),
    "GET mock_inspections.sample": (SIGNED_IN, READ),
    "POST mock_inspections.sample": (SIGNED_IN, CONTRIBUTE),
    "GET mock_inspections.show": (SIGNED_IN, READ),
    "GET performance.add_action": (LEADERS,),
    "POST performance.add_action": (LEADERS,),
    "POST performance.add_standard_indicators": (LEADERS,),
    "GET performance.add_value": (LEADERS,),
    "POST performance.add_value": (LEADERS,),
    "GET performance.annex_a": (LEADERS,),
    "POST performance.annex_a": (LEADERS,),
    "GET performance.annex_a_import": (STAFF,),
    "GET performance.annex_a_headings": (LEADERS,),
    "POST performance.confirm_annex_a": (LEADERS,),
    "GET performance.annex_a_history": (STAFF,),
    "GET performance.annex_a_readiness": (STAFF,),
    "POST performance.check_annex_a_readiness": (LEADERS,),
    "GET performance.annex_a_check": (STAFF,),
    "GET performance.annex_a_rows_to_fix": (STAFF,),
    "POST performance.annex_a_headings": (LEADERS,),
    "GET performance.annex_a_progress": (STAFF,),
    "POST performance.confirm_values": (LEADERS,),
    "GET performance.import_values": (LEADERS,),
    "POST performance.import_values": (LEADERS,),
    "GET performance.index": (STAFF,),
    "GET performance.indicator": (STAFF,),
    "GET performance.targets": (LEADERS,),
    "POST performance.targets": (LEADERS,),
    "GET reviews.accept_invitation": (SIGNED_IN,),
    "POST reviews.accept_invitation": (SIGNED_IN,),
    "GET reviews.add_bank_kloes": (SIGNED_IN, MANAGE),
    "POST reviews.add_bank_kloes": (SIGNED_IN, MANAGE),
    "POST reviews.add_member": (SIGNED_IN, MANAGE),
    "GET reviews.delete_kloe": (SIGNED_IN, MANAGE),
    "POST reviews.delete_kloe": (SIGNED_IN, MANAGE),
    "GET reviews.edit": (SIGNED_IN, MANAGE),
    "POST reviews.edit": (SIGNED_IN, MANAGE),
    "GET reviews.edit_kloe": (SIGNED_IN, MANAGE),
    "POST reviews.edit_kloe": (SIGNED_IN, MANAGE),
    "GET reviews.index": (SIGNED_IN,),
    "POST reviews.invite": (SIGNED_IN, MANAGE),
    "GET reviews.new": (SENIOR_LEADER,),
    "POST reviews.new": (SENIOR_LEADER,),
    "GET reviews.new_kloe": (SIGNED_IN, MANAGE),
    "POST reviews.new_kloe": (SIGNED_IN, MANAGE),
    "GET reviews.progress": (SIGNED_IN, MANAGE),
    "POST reviews.remove_member": (SIGNED_IN, MANAGE),
    "POST reviews.resend_invitation": (SIGNED_IN, MANAGE),
    "GET reviews.revoke_invitation": (SIGNED_IN, MANAGE),
    "POST reviews.revoke_invitation": (SIGNED_IN, MANAGE),
    "GET reviews.report": (SIGNED_IN, MANAGE),
    "GET reviews.report_download": (SIGNED_IN, MANAGE),
    "GET reviews.show": (SIGNED_IN, READ),
    "GET reviews.team": (SIGNED_IN, MANAGE),
    "GET static": (ANYONE,),
    # A JTAI's cases: the team reads and each agency writes its view; the lead chooses the cases.
    "GET visits.joint_cases": (SIGNED_IN, READ),
    "POST visits.joint_cases": (SIGNED_IN, MANAGE),
    "GET visits.joint_case": (SIGNED_IN, READ),
    "POST visits.joint_case": (SIGNED_IN, CONTRIBUTE),
    "GET visits.visit_recommendations": (SIGNED_IN, READ),
    "GET visits.record_progress": (SIGNED_IN, READ),
    "POST visits.record_progress": (SIGNED_IN, CONTRIBUTE),
    "GET visits.recommendations_index": (LEADERS,),
    "GET visits.new_recommendation": (SENIOR_LEADER,),
    "POST visits.new_recommendation": (SENIOR_LEADER,),
    "GET visits.edit_recommendation": (SENIOR_LEADER,),
    "POST visits.edit_recommendation": (SENIOR_LEADER,),
}


def _methods(rule):
    return sorted(rule.methods - {"HEAD", "OPTIONS"})  # Flask answers these itself, from GET


def _declared_guards(app) -> dict:
    guards = {}
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        review = getattr(view, "review_guard", None)
        for method in _methods(rule):
            roles = view.allowed_roles
            guards[f"{method} {rule.endpoint}"] = (roles, review.level(method)) if review else (roles,)
    return guards


def test_every_endpoint_and_method_has_the_guard_the_table_expects(app):
    declared = _declared_guards(app)
    assert sorted(declared.keys() - GUARDS.keys()) == [], "new routes: add each to GUARDS with the guard it needs"
    assert sorted(GUARDS.keys() - declared.keys()) == [], "routes no longer in the app: remove them from GUARDS"
    changed = sorted(key for key in GUARDS if declared[key] != GUARDS[key])
    assert changed == [], f"guards that differ from the table (fix the view, or the table if it is meant): {changed}"


def test_every_route_with_a_review_or_inspection_id_is_a_review_page(app):
    without = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.arguments & REVIEW_IDS and not hasattr(app.view_functions[rule.endpoint], "review_guard")
    )
    assert without == [], f"routes taking a review's id without @review_page: {without}"
    no_id = sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if hasattr(app.view_functions[rule.endpoint], "review_guard") and not rule.arguments & REVIEW_IDS
    )
    assert no_id == [], f"review pages with no review_id or inspection_id to open: {no_id}"


def _page(review_id, access):
    return "page"


def test_the_role_check_comes_first_and_a_review_page_needs_a_signed_in_person():
    with pytest.raises(TypeError, match="below the role decorator"):
        review_page(Level.READ)(allow_signed_in(_page))
    with pytest.raises(TypeError, match="signed-in person"):
        allow_anyone(review_page(Level.READ)(_page))
    with pytest.raises(ValueError, match="stricter"):
        review_page(Level.MANAGE, post=Level.READ)
    view = allow_signed_in(review_page(Level.READ, post=Level.CONTRIBUTE)(_page))
    assert view.allowed_roles == SIGNED_IN and view.review_guard.level("POST") is Level.CONTRIBUTE
