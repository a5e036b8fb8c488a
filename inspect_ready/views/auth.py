"""Signing in and out, and changing one's own password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from councils import accounts
from inspect_ready.extensions import login_manager
from inspect_ready.forms.auth import ChangePasswordForm, SignInForm
from inspect_ready.permissions import allow_anyone, allow_signed_in
from inspect_ready.transactions import errors_on

bp = Blueprint("auth", __name__)


def init_login(app: Flask) -> None:
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(accounts.find_user_for_session)


@bp.route("/sign-in", methods=["GET", "POST"])
@allow_anyone
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        result = accounts.sign_in(form.email.data, form.password.data, request.remote_addr or "unknown")
        if result.throttled:
            form.email.errors.append("There have been too many attempts to sign in. Wait 15 minutes, then try again.")
        elif result.user is None:
            # Same words for an unknown email and a wrong password: the page must not
            # tell anyone which emails have accounts.
            form.email.errors.append("The email address or password is not right")
        else:
            session.permanent = True  # so it expires after PERMANENT_SESSION_LIFETIME
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
@allow_anyone
def sign_out():
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@allow_signed_in
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        with errors_on(form):
            accounts.change_password(user, form.current_password.data, form.new_password.data)
            login_user(user)  # keep this session, which now carries the new session version
            flash("Your password has been changed. Other sessions have been signed out.", "success")
            return redirect(url_for("home.index"))
    return render_template("auth/change_password.html", form=form)


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
