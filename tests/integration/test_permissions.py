"""Every view declares who may use it, and the declaration is what happens."""

import pytest

from councils.models import Role
from inspect_ready.permissions import declared
from tests.support.client_request import sign_in_redirect, url
from tests.support.factories import make_council, make_user
from tests.support.pages import heading, navigation, page_text


def test_every_view_declares_who_may_use_it(app):
    undeclared = sorted(endpoint for endpoint, view in app.view_functions.items() if not declared(view))
    assert undeclared == [], f"views with no @allow, @allow_signed_in or @allow_anyone: {undeclared}"


def _pages_without_arguments(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments:
            yield rule


def test_signed_out_people_are_sent_to_sign_in(app, client_request):
    for rule in _pages_without_arguments(app):
        roles = app.view_functions[rule.endpoint].allowed_roles
        if roles is None:
            client_request.get_response(rule.endpoint, _expected_status=(200, 302))
        else:
            client_request.get_response(
                rule.endpoint, _expected_status=302, _expected_redirect=sign_in_redirect(url(rule.endpoint))
            )


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_only_its_pages(app, client_request, role):
    user = make_user(make_council(), role)
    client_request.sign_in(user)
    for rule in _pages_without_arguments(app):
        roles = app.view_functions[rule.endpoint].allowed_roles
        if roles is not None and role not in roles:
            page = client_request.get(rule.endpoint, _expected_status=403)
            assert heading(page) == "You do not have permission to see this page", f"{role.value} reached {rule.rule}"
        else:
            client_request.get_response(rule.endpoint, _expected_status=(200, 302))


def test_navigation_shows_only_what_the_role_may_use(client_request):
    council = make_council()
    client_request.sign_in(make_user(council, Role.SENIOR_LEADER))
    page = client_request.get("home.index")
    assert "Audit log" not in navigation(page) and "Audit log" not in page_text(page)
    client_request.sign_in(make_user(council, Role.ADMINISTRATOR))
    page = client_request.get("home.index")
    assert "Audit log" in navigation(page) and "Users" in navigation(page)
