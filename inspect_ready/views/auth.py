"""Signing in and out, changing one's own password, and using a reset link."""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadData, URLSafeTimedSerializer

from councils import accounts, clock
from inspect_ready.extensions import login_manager
from inspect_ready.forms.auth import ChangePasswordForm, ResetPasswordForm, SignInForm
from inspect_ready.permissions import allow_anyone, allow_signed_in
from inspect_ready.transactions import errors_on, roll_back

bp = Blueprint("auth", __name__)

# A browser that has signed in to an account carries this signed cookie: its sign-in tries
# are counted for it alone, so guesses from elsewhere never slow its person down
# (councils/accounts.py explains the scheme).
DEVICE_COOKIE = "inspect_ready_device"
DEVICE_COOKIE_LIFETIME = timedelta(days=90)
# Pages a person with a temporary password may still use: choosing their own, and leaving.
RESET_LINK_NOT_YOURS = "This link is for another person's account. Sign out, then open the link again."
TEMPORARY_PASSWORD_PAGES = {"auth.change_password", "auth.sign_out", "static", "health.check"}


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_user_of_session)


def _user_of_session(session_id: str):
    """The signed-in person, unless the sign-in is older than SESSION_ABSOLUTE_LIFETIME,
    however much it was used. (Idle sessions end sooner: Flask refuses a cookie whose
    signed time is older than PERMANENT_SESSION_LIFETIME, and each request renews it.)"""
    began = _signed_in_at()
    if began is None or clock.now() - began > current_app.config["SESSION_ABSOLUTE_LIFETIME"]:
        return None
    return accounts.find_user_for_session(session_id)


def _signed_in_at() -> datetime | None:
    try:
        return datetime.fromisoformat(session["signed_in_at"])
    except (KeyError, TypeError, ValueError):
        return None  # a cookie from before sign-ins had a start: sign in again


@bp.before_app_request
def _temporary_password_first():
    if request.endpoint == "static":
        return None  # a stylesheet needs no account (and no database: it is served if that is down)
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in TEMPORARY_PASSWORD_PAGES
    ):
        return redirect(url_for("auth.change_password"))
    return None


@bp.route("/sign-in", methods=["GET", "POST"])
@allow_anyone
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        # Start the request's transaction afresh with sign-in's first write: on SQLite a
        # transaction that has read cannot wait for another writer and fails at once with
        # "database is locked", where one that writes first waits its turn.
        roll_back()
        email = accounts.normalise_email(form.email.data)
        result = accounts.sign_in(email, form.password.data, _address(), _device_for(email))
        if result.throttled:
            form.email.errors.append(
                f"There have been too many attempts to sign in. Wait {_minutes(result.wait)}, then try again."
            )
        elif result.user is None:
            # Same words for an unknown email, a deactivated account and a wrong password:
            # the page must not tell anyone which emails have accounts.
            form.email.errors.append("The email address or password is not right")
        else:
            session.permanent = True  # so an idle session ends after PERMANENT_SESSION_LIFETIME
            session["signed_in_at"] = clock.now().isoformat()
            login_user(result.user)
            response = redirect(_safe_next(request.args.get("next")))
            _remember_device(response, email)
            return response
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@allow_anyone
def sign_out():
    if current_user.is_authenticated:
        accounts.sign_out(current_user._get_current_object())
    logout_user()
    session.pop("signed_in_at", None)
    flash("You have signed out, on every device you were signed in on.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@allow_signed_in
def change_password():
    form = ChangePasswordForm()
    user = current_user._get_current_object()
    temporary = user.must_change_password
    if form.validate_on_submit():
        with errors_on(form):
            accounts.change_password(user, form.current_password.data, form.new_password.data)
            login_user(user)  # keep this session, which now carries the new session version
            flash("Your password has been changed. Other sessions have been signed out.", "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form, temporary=temporary)


@bp.route("/reset-password/<reset_token>", methods=["GET", "POST"])
@allow_anyone
def reset_password(reset_token: str):
    reset = accounts.find_password_reset(reset_token)
    if reset is None:
        return render_template("auth/reset_link_gone.html", message=accounts.RESET_LINK_GONE), 404
    if current_user.is_authenticated and current_user.id != reset.user_id:
        # Someone else is signed in on this browser: the link is not theirs to use.
        return render_template("auth/reset_link_gone.html", message=RESET_LINK_NOT_YOURS), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        roll_back()  # as for signing in: the link is used up by the first write
        with errors_on(form):
            accounts.reset_password(reset_token, form.new_password.data)
            if current_user.is_authenticated:
                logout_user()
            flash("Your new password is set. Sign in with it.", "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form, reset_token=reset_token)


def _address() -> str:
    return request.remote_addr or "unknown"


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="inspect-ready sign-in device")


def _device_for(email: str) -> str | None:
    """This browser's device id if its cookie is genuine, recent and for this email."""
    try:
        saved = _devices().loads(
            request.cookies.get(DEVICE_COOKIE, ""), max_age=int(DEVICE_COOKIE_LIFETIME.total_seconds())
        )
    except BadData:
        return None
    if not isinstance(saved, dict) or saved.get("email") != email or not isinstance(saved.get("device"), str):
        return None
    return saved["device"]


def _remember_device(response, email: str) -> None:
    device = _device_for(email) or secrets.token_urlsafe(16)
    response.set_cookie(
        DEVICE_COOKIE,
        _devices().dumps({"email": email, "device": device}),
        max_age=int(DEVICE_COOKIE_LIFETIME.total_seconds()),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


def _minutes(wait: timedelta) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return "a minute" if minutes == 1 else f"{minutes} minutes"


def _safe_next(target: str | None) -> str:
    """Only follow a path on this site after sign-in, never another site. Browsers drop tabs
    and newlines from URLs, so "/<tab>/evil.example" would become "//evil.example": any
    whitespace or control character is refused, as is anything with a scheme or a host."""
    if not target or not target.startswith("/") or any(ch.isspace() or ord(ch) < 32 for ch in target):
        return url_for("home.index")
    parts = urlsplit(target.replace("\\", "/"))
    if parts.scheme or parts.netloc or target.startswith("//") or "\\" in target:
        return url_for("home.index")
    return target
