"""Pages share one layout, error pages are in the same style, and headers keep users safe."""

import json

from flask import url_for
from sqlalchemy import select

from councils.db import db
from councils.models import Role, User
from inspect_ready import create_app
from inspect_ready.permissions import allow_anyone
from tests.support.client_request import parse, url
from tests.support.factories import make_council, make_user
from tests.support.pages import heading


def test_sign_in_page_has_the_govuk_layout(client_request):
    page = client_request.get("auth.sign_in")
    assert page.select_one("a.govuk-skip-link")["href"] == "#main-content"  # skip link
    assert page.select_one("main")["id"] == "main-content"
    assert page.select_one(".govuk-phase-banner") is not None
    assert url("static", filename="govuk-frontend.min.css") in [link["href"] for link in page.select("link")]
    assert url("static", filename="htmx.min.js") in [script.get("src") for script in page.select("script")]


def test_vendored_assets_are_served_by_the_app(client_request):
    for filename in [
        "govuk-frontend.min.css",
        "govuk-frontend.min.js",
        "htmx.min.js",
        "app.js",
        "fonts/bold-b542beb274-v2.woff2",
        "images/favicon.svg",
    ]:
        response = client_request.get_response("static", filename=filename)
        assert response.status_code == 200, filename
        response.close()


def test_security_headers(client_request):
    response = client_request.get_response("auth.sign_in")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_every_inline_script_carries_the_nonce(client_request):
    response = client_request.get_response("auth.sign_in")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    inline = [script for script in parse(response).select("script") if not script.get("src")]
    assert inline, "the page has no inline script"
    assert [script.get("nonce") for script in inline] == [nonce] * len(inline)


def test_session_cookie_flags(client_request):
    user = make_user(make_council())
    db.session.commit()
    response = client_request.post_response(
        "auth.sign_in", _data={"email": user.email, "password": "correct horse battery staple"}
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_not_found_page(client):
    response = client.get("/no-such-page")  # a path no route has: a test of URL handling itself
    assert response.status_code == 404
    page = parse(response)
    assert heading(page) == "Page not found" and "govuk-template" in page.html["class"]


def test_forbidden_page(client_request):
    client_request.sign_in(make_user(make_council(), Role.PEER_REVIEWER))
    page = client_request.get("admin.users", _expected_status=403)
    assert heading(page) == "You do not have permission to see this page"


def test_server_error_page_shows_no_stack_trace():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SHOW_ERROR_PAGES": True})

    @app.route("/crash")  # a route of the test's own, to raise an error: not a page of the app
    @allow_anyone
    def crash():
        raise RuntimeError("secret internals")

    with app.test_request_context():
        response = app.test_client().get(url_for("crash"))
    assert response.status_code == 500
    assert heading(parse(response)) == "Sorry, there is a problem with the service"
    body = response.get_data(as_text=True)  # the whole body, markup too: no trace of the error anywhere
    assert "secret internals" not in body and "Traceback" not in body


def test_a_forged_csrf_token_is_refused_and_changes_nothing(app, client_request, monkeypatch):
    admin = make_user(make_council(), Role.ADMINISTRATOR)
    db.session.commit()
    client_request.sign_in(admin)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    data = {"name": "Forged", "email": "forged@x.example", "role": "senior_leader", "csrf_token": "forged"}
    page = client_request.post("admin.add_user", _data=data, _expected_status=400)
    assert heading(page) == "Your form could not be sent"
    assert db.session.scalar(select(User).where(User.email == "forged@x.example")) is None
    client_request.post("admin.add_user", _data=data, _headers={"X-CSRFToken": "forged"}, _expected_status=400)


def test_htmx_requests_carry_the_csrf_token_header(client_request):
    page = client_request.get("auth.sign_in")
    headers = json.loads(page.body["hx-headers"])
    assert list(headers) == ["X-CSRFToken"] and headers["X-CSRFToken"]


def test_health(client_request):
    assert client_request.get_response("health.check").get_json() == {"status": "ok"}
