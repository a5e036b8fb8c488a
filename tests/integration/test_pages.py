"""Pages share one layout, error pages are in the same style, and headers keep users safe."""

from sqlalchemy import select

from councils.models import Role, User
from inspect_ready import create_app
from inspect_ready.extensions import db
from inspect_ready.permissions import allow_anyone
from tests.support.factories import make_council, make_user, sign_in_as


def test_sign_in_page_has_the_govuk_layout(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'href="#main-content"' in page  # skip link
    assert "govuk-phase-banner" in page
    assert "/assets/govuk-frontend.min.css" in page
    assert "/assets/htmx.min.js" in page


def test_vendored_assets_are_served_by_the_app(client):
    for path in [
        "/assets/govuk-frontend.min.css",
        "/assets/govuk-frontend.min.js",
        "/assets/htmx.min.js",
        "/assets/app.js",
        "/assets/fonts/bold-b542beb274-v2.woff2",
        "/assets/images/favicon.svg",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()


def test_security_headers(client):
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_every_inline_script_carries_the_nonce(client):
    response = client.get("/sign-in")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    page = response.get_data(as_text=True)
    assert page.count("<script>") == 0
    assert f'<script nonce="{nonce}">' in page


def test_session_cookie_flags(client):
    user = make_user(make_council())
    db.session.commit()
    response = client.post("/sign-in", data={"email": user.email, "password": "correct horse battery staple"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_not_found_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page and "govuk-template" in page


def test_forbidden_page(client):
    sign_in_as(client, make_user(make_council(), Role.PEER_REVIEWER))
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.get_data(as_text=True)


def test_server_error_page_shows_no_stack_trace():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SHOW_ERROR_PAGES": True})

    @app.route("/crash")
    @allow_anyone
    def crash():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/crash")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_a_forged_csrf_token_is_refused_and_changes_nothing(app, client, monkeypatch):
    admin = make_user(make_council(), Role.ADMINISTRATOR)
    db.session.commit()
    sign_in_as(client, admin)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    data = {"name": "Forged", "email": "forged@x.example", "role": "senior_leader", "csrf_token": "forged"}
    response = client.post("/admin/users/new", data=data)
    assert response.status_code == 400
    assert "Your form could not be sent" in response.get_data(as_text=True)
    assert db.session.scalar(select(User).where(User.email == "forged@x.example")) is None
    response = client.post("/admin/users/new", data=data, headers={"X-CSRFToken": "forged"})
    assert response.status_code == 400


def test_htmx_requests_carry_the_csrf_token_header(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'hx-headers="{&#34;X-CSRFToken&#34;: &#34;' in page or "X-CSRFToken" in page


def test_health(client):
    assert client.get("/health").get_json() == {"status": "ok"}
