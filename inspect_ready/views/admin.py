"""Administration: people and their roles, and the audit log."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from councils import accounts, clock
from councils.audit_log import each_batch, find_events
from councils.models import Role, User
from councils.settings import change_settings
from evidence.library.items import framework_of
from inspect_ready import audit_entries
from inspect_ready.exports import csv_download
from inspect_ready.forms.admin import AddUserForm, CouncilSettingsForm, EditUserForm, settings_data
from inspect_ready.forms.audit_log import AuditLogFilters
from inspect_ready.forms.fields import version_of
from inspect_ready.pages import find_or_404, page_of
from inspect_ready.permissions import allow
from inspect_ready.transactions import errors_on
from judgement_framework import list_frameworks

bp = Blueprint("admin", __name__, url_prefix="/admin")

AUDIT_PAGE_SIZE = 50


@bp.route("/users")
@allow(Role.ADMINISTRATOR)
def users():
    people = accounts.people(active=None)
    return render_template("admin/users.html", people=people)


@bp.route("/users/new", methods=["GET", "POST"])
@allow(Role.ADMINISTRATOR)
def add_user():
    form = AddUserForm()
    if form.validate_on_submit():
        password = accounts.temporary_password(form.email.data, form.name.data)
        with errors_on(form):
            user = accounts.add_user(
                current_user.council,
                name=form.name.data,
                email=form.email.data,
                password=password,
                role=form.chosen_role(),
                service_area=form.chosen_service_area(),
                temporary=True,
            )
            # Shown once, here, for the administrator to pass on; never stored in clear.
            # It only lets them choose their own: every page asks for that first.
            return render_template("admin/user_added.html", user=user, password=password)
    return render_template("admin/add_user.html", form=form)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@allow(Role.ADMINISTRATOR)
def edit_user(user_id: int):
    user = find_or_404(User, user_id)
    form = EditUserForm(
        data=None
        if request.method == "POST"
        else {
            "role": user.role.value,
            "service_area": user.service_area.value if user.service_area else "",
            "active": user.active,
        }
    )
    if form.validate_on_submit():
        if user.id == current_user.id and (form.chosen_role() is not Role.ADMINISTRATOR or not form.active.data):
            form.role.errors = list(form.role.errors) + ["You cannot remove your own administrator access"]
        else:
            with errors_on(form):
                accounts.set_role(user, form.chosen_role(), form.chosen_service_area(), active=form.active.data)
                flash(f"Changes to {user.name} saved.", "success")
                return redirect(url_for("admin.users"))
    hours = int(accounts.RESET_LINK_LIFETIME.total_seconds() // 3600)
    return render_template("admin/edit_user.html", form=form, user=user, reset_link_hours=hours)


@bp.route("/users/<int:user_id>/reset-link", methods=["POST"])
@allow(Role.ADMINISTRATOR)
def reset_link(user_id: int):
    user = find_or_404(User, user_id)
    if not user.active:
        flash(f"{user.name} cannot sign in: let them sign in again (Can sign in) before making a reset link.", "error")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    token = accounts.create_password_reset(user).token
    # Shown here once, until the service sends email: the administrator passes it on. It is
    # never stored in clear, flashed or logged.
    link = url_for("auth.reset_password", reset_token=token, _external=True)
    hours = int(accounts.RESET_LINK_LIFETIME.total_seconds() // 3600)
    return render_template("admin/reset_link.html", user=user, link=link, lifetime_hours=hours)


@bp.route("/settings", methods=["GET", "POST"])
@allow(Role.ADMINISTRATOR)
def settings():
    council = current_user.council
    form = CouncilSettingsForm(data=None if request.method == "POST" else settings_data(council))
    form.framework_id.choices = [SelectChoice(summary.id, summary.title) for summary in list_frameworks()]
    if form.validate_on_submit():
        with errors_on(form, saved=lambda: settings_data(council)):
            change_settings(
                council,
                framework_id=form.framework_id.data,
                evidence_freshness_days=form.evidence_freshness_days.data,
                version=version_of(form),
            )
            flash("Council settings saved.", "success")
            return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form)


@bp.route("/audit-log")
@allow(Role.ADMINISTRATOR)
def audit_log():
    form, people = _audit_filters()
    filters = form.filters() if not form.errors else {}
    page = page_of(find_events(**filters), AUDIT_PAGE_SIZE)
    return render_template(
        "admin/audit_log.html",
        form=form,
        page=page,
        entries=audit_entries.entries(page.items, names=people, framework=framework_of(current_user.council)),
        args=request.args.to_dict(flat=False),
    )


@bp.route("/audit-log.csv")
@allow(Role.ADMINISTRATOR)
def audit_log_export():
    form, people = _audit_filters()
    if form.errors:
        return redirect(url_for("admin.audit_log", **request.args.to_dict(flat=False)))
    framework = framework_of(current_user.council)
    rows = (
        [entry.when, entry.who, entry.what, entry.record, _changes_text(entry), entry.detail]
        for batch in each_batch(find_events(**form.filters()))
        for entry in audit_entries.entries(batch, names=people, framework=framework)
    )
    header = ["When", "Who", "What", "Record", "What changed", "Detail"]
    return csv_download(f"audit-log-{clock.today().isoformat()}.csv", header, rows)


def _audit_filters() -> tuple[AuditLogFilters, dict[int, str]]:
    everyone = accounts.people(active=None)
    form = AuditLogFilters(everyone, formdata=request.args)
    if request.args:
        form.validate()
    return form, {person.id: person.name for person in everyone}


def _changes_text(entry) -> str:
    return "; ".join(
        f"{c.field}: {c.before} to {c.after}" if c.before else f"{c.field}: {c.after}" for c in entry.changes
    )
