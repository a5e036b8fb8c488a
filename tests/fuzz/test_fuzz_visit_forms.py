"""The visits' forms (a JTAI's joint case audits, a monitoring visit's findings, the last
inspection's recommendations, a focused visit's set-up and a partner agency's invitation),
posted with more examples than the walk of every form gives each: never a server error, and a
refused post keeps nothing. The forms are found on their pages as a browser finds them."""

from __future__ import annotations

from councils.models import Role
from tests.fuzz.conftest import EXAMPLES
from tests.fuzz.forms import forms_on
from tests.fuzz.test_fuzz_forms import PASSWORD, _fuzz_one_form
from tests.support.every_page import sample_council
from tests.support.factories import sign_in_as

# (role, page, the forms' action) for each new form: the page shows it, the action takes it.
VISIT_FORMS = [
    (Role.SENIOR_LEADER, "/reviews/new", "/reviews/new"),
    (Role.SENIOR_LEADER, "/recommendations/new", "/recommendations/new"),
    (Role.SENIOR_LEADER, "/recommendations/{recommendation_id}/edit", "/recommendations/{recommendation_id}/edit"),
    (Role.ADMINISTRATOR, "/reviews/{jtai_id}/cases", "/reviews/{jtai_id}/cases"),
    (Role.ADMINISTRATOR, "/reviews/{jtai_id}/cases/{joint_case_id}", "/reviews/{jtai_id}/cases/{joint_case_id}"),
    (Role.ADMINISTRATOR, "/reviews/{jtai_id}/team", "/reviews/{jtai_id}/team/invite"),
    (
        Role.ADMINISTRATOR,
        "/reviews/{monitoring_visit_id}/recommendations/{recommendation_id}",
        "/reviews/{monitoring_visit_id}/recommendations/{recommendation_id}",
    ),
]


def test_no_post_of_a_visit_form_is_a_server_error_or_keeps_half(app, client, tmp_path, monkeypatch, tally):
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path))
    sample = sample_council(app, PASSWORD)
    ids = sample["ids"]
    for role, page, action in VISIT_FORMS:
        user = sample["users"][role]
        sign_in_as(client, user)
        path, target = page.format(**ids), action.format(**ids)
        response = client.get(path)
        assert response.status_code == 200, path
        found = [form for form in forms_on(response.get_data(as_text=True), path) if form.action == target]
        assert found, f"{path} shows no form posting to {target}"
        for form in found:
            _fuzz_one_form(client, user, role, form, tally, examples=EXAMPLES * 3)
