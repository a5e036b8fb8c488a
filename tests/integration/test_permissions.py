"""Every view declares who may use it, and the declaration is what happens."""

import pytest

from councils.models import Role
from inspect_ready.permissions import declared
from tests.support.factories import make_council, make_user, sign_in_as


def test_every_view_declares_who_may_use_it(app):
    undeclared = sorted(endpoint for endpoint, view in app.view_functions.items() if not declared(view))
    assert undeclared == [], f"views with no @allow, @allow_signed_in or @allow_anyone: {undeclared}"


def _pages_without_arguments(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments:
            yield rule


def test_signed_out_people_are_sent_to_sign_in(app, client):
    for rule in _pages_without_arguments(app):
        roles = app.view_functions[rule.endpoint].allowed_roles
        response = client.get(rule.rule)
        if roles is None:
            assert response.status_code in (200, 302), rule.rule
        else:
            assert response.status_code == 302, rule.rule
            assert "/sign-in" in response.location, rule.rule


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_only_its_pages(app, client, role):
    user = make_user(make_council(), role)
    sign_in_as(client, user)
    for rule in _pages_without_arguments(app):
        roles = app.view_functions[rule.endpoint].allowed_roles
        response = client.get(rule.rule)
        if roles is not None and role not in roles:
            assert response.status_code == 403, f"{role.value} reached {rule.rule}"
            assert "You do not have permission" in response.get_data(as_text=True)
        else:
            assert response.status_code in (200, 302), f"{role.value} refused {rule.rule}"


def test_navigation_shows_only_what_the_role_may_use(client):
    council = make_council()
    sign_in_as(client, make_user(council, Role.SENIOR_LEADER))
    page = client.get("/").get_data(as_text=True)
    assert "Audit log" not in page
    sign_in_as(client, make_user(council, Role.ADMINISTRATOR))
    page = client.get("/").get_data(as_text=True)
    assert "Audit log" in page and "Users" in page
