"""inspect-ready: the Flask application."""

from __future__ import annotations

import gc
import logging
import sys
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from flask import Flask
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from councils.db import db
from inspect_ready import config as settings
from inspect_ready import log_filters
from inspect_ready.extensions import csrf, htmx, login_manager, migrate


def create_app(config: type[settings.Config] | dict[str, Any] | None = None) -> Flask:
    """The app, with its settings read from the environment now, and `config` on top.

    `config` is a settings class (instead of the one INSPECT_READY_ENV names) or a dict of
    overrides, which may give INSTANCE_PATH as the environment can.
    """
    environment = settings.read_environment()
    overrides = config if isinstance(config, dict) else {}
    app = Flask(
        __name__,
        template_folder=bundled_folder("templates"),
        static_url_path="/assets",
        # None: Flask's default, instance/ beside the package in a checkout and
        # <prefix>/var/inspect_ready-instance for an installed copy (never site-packages).
        instance_path=overrides.get("INSTANCE_PATH") or environment.instance_path,
        instance_relative_config=True,
    )
    _configure(app, config if isinstance(config, type) else environment.config_class, environment, overrides)
    _init_extensions(app)
    _register_blueprints(app)
    _register_commands(app)
    settle_for_serving()
    return app


def settle_for_serving() -> None:
    """Under gunicorn, however started (`gunicorn 'inspect_ready:create_app()'`, each worker
    making its app, or `gunicorn wsgi:app`, or with --preload, the arbiter making it before
    forking), move everything made while starting out of the garbage collector's sight.

    The frameworks, templates and SQLAlchemy's mappers are some hundred thousand objects that
    live as long as the process; otherwise every full collection a request triggers walks them
    all again. Frozen objects are still freed when nothing refers to them; only cycles among
    them are never collected, and start-up is over. Not in tests or commands: they make many
    apps, whose cycles must be collected."""
    if "gunicorn.arbiter" in sys.modules:
        freeze_start_up()


def freeze_start_up() -> None:
    """What a long-lived process made while starting is kept for good: out of the collector's sight."""
    gc.collect()
    gc.freeze()


def bundled_folder(name: str) -> str:
    """templates/ or migrations/, kept at the top of the repository and installed as the
    packages inspect_ready.templates and inspect_ready.migrations (setup.py's package_dir).

    Found through the import system, without importing them, so the same lookup works in
    an installed wheel and in a checkout's editable install.
    """
    spec = find_spec(f"{__name__}.{name}")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{__name__}.{name} is missing: reinstall inspect-ready (pip install .)")
    return spec.submodule_search_locations[0]


def _configure(app: Flask, base: type[settings.Config], environment: settings.Environment, overrides: dict) -> None:
    app.config.from_object(base)
    app.config.update(environment.as_config())
    app.config.update(overrides)
    settings.check(app.config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = settings.sqlite_url(app.instance_path)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = settings.engine_options(app.config)
    if not app.config.get("ATTACHMENTS_DIR"):
        app.config["ATTACHMENTS_DIR"] = str(Path(app.instance_path) / "attachments")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log_filters.install()


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=bundled_folder("migrations"), render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    WTFormsHelpers(app)
    from inspect_ready import audit_trail, input_checks, jobs, pages, security, transactions
    from inspect_ready.views import auth

    input_checks.init_app(app)
    security.init_app(app)
    transactions.init_app(app)
    audit_trail.init_app(app)
    jobs.init_app(app)
    auth.init_login(app)
    pages.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from inspect_ready import errors, health
    from inspect_ready.views import (
        actions,
        admin,
        auth,
        case_audits,
        engagement_meeting,
        findings,
        frameworks,
        gaps,
        home,
        inspection_workspace,
        library,
        mock_inspections,
        performance,
        reviews,
        search,
        self_evaluation,
        standing,
        visits,
    )

    app.register_blueprint(errors.errors)
    app.register_blueprint(health.bp)
    # In the order of the navigation.
    for journey in (
        auth,
        home,
        standing,
        library,
        case_audits,
        performance,
        reviews,
        findings,
        visits,
        mock_inspections,
        inspection_workspace,
        gaps,
        actions,
        engagement_meeting,
        self_evaluation,
        frameworks,
        search,
        admin,
    ):
        app.register_blueprint(journey.bp)


def _register_commands(app: Flask) -> None:
    from inspect_ready.cli import register

    register(app)
