"""Settings, read from the environment, with development, test and production defaults.

Every setting can be given in the environment; `create_app(config)` takes a settings
class or a dict of overrides on top (tests use that).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

DEV_SECRET_KEY = "development only: not secret"
MIN_SECRET_KEY_LENGTH = 32


class ConfigurationError(RuntimeError):
    pass


def sqlite_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "inspect_ready.sqlite")


class Config:
    ENV_NAME = "development"
    SECRET_KEY = DEV_SECRET_KEY
    SQLALCHEMY_DATABASE_URI: str | None = None  # None: SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    # A working day, then sign in again: councils share desks and laptops.
    PERMANENT_SESSION_LIFETIME = timedelta(hours=int(os.environ.get("SESSION_HOURS", "8")))
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    ATTACHMENTS_DIR: str | None = None  # None: attachments/ in the instance folder
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


def config_from_environment() -> type[Config]:
    name = os.environ.get("INSPECT_READY_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise ConfigurationError(f"INSPECT_READY_ENV is {name!r}; use one of {', '.join(CONFIGS)}") from None


def from_environment() -> dict:
    """Settings given in the environment, read when the app is made (not at import)."""
    found = {}
    if os.environ.get("SECRET_KEY"):
        found["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if os.environ.get("DATABASE_URL"):
        found["SQLALCHEMY_DATABASE_URI"] = database_url(os.environ["DATABASE_URL"])
    if os.environ.get("ATTACHMENTS_DIR"):
        found["ATTACHMENTS_DIR"] = os.environ["ATTACHMENTS_DIR"]
    return found


def database_url(url: str) -> str:
    """Accept the postgres:// and postgresql:// forms hosting platforms give, using psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def check(settings: dict) -> None:
    """Refuse to start production with settings that would put data at risk."""
    if settings.get("ENV_NAME") != "production":
        return
    key = settings.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
        raise ConfigurationError(
            f"Set SECRET_KEY to a random value of {MIN_SECRET_KEY_LENGTH} characters or more "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
    if not settings.get("SQLALCHEMY_DATABASE_URI"):
        raise ConfigurationError("Set DATABASE_URL to the production PostgreSQL database")
