"""Command-line tasks: `flask create-council`, `flask password-reset-link`, `flask setup-demo`,
`flask reset-demo`, `flask annex-a-workbook`, `flask annex-a-figures`."""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from sqlalchemy import MetaData, select, text

from councils import accounts
from councils.db import db
from councils.models import Role, User
from councils.tenancy import acting_for
from evidence.performance import indicators
from evidence.performance.annex_a.measures import DEFAULT_CP_VISIT_WORKING_DAYS, Period, figures_from_workbook
from evidence.performance.annex_a.sheets import WorkbookUnreadable
from evidence.performance.annex_a.synthetic import generate_workbook
from inspect_ready import demo
from judgement_framework import cli as framework_cli


def register(app: Flask) -> None:
    app.cli.add_command(create_council)
    app.cli.add_command(password_reset_link)
    app.cli.add_command(setup_demo)
    app.cli.add_command(reset_demo)
    app.cli.add_command(annex_a_workbook)
    app.cli.add_command(annex_a_figures)
    app.cli.add_command(framework)


@click.command(
    "framework",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []},
)
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
def framework(arguments: tuple[str, ...]) -> None:
    """The framework engine's commands: list, show ID, validate FILE, outcome ID GRADES.json.

    The same as `python -m judgement_framework ...`, with the same options and exit status.
    """
    raise SystemExit(framework_cli.main(list(arguments) or ["--help"]))


@click.command("create-council")
@click.argument("council_name")
@click.option("--admin-name", required=True, help="Full name of the council's first administrator.")
@click.option("--admin-email", required=True, help="Their email address: they sign in with it.")
@with_appcontext
def create_council(council_name: str, admin_name: str, admin_email: str) -> None:
    """Create a council and its first administrator, and print a temporary password."""
    password = accounts.temporary_password(admin_email, admin_name)
    try:
        council = accounts.create_council(council_name)
        accounts.add_user(
            council, name=admin_name, email=admin_email, password=password, role=Role.ADMINISTRATOR, temporary=True
        )
        with acting_for(council.id):
            indicators.ensure_default_indicators()
    except accounts.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {council.name} with administrator {accounts.normalise_email(admin_email)}")
    click.echo(f"Temporary password (shown once; they choose their own when they first sign in): {password}")


