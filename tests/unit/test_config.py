"""Reading settings from the environment: typed, checked, and only what was given."""

from datetime import timedelta

import pytest

from inspect_ready.config import ConfigurationError, Environment, check, read_environment


def test_an_empty_environment_gives_development_and_nothing_else():
    environment = read_environment({})
    assert environment == Environment(env_name="development")
    assert environment.as_config() == {}


def test_every_setting_is_read_and_typed():
    environment = read_environment(
        {
            "INSPECT_READY_ENV": "production",
            "SECRET_KEY": "k" * 40,
            "DATABASE_URL": "postgres://u@db.example/inspect",
            "SESSION_HOURS": "12",
            "INSTANCE_PATH": "/srv/inspect-ready",
            "ATTACHMENTS_DIR": "/srv/evidence-files",
            "HUEY_REDIS_URL": "redis://redis.example:6379/0",
            "HUEY_SQLITE_PATH": "/srv/huey.sqlite",
        }
    )
    assert environment.session_hours == 12 and environment.instance_path == "/srv/inspect-ready"
    assert environment.as_config() == {
        "SECRET_KEY": "k" * 40,
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@db.example/inspect",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "ATTACHMENTS_DIR": "/srv/evidence-files",
        "HUEY_REDIS_URL": "redis://redis.example:6379/0",
        "HUEY_SQLITE_PATH": "/srv/huey.sqlite",
    }


def test_blank_values_count_as_not_given():
    assert read_environment({"SESSION_HOURS": " ", "DATABASE_URL": "", "HUEY_REDIS_URL": "  "}).as_config() == {}


@pytest.mark.parametrize("hours", ["eight", "1.5", "0", "-3", "169", "99999999999999999999"])
def test_session_hours_must_be_whole_hours_up_to_a_week(hours):
    with pytest.raises(ConfigurationError, match=r"SESSION_HOURS is .*whole number of hours from 1 to 168"):
        read_environment({"SESSION_HOURS": hours})


def test_session_hours_at_the_limits_are_accepted():
    assert read_environment({"SESSION_HOURS": "1"}).session_hours == 1
    assert read_environment({"SESSION_HOURS": "168"}).session_hours == 168


def test_a_relative_instance_path_is_refused_by_name():
    with pytest.raises(ConfigurationError, match="INSTANCE_PATH is 'instance'; give an absolute path"):
        read_environment({"INSTANCE_PATH": "instance"})


def test_an_unknown_environment_name_is_refused():
    with pytest.raises(ConfigurationError, match="INSPECT_READY_ENV is 'staging'"):
        read_environment({"INSPECT_READY_ENV": "staging"})


@pytest.mark.parametrize("url", ["sqlite:///var/inspect.sqlite", "sqlite://", "sqlite+pysqlite:///x.db"])
def test_production_refuses_a_sqlite_database(url):
    with pytest.raises(ConfigurationError, match="SQLite database; production needs PostgreSQL"):
        check({"ENV_NAME": "production", "SECRET_KEY": "k" * 40, "SQLALCHEMY_DATABASE_URI": url})


def test_development_may_use_sqlite():
    check({"ENV_NAME": "development", "SQLALCHEMY_DATABASE_URI": "sqlite:///x.db"})


def test_request_lines_in_the_log_never_hold_an_invitations_token():
    import logging

    from inspect_ready.log_filters import HideTokens

    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '%s - - [%s] "%s" %s',
        ("127.0.0.1", "now", "GET /reviews/invitations/Abc-123_x?next=1 HTTP/1.1", "200"),
        None,
    )
    HideTokens().filter(record)
    assert "Abc-123_x" not in record.getMessage() and "/reviews/invitations/[token]?next=1" in record.getMessage()
