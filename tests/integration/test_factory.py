import pytest

from inspect_ready import create_app
from inspect_ready.config import ConfigurationError, ProductionConfig, database_url


def test_development_defaults_to_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("INSPECT_READY_ENV", "development")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/inspect_ready.sqlite")
    assert not app.testing


def test_environment_overrides_the_database(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.example/inspect")
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/inspect"


def test_dict_config_overrides_everything(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.example/inspect")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SERVICE_NAME": "Other"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"
    assert app.config["SERVICE_NAME"] == "Other"


@pytest.mark.parametrize("key", [None, "", "short", "development only: not secret"])
def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch, key):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.example/inspect")
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        create_app(ProductionConfig)


def test_production_refuses_to_start_without_a_database(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        create_app(ProductionConfig)


def test_production_starts_with_real_settings(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db.example/inspect")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    app = create_app(ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True


def test_unknown_environment_name_is_an_error(monkeypatch):
    monkeypatch.setenv("INSPECT_READY_ENV", "staging")
    with pytest.raises(ConfigurationError, match="staging"):
        create_app()


def test_database_url_accepts_platform_forms():
    assert database_url("postgres://a/b") == "postgresql+psycopg://a/b"
    assert database_url("postgresql+psycopg://a/b") == "postgresql+psycopg://a/b"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_wsgi_exposes_the_app(monkeypatch):
    monkeypatch.setenv("INSPECT_READY_ENV", "test")
    import importlib

    import wsgi

    importlib.reload(wsgi)
    assert wsgi.app.name == "inspect_ready"


def test_attachments_folder_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ATTACHMENTS_DIR", str(tmp_path / "evidence-files"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["ATTACHMENTS_DIR"] == str(tmp_path / "evidence-files")
