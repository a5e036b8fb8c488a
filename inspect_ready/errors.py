"""Error pages in the service's own style. No stack trace ever reaches a user."""

from __future__ import annotations

import logging
import traceback

from flask import Blueprint, current_app, g, render_template, request
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from councils.db import db
from inspect_ready import audit_trail
from inspect_ready.extensions import login_manager

errors = Blueprint("errors", __name__)
log = logging.getLogger(__name__)

PAGES = {
    400: (
        "There is a problem with the request",
        "Go back and try again. If it happens again, contact your administrator.",
    ),
    403: (
        "You do not have permission to see this page",
        "Your role does not give access to it. If you think it should, ask your council's administrator.",
    ),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you followed a link, the page may have been removed or belong to another council.",
    ),
    405: ("There is a problem with the request", "This page cannot be used that way. Go back and try again."),
    413: ("The file is too large", "Choose a smaller file and try again."),
    429: ("Too many requests", "Wait a few minutes, then try again."),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you entered in the last step was saved.",
    ),
}


def _page(status: int, title: str | None = None, advice: str | None = None):
    """The service's own error page, whatever failed: if the page cannot be drawn for the
    signed-in person (their name and council come from the database, which may be what
    failed), it is drawn as for someone signed out, and failing that as plain HTML."""
    if title is None:
        title, advice = PAGES.get(status, PAGES[500])
    try:
        return render_template("errors/error.html", title=title, advice=advice, status=status), status
    except Exception as error:
        log.warning("The error page could not show the signed-in person (%s)", type(error).__name__)
    _roll_back()
    g._login_user = login_manager.anonymous_user()  # Flask-Login's current_user, without the database
    try:
        return render_template("errors/error.html", title=title, advice=advice, status=status), status
    except Exception as error:
        log.warning("The error page could not be drawn (%s)", type(error).__name__)
    return _plain_page(title, advice), status


def _plain_page(title: str, advice: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)} - {escape(current_app.config['SERVICE_NAME'])}</title></head>"
        f'<body><main><h1>{escape(title)}</h1><p>{escape(advice)}</p><p><a href="/">Go to the home page</a></p>'
        "</main></body></html>"
    )


def _roll_back() -> None:
    # With the database gone the rollback can fail too; the page matters more.
    try:
        db.session.rollback()
    except Exception as error:
        log.warning("Rolling back after an error failed (%s)", type(error).__name__)


@errors.app_errorhandler(CSRFError)
def csrf_failed(error: CSRFError):
    _roll_back()
    # The route, not the address: an address can hold an invitation's token.
    log.info(
        "CSRF check failed on %s: %s", request.url_rule.rule if request.url_rule else "(no route)", error.description
    )
    return _page(
        400,
        "Your form could not be sent",
        "The page had expired or the form did not come from this service, so nothing was saved. "
        "Go back, reload the page and try again.",
    )


@errors.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    try:
        audit_trail.record_refusal(error.code or 500)
    except Exception as failure:  # the database may be what failed; the page matters more
        log.warning("A refusal could not be kept in the audit log (%s)", type(failure).__name__)
        _roll_back()
    return _page(error.code or 500)


@errors.app_errorhandler(Exception)
def unexpected_error(error: Exception):
    """The service's page, and a log line that says where it failed but not the error's
    message or the address: either can hold personal data (a database error quotes the
    values it refused, a message names a person, an address holds an invitation's token)."""
    _roll_back()
    if current_app.testing and not current_app.config.get("SHOW_ERROR_PAGES"):
        raise error  # a test should see the real failure, not the page a user would
    log.error(
        "Unhandled error on %s %s: %s\n%s",
        request.method,
        request.url_rule.rule if request.url_rule else "(no route)",
        type(error).__name__,
        "".join(traceback.format_tb(error.__traceback__)),
    )
    return _page(500)
