"""Fetch the app's pages by endpoint and get them back parsed, as notifications-admin's tests do.

The `client_request` fixture (tests/conftest.py) wraps the test's `client`, so both share
one session; `client_request.sign_in(user)` signs in without the form.

    page = client_request.get("library.detail", item_id=item.id)
    assert page.select_one("h1").text.strip() == "Front door audit findings"
    client_request.post("library.link", item_id=item.id, _data={"link": "in_care"}, _expected_redirect=url("library.detail", item_id=item.id))

Names starting with an underscore are for the request; every other keyword goes to
url_for: the endpoint's arguments, then the query string (`area="in_care"` gives
`?area=in_care`). Each call asserts the status it expects:

- get() expects 200 and returns the page parsed with html5lib (a BeautifulSoup);
- post() expects a redirect (302), or 200 when it follows redirects, and returns the
  final response's body parsed; `_expected_redirect` checks where a redirect goes (the
  first one, when redirects are followed);
- follow(response) fetches the page a redirect points to;
- get_response() and post_response() take the same arguments and return the response
  itself, for downloads, headers, JSON, a redirect's location or an htmx fragment's
  status (pass `_headers={"HX-Request": "true"}` for htmx).

`_expected_status` may be a tuple where a test allows more than one status. The wrapped
client is the checked client (tests/support/checked_client.py), so every HTML page is
still validated as it is fetched.
"""

from __future__ import annotations

from urllib.parse import urlencode

from bs4 import BeautifulSoup
from flask import url_for
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from councils.models import User
from tests.support.factories import sign_in_as


def url(endpoint: str, **values) -> str:
    """The path of an endpoint of the app (`url_for` in a test request context), as the
    app's own redirects and links give it: for comparing with a location or an href."""
    from flask import current_app

    with current_app.test_request_context():
        return url_for(endpoint, **values)


def sign_in_redirect(next_url: str) -> str:
    """Where a signed-out person asking for `next_url` is sent: the sign-in page, to come back after."""
    return url("auth.sign_in") + "?" + urlencode({"next": next_url})


def parse(response: TestResponse) -> BeautifulSoup:
    return BeautifulSoup(response.get_data(as_text=True), "html5lib")


class ClientRequest:
    def __init__(self, client: FlaskClient):
        self.client = client

    def url(self, endpoint: str, **values) -> str:
        """As url() above, for the client's app (no app context needed)."""
        with self.client.application.test_request_context():
            return url_for(endpoint, **values)

    def sign_in(self, user: User) -> User:
        """Sign in as `user` without the form (the form itself is tested in test_auth.py)."""
        sign_in_as(self.client, user)
        return user

    def follow(self, response: TestResponse, _expected_status: int | tuple[int, ...] = 200) -> BeautifulSoup:
        """The page a redirect response points to, fetched and parsed."""
        assert response.location, f"{response.status_code} is not a redirect"
        return parse(_checked(self.client.get(response.location), _expected_status, None))

    def get(
        self,
        endpoint: str,
        _expected_status: int | tuple[int, ...] = 200,
        _follow_redirects: bool = False,
        _expected_redirect: str | None = None,
        _headers: dict | None = None,
        **endpoint_kwargs,
    ) -> BeautifulSoup:
        return parse(
            self.get_response(
                endpoint,
                _expected_status=_expected_status,
                _follow_redirects=_follow_redirects,
                _expected_redirect=_expected_redirect,
                _headers=_headers,
                **endpoint_kwargs,
            )
        )

    def post(
        self,
        endpoint: str,
        _data: dict | None = None,
        _expected_status: int | tuple[int, ...] | None = None,
        _expected_redirect: str | None = None,
        _follow_redirects: bool = False,
        _headers: dict | None = None,
        _content_type: str | None = None,
        **endpoint_kwargs,
    ) -> BeautifulSoup:
        return parse(
            self.post_response(
                endpoint,
                _data=_data,
                _expected_status=_expected_status,
                _expected_redirect=_expected_redirect,
                _follow_redirects=_follow_redirects,
                _headers=_headers,
                _content_type=_content_type,
                **endpoint_kwargs,
            )
        )

    def get_response(
        self,
        endpoint: str,
        _expected_status: int | tuple[int, ...] = 200,
        _follow_redirects: bool = False,
        _expected_redirect: str | None = None,
        _headers: dict | None = None,
        **endpoint_kwargs,
    ) -> TestResponse:
        response = self.client.get(
            self.url(endpoint, **endpoint_kwargs), headers=_headers, follow_redirects=_follow_redirects
        )
        return _checked(response, _expected_status, _expected_redirect)

    def post_response(
        self,
        endpoint: str,
        _data: dict | None = None,
        _expected_status: int | tuple[int, ...] | None = None,
        _expected_redirect: str | None = None,
        _follow_redirects: bool = False,
        _headers: dict | None = None,
        _content_type: str | None = None,
        **endpoint_kwargs,
    ) -> TestResponse:
        if _expected_status is None:
            _expected_status = 200 if _follow_redirects else 302
        response = self.client.post(
            self.url(endpoint, **endpoint_kwargs),
            data=_data,
            headers=_headers,
            content_type=_content_type,
            follow_redirects=_follow_redirects,
        )
        return _checked(response, _expected_status, _expected_redirect)


def _checked(response: TestResponse, expected_status, expected_redirect: str | None) -> TestResponse:
    allowed = expected_status if isinstance(expected_status, tuple) else (expected_status,)
    where = f"{response.request.method} {response.request.full_path.rstrip('?')}"
    assert response.status_code in allowed, f"{where} gave {response.status_code}, not {expected_status}" + (
        f" (to {response.location})" if response.location else ""
    )
    if expected_redirect is not None:
        # When redirects were followed, the first one is the one checked.
        location = response.history[0].location if response.history else response.location
        assert location == expected_redirect, f"{where} went to {location}, not {expected_redirect}"
    return response
