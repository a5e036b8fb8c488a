"""Security headers, the CSP nonce, and the per-request council scope."""

from __future__ import annotations

import secrets

from flask import Flask, g, request
from flask_login import current_user

from councils import audit_log
from councils.tenancy import NOBODY, set_current_council


def init_app(app: Flask) -> None:
    app.before_request(_begin_request)
    app.after_request(_security_headers)
    app.teardown_request(_end_request)
    app.context_processor(lambda: {"cspNonce": g.get("csp_nonce", "")})


def _begin_request() -> None:
    g.csp_nonce = secrets.token_urlsafe(16)
    # Every query from here on sees only the signed-in user's council (councils.tenancy).
    # Static files are the same for everyone: looking the person up would make them wait
    # for the database, or fail with it.
    if request.endpoint != "static" and current_user.is_authenticated:
        set_current_council(current_user.council_id)
        audit_log.set_current_actor(current_user._get_current_object())
    else:
        set_current_council(NOBODY)
        audit_log.set_current_actor(None)


def _end_request(_exc=None) -> None:
    set_current_council(None)
    audit_log.set_current_actor(None)


def _security_headers(response):
    nonce = g.get("csp_nonce", "")
    # The one inline script is GOV.UK Frontend's js-enabled line, allowed by its nonce.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if response.mimetype == "text/html":
        # Pages hold council data: never keep them in a shared cache or the back-button cache.
        response.headers["Cache-Control"] = "no-store"
    return response