@click.command("password-reset-link")
@click.argument("email")
@with_appcontext
def password_reset_link(email: str) -> None:
    """Print a single-use link for a person to choose a new password: for a council whose
    only administrator cannot sign in (administrators make these for their own people)."""
    user = db.session.scalars(select(User).where(User.email == accounts.normalise_email(email))).first()
    if user is None or not user.active:
        raise click.ClickException(f"No one who can sign in has the email address {email}")
    with acting_for(user.council_id):
        token = accounts.create_password_reset(user).token
    db.session.commit()
    hours = int(accounts.RESET_LINK_LIFETIME.total_seconds() // 3600)
    click.echo(f"Reset link for {user.name} (works once, for {hours} hours; shown once):")
    click.echo(f"  <the service's address>/reset-password/{token}")


def _evidence_items_option(command):
    return click.option(
        "--evidence-items",
        type=int,
        metavar="N",
        help=(
            "Grow the demo council to about N evidence items, with case audits, indicator values, "
            "reviews and mock inspections in proportion: a large council to try "
            f"({demo.MIN_EVIDENCE_ITEMS:,} to {demo.MAX_EVIDENCE_ITEMS:,})."
        ),
    )(command)


def _check_evidence_items(evidence_items: int | None) -> None:
    if evidence_items is None:
        return
    if not demo.MIN_EVIDENCE_ITEMS <= evidence_items <= demo.MAX_EVIDENCE_ITEMS:
        raise click.BadParameter(
            f"give a number of evidence items from {demo.MIN_EVIDENCE_ITEMS:,} to {demo.MAX_EVIDENCE_ITEMS:,} "
            f"(ten times the largest council); {evidence_items:,} is "
            + ("too few" if evidence_items < demo.MIN_EVIDENCE_ITEMS else "too many"),
            param_hint="--evidence-items",
        )


@click.command("setup-demo")
@_evidence_items_option
@with_appcontext
def setup_demo(evidence_items: int | None = None) -> None:
    """Bring the database up to date, load demo data if it is empty, and show the logins."""
    _check_evidence_items(evidence_items)
    upgrade()
    logins_file = Path(current_app.instance_path) / "demo-logins.json"
    if demo.is_empty():
        if not current_app.config["LOAD_DEMO_DATA"]:
            raise click.ClickException("Demo data is only for development; this database is empty.")
        started = time.monotonic()
        logins = demo.load(logins_file, evidence_items)
        if evidence_items is not None:
            click.echo(
                f"Built the demo council with {demo.evidence_count():,} evidence items in {time.monotonic() - started:.0f} s"
            )
    else:
        if evidence_items is not None:
            raise click.ClickException(
                "The demo is already loaded, at its own size. To build it with more evidence, start again: "
                f"flask reset-demo --yes --evidence-items {evidence_items}"
            )
        logins = demo.saved_logins(logins_file)
    host, port = _address()
    click.echo(f"\nInspect ready is starting on http://{host}:{port}/")
    if logins:
        click.echo("Demo logins (role: email / password):")
        for council in dict.fromkeys(login["council"] for login in logins):
            click.echo(f"  {council}")
            for login in (entry for entry in logins if entry["council"] == council):
                click.echo(f"    {login['role']}: {login['email']} / {login['password']}")
    click.echo("")


@click.command("reset-demo")
@click.option("--yes", is_flag=True, help="Go ahead without asking.")
@_evidence_items_option
@click.pass_context
@with_appcontext
def reset_demo(context: click.Context, yes: bool, evidence_items: int | None) -> None:
    """Empty the development database and load the demo afresh, with new logins."""
    # Only where demo data may be loaded at all: never a council's production database.
    if not current_app.config["LOAD_DEMO_DATA"]:
        raise click.ClickException("Resetting is only for the demo: this database is not a development one.")
    _check_evidence_items(evidence_items)  # before anything is deleted
    if not yes:
        click.confirm("This deletes everything in the development database. Go on?", abort=True)
    _empty_database()
    (Path(current_app.instance_path) / "demo-logins.json").unlink(missing_ok=True)
    context.invoke(setup_demo, evidence_items=evidence_items)


def _empty_database() -> None:
    """Every table gone, the migrations' own bookkeeping too, so setup-demo builds it anew."""
    engine = db.engine
    db.session.remove()
    if engine.dialect.name == "postgresql":
        # The schema holds the audit log's trigger functions as well as tables.
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        return
    tables = MetaData()
    tables.reflect(bind=engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        tables.drop_all(bind=connection)


@click.command("annex-a-workbook")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@click.option("--rows", default=1000, show_default=True, help="Rows across all the lists.")
@click.option("--month", default="2025-03", show_default=True, help="The last month the lists cover, as YYYY-MM.")
@click.option("--seed", default=1, show_default=True, help="The same seed gives the same workbook.")
def annex_a_workbook(path: str, rows: int, month: str, seed: int) -> None:
    """Write a synthetic Annex A workbook (made-up children) for demos, tests and benchmarks."""
    try:
        first = datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise click.BadParameter("use YYYY-MM, like 2025-03", param_hint="--month") from None
    period_end = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    generate_workbook(path, rows=rows, period_end=period_end, seed=seed)
    click.echo(f"Wrote {path}: about {rows} rows, lists ending {period_end:%d %B %Y}")


@click.command("annex-a-figures")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, readable=True))
@click.option("--month", required=True, help="The month to compute, as YYYY-MM.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures and problems as JSON.")
@click.option(
    "--cp-visit-working-days",
    default=DEFAULT_CP_VISIT_WORKING_DAYS,
    show_default=True,
    type=click.IntRange(1, 60),
    help="The council's standard for child protection visits.",
)
def annex_a_figures(workbook: str, month: str, as_json: bool, cp_visit_working_days: int) -> None:
    """Compute the Annex A figures of a workbook for a month, with no database and no upload.

    The same reading and figures as the upload; nothing is stored. Exits 1 when the file is
    not an Annex A workbook."""
    try:
        first = datetime.strptime(month, "%Y-%m").date()
    except ValueError:
        raise click.BadParameter("use YYYY-MM, like 2025-03", param_hint="--month") from None
    try:
        result = figures_from_workbook(workbook, Period.month(first), cp_visit_working_days=cp_visit_working_days)
    except WorkbookUnreadable as error:
        if as_json:
            click.echo(json.dumps({"figures": [], "problems": [{"where": "workbook", "message": str(error)}]}))
        else:
            click.echo(str(error), err=True)
        raise SystemExit(1) from None
    if as_json:
        payload = result.to_dict()
        payload["figures"] = [
            {
                key: figure[key]
                for key in ("key", "title", "numerator", "denominator", "value", "not_computed", "unusable")
            }
            for figure in payload["figures"]
        ]
        click.echo(json.dumps(payload, indent=2))
        return
    as_at = f", taken on {result.as_at:%d %B %Y}" if result.as_at else ""
    click.echo(f"{Path(workbook).name}: {result.rows:,} rows read{as_at}; figures for {first:%B %Y}")
    for figure in result.figures:
        if figure.not_computed:
            shown = f"not computed: {figure.not_computed}"
        elif figure.value is None:
            shown = "nothing in scope this month"
        elif figure.unit == "days":
            shown = f"{figure.value:g} days on average ({figure.denominator} children)"
        else:
            shown = f"{figure.value:.1f}% ({figure.numerator} of {figure.denominator})"
        unusable = f"; {figure.unusable_count} rows unusable" if figure.unusable_count else ""
        click.echo(f"  {figure.title}: {shown}{unusable}")
    if result.problems:
        click.echo("Problems:")
        for problem in result.problems:
            click.echo(f"  {problem.where}: {problem.message}")


def _address() -> tuple[str, str]:
    return os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "5000")
