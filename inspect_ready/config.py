"""Settings: defaults for development, test and production, and what the environment says.

`create_app` reads the environment once, when it makes the app (never at import, so a
changed environment takes effect in the next app), through `read_environment()`, which
types and checks every value. `create_app(config)` takes a settings class or a dict of
overrides on top (tests use that).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

DEV_SECRET_KEY = "development only: not secret"
MIN_SECRET_KEY_LENGTH = 32
# A sign-in must end: a week at most, however the setting is given.
MAX_SESSION_HOURS = 7 * 24
# Idle for longer than this is signed out too: a day at most, five minutes at least.
MIN_IDLE_MINUTES, MAX_IDLE_MINUTES = 5, 24 * 60


class ConfigurationError(RuntimeError):
    pass


def sqlite_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "inspect_ready.sqlite")


class Config:
    ENV_NAME = "development"
    SECRET_KEY = DEV_SECRET_KEY
    SQLALCHEMY_DATABASE_URI: str | None = None  # None: SQLite in the instance folder
    # hide_parameters: a database error's message never carries the statement's values
    # (case references, names, emails) into the server log.
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "hide_parameters": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    # Councils share desks and laptops. A sign-in ends after a working day, however much it
    # is used (checked on every request against when it began: inspect_ready/views/auth.py)...
    SESSION_ABSOLUTE_LIFETIME = timedelta(hours=8)
    # ...and after two hours unused (a long meeting): the session cookie's signed time is
    # renewed by each request and Flask refuses one older than this.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=2)
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    ATTACHMENTS_DIR: str | None = None  # None: attachments/ in the instance folder
    HUEY_IMMEDIATE = False  # True: jobs run at once, in the request (tests)
    HUEY_REDIS_URL: str | None = None  # None: a SQLite queue
    HUEY_SQLITE_PATH: str | None = None  # None: huey.sqlite in the instance folder
    # After a change, the council's standing is worked out again by a job, so the next page
    # finds it kept (councils/standing_cache.py). Off in tests but those that test it.
    STANDING_REFRESH = True
    # A running job whose worker has not said it is alive for this long is dead (jobs.py);
    # the worker says so every sixth of it.
    JOB_LEASE_SECONDS = 30
    # A database that does not answer must not hold every web worker: a connection is
    # given up after DATABASE_CONNECT_TIMEOUT, a statement (PostgreSQL) after
    # DATABASE_STATEMENT_TIMEOUT; SQLite waits SQLITE_BUSY_TIMEOUT for another writer.
    DATABASE_CONNECT_TIMEOUT = 5
    DATABASE_STATEMENT_TIMEOUT = 30
    # One writer at a time: the others wait this long before "database is locked". 30 s, not
    # pysqlite's 5: a burst of sign-ins each hold the lock while a password hash is checked.
    SQLITE_BUSY_TIMEOUT = 30
    LOAD_DEMO_DATA = True
    SERVICE_NAME = "Inspect ready"


class DevelopmentConfig(Config):
    pass


class TestConfig(Config):
    ENV_NAME = "test"
    TESTING = True
    SECRET_KEY = "test only: not secret, not for use anywhere else"
    LOAD_DEMO_DATA = False
    SERVER_NAME = "inspect-ready.test"
    # The real task code, run inside the request: no consumer, no queue to wait on.
    HUEY_IMMEDIATE = True
    STANDING_REFRESH = False  # the refresh would work every test's standing out after each request


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    LOAD_DEMO_DATA = False


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


@dataclass(frozen=True)
class Environment:
    """The settings the environment gives, typed and checked; None for each one it leaves unset."""

    env_name: str = "development"
    secret_key: str | None = None
    database_url: str | None = None
    session_hours: int | None = None
    session_idle_minutes: int | None = None
    instance_path: str | None = None
    attachments_dir: str | None = None
    huey_redis_url: str | None = None
    huey_sqlite_path: str | None = None
    job_lease_seconds: int | None = None
    database_connect_timeout: int | None = None
    database_statement_timeout: int | None = None

    @property
    def config_class(self) -> type[Config]:
        return CONFIGS[self.env_name]

    def as_config(self) -> dict[str, Any]:
        """The settings given, as Flask config keys (INSTANCE_PATH goes to Flask itself)."""
        values = {
            "SECRET_KEY": self.secret_key,
            "SQLALCHEMY_DATABASE_URI": self.database_url,
            "SESSION_ABSOLUTE_LIFETIME": timedelta(hours=self.session_hours) if self.session_hours else None,
            "PERMANENT_SESSION_LIFETIME": (
                timedelta(minutes=self.session_idle_minutes) if self.session_idle_minutes else None
            ),
            "ATTACHMENTS_DIR": self.attachments_dir,
            "HUEY_REDIS_URL": self.huey_redis_url,
            "HUEY_SQLITE_PATH": self.huey_sqlite_path,
            "JOB_LEASE_SECONDS": self.job_lease_seconds,
            "DATABASE_CONNECT_TIMEOUT": self.database_connect_timeout,
            "DATABASE_STATEMENT_TIMEOUT": self.database_statement_timeout,
        }
        return {key: value for key, value in values.items() if value is not None}


def read_environment(environ: Mapping[str, str] | None = None) -> Environment:
    """Every setting the app takes from the environment (README: "Running in production").

    JUDGEMENT_FRAMEWORK_PATH is not here: the framework engine, which also runs without
    the app (`python -m judgement_framework`), reads it each time it looks a framework up.
    """
    environ = os.environ if environ is None else environ

    def given(name: str) -> str | None:
        return environ.get(name, "").strip() or None

    name = given("INSPECT_READY_ENV") or "development"
    if name not in CONFIGS:
        raise ConfigurationError(f"INSPECT_READY_ENV is {name!r}; use one of {', '.join(CONFIGS)}")
    url = given("DATABASE_URL")
    return Environment(
        env_name=name,
        secret_key=given("SECRET_KEY"),
        database_url=database_url(url) if url else None,
        session_hours=_session_hours(given("SESSION_HOURS")),
        session_idle_minutes=_idle_minutes(given("SESSION_IDLE_MINUTES")),
        instance_path=_absolute_path("INSTANCE_PATH", given("INSTANCE_PATH")),
        attachments_dir=given("ATTACHMENTS_DIR"),
        huey_redis_url=given("HUEY_REDIS_URL"),
        huey_sqlite_path=given("HUEY_SQLITE_PATH"),
        job_lease_seconds=_whole("JOB_LEASE_SECONDS", given("JOB_LEASE_SECONDS"), 2, 3600, "seconds"),
        database_connect_timeout=_whole(
            "DATABASE_CONNECT_TIMEOUT", given("DATABASE_CONNECT_TIMEOUT"), 1, 120, "seconds"
        ),
        database_statement_timeout=_whole(
            "DATABASE_STATEMENT_TIMEOUT", given("DATABASE_STATEMENT_TIMEOUT"), 1, 3600, "seconds"
        ),
    )


def _session_hours(text: str | None) -> int | None:
    return _whole("SESSION_HOURS", text, 1, MAX_SESSION_HOURS, "hours", " (a week)")


def _whole(name: str, text: str | None, low: int, high: int, unit: str, note: str = "") -> int | None:
    if text is None:
        return None
    try:
        number = int(text)
    except ValueError:
        number = low - 1
    if not low <= number <= high:
        raise ConfigurationError(f"{name} is {text!r}; give a whole number of {unit} from {low} to {high}{note}")
    return number


def engine_options(settings: Mapping[str, Any]) -> dict[str, Any]:
    """SQLAlchemy's engine options with the timeouts the settings give, for the database in use."""
    options = dict(settings.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    url = settings.get("SQLALCHEMY_DATABASE_URI") or ""
    connect_args = dict(options.get("connect_args") or {})
    if url.startswith("postgresql"):
        connect_args.setdefault("connect_timeout", settings["DATABASE_CONNECT_TIMEOUT"])
        # Sent with the connection, so every statement of every session has it.
        connect_args.setdefault("options", f"-c statement_timeout={settings['DATABASE_STATEMENT_TIMEOUT'] * 1000}")
    elif url.startswith("sqlite"):
        connect_args.setdefault("timeout", settings["SQLITE_BUSY_TIMEOUT"])
    if connect_args:
        options["connect_args"] = connect_args
    return options


def _idle_minutes(text: str | None) -> int | None:
    if text is None:
        return None
    minutes = int(text) if text.isdigit() else 0
    if not MIN_IDLE_MINUTES <= minutes <= MAX_IDLE_MINUTES:
        raise ConfigurationError(
            f"SESSION_IDLE_MINUTES is {text!r}; give a whole number of minutes from {MIN_IDLE_MINUTES} "
            f"to {MAX_IDLE_MINUTES} (a day)"
        )
    return minutes


def _absolute_path(name: str, text: str | None) -> str | None:
    # Flask refuses a relative instance folder; say which setting is wrong before it does.
    if text is not None and not Path(text).is_absolute():
        raise ConfigurationError(f"{name} is {text!r}; give an absolute path")
    return text


def database_url(url: str) -> str:
    """Accept the postgres:// and postgresql:// forms hosting platforms give, using psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def check(settings: Mapping[str, Any]) -> None:
    """Refuse to start production with settings that would put data at risk."""
    if settings.get("ENV_NAME") != "production":
        return
    key = settings.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigurationError(
            f"Set SECRET_KEY to a random value of {MIN_SECRET_KEY_LENGTH} characters or more "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
    url = settings.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        raise ConfigurationError("Set DATABASE_URL to the production PostgreSQL database")
    if url.startswith("sqlite"):
        # One file on one server: no concurrent writers across gunicorn workers and the job
        # consumer, and no backups or replication a council's hosting would provide.
        raise ConfigurationError(
            "DATABASE_URL is a SQLite database; production needs PostgreSQL (postgresql://user:password@host/name)"
        )
