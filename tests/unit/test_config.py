"""Reading settings from the environment: typed, checked, and only what was given."""

from datetime import timedelta

import pytest

from inspect_ready.config import Config, ConfigurationError, Environment, check, engine_options, read_environment


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
            "SESSION_IDLE_MINUTES": "45",
            "INSTANCE_PATH": "/srv/inspect-ready",
            "ATTACHMENTS_DIR": "/srv/evidence-files",
            "HUEY_REDIS_URL": "redis://redis.example:6379/0",
            "HUEY_SQLITE_PATH": "/srv/huey.sqlite",
            "JOB_LEASE_SECONDS": "45",
            "DATABASE_CONNECT_TIMEOUT": "3",
            "DATABASE_STATEMENT_TIMEOUT": "60",
        }
    )
    assert environment.session_hours == 12 and environment.instance_path == "/srv/inspect-ready"
    assert environment.as_config() == {
        "SECRET_KEY": "k" * 40,
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@db.example/inspect",
        "SESSION_ABSOLUTE_LIFETIME": timedelta(hours=12),
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=45),
        "ATTACHMENTS_DIR": "/srv/evidence-files",
        "HUEY_REDIS_URL": "redis://redis.example:6379/0",
        "HUEY_SQLITE_PATH": "/srv/huey.sqlite",
        "JOB_LEASE_SECONDS": 45,
        "DATABASE_CONNECT_TIMEOUT": 3,
        "DATABASE_STATEMENT_TIMEOUT": 60,
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


@pytest.mark.parametrize("minutes", ["an hour", "4", "1441", "-10", "1.5", "99999999999999999999"])
def test_idle_minutes_must_be_whole_minutes_from_five_to_a_day(minutes):
    with pytest.raises(ConfigurationError, match=r"SESSION_IDLE_MINUTES is .*whole number of minutes from 5 to 1440"):
        read_environment({"SESSION_IDLE_MINUTES": minutes})


def test_idle_minutes_at_the_limits_are_accepted():
    assert read_environment({"SESSION_IDLE_MINUTES": "5"}).session_idle_minutes == 5
    assert read_environment({"SESSION_IDLE_MINUTES": "1440"}).session_idle_minutes == 1440


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


@pytest.mark.parametrize(
    ("name", "value"),
    [("JOB_LEASE_SECONDS", "1"), ("DATABASE_CONNECT_TIMEOUT", "0"), ("DATABASE_STATEMENT_TIMEOUT", "half a minute")],
)
def test_timeouts_must_be_whole_seconds_in_range(name, value):
    with pytest.raises(ConfigurationError, match=rf"{name} is '{value}'; give a whole number of seconds from"):
        read_environment({name: value})


def _defaults(url: str) -> dict:
    return {key: getattr(Config, key) for key in dir(Config) if key.isupper()} | {"SQLALCHEMY_DATABASE_URI": url}


def test_postgresql_connections_carry_the_connect_and_statement_timeouts():
    options = engine_options(_defaults("postgresql+psycopg://u@db.example/inspect"))
    assert options["connect_args"] == {"connect_timeout": 5, "options": "-c statement_timeout=30000"}
    assert options["pool_pre_ping"] is True


def test_sqlite_connections_wait_the_busy_timeout_for_another_writer():
    assert engine_options(_defaults("sqlite:////srv/inspect.sqlite"))["connect_args"] == {"timeout": 30}
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
