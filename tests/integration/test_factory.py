import importlib
from datetime import timedelta
from importlib.util import find_spec
from pathlib import Path

import pytest
from flask import current_app, has_app_context
from huey import MemoryHuey, RedisHuey, SqliteHuey

from inspect_ready import bundled_folder, create_app, jobs
from inspect_ready.config import ConfigurationError, ProductionConfig, database_url

ROOT = Path(__file__).resolve().parents[2]


def test_development_defaults_to_sqlite_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("INSTANCE_PATH", raising=False)
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


def test_production_refuses_a_sqlite_database(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'inspect.sqlite'}")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    with pytest.raises(ConfigurationError, match="SQLite database; production needs PostgreSQL"):
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
    import wsgi

    importlib.reload(wsgi)
    assert wsgi.app.name == "inspect_ready"


def test_attachments_folder_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ATTACHMENTS_DIR", str(tmp_path / "evidence-files"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["ATTACHMENTS_DIR"] == str(tmp_path / "evidence-files")


def test_session_hours_are_read_when_the_app_is_made(monkeypatch):
    # Set after every module was imported: only a value read in create_app can take effect.
    monkeypatch.setenv("SESSION_HOURS", "2")
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "30")
    config = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config
    assert config["SESSION_ABSOLUTE_LIFETIME"] == timedelta(hours=2)
    assert config["PERMANENT_SESSION_LIFETIME"] == timedelta(minutes=30)
    monkeypatch.delenv("SESSION_HOURS")
    monkeypatch.delenv("SESSION_IDLE_MINUTES")
    config = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config
    assert config["SESSION_ABSOLUTE_LIFETIME"] == timedelta(hours=8)
    assert config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=2)


def test_a_bad_session_hours_stops_the_app_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("SESSION_HOURS", "a day")
    with pytest.raises(ConfigurationError, match="SESSION_HOURS is 'a day'; give a whole number of hours"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_the_instance_folder_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("ATTACHMENTS_DIR", raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "state"))
    app = create_app()
    assert app.instance_path == str(tmp_path / "state") and (tmp_path / "state").is_dir()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'state' / 'inspect_ready.sqlite'}"
    assert app.config["ATTACHMENTS_DIR"] == str(tmp_path / "state" / "attachments")


def test_tests_run_jobs_at_once_in_the_request():
    huey = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).extensions["huey"]
    assert isinstance(huey, MemoryHuey) and huey.immediate


def test_a_redis_url_gives_a_redis_queue_without_connecting(monkeypatch):
    # Nothing listens on port 1: making the queue must not connect, or every command would
    # need Redis up (and the redis package installed) just to start.
    monkeypatch.setenv("HUEY_REDIS_URL", "redis://127.0.0.1:1/0")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "HUEY_IMMEDIATE": False})
    huey = app.extensions["huey"]
    assert isinstance(huey, RedisHuey) and not huey.immediate
    assert huey.storage.pool.connection_kwargs["port"] == 1


def test_without_redis_the_queue_is_a_sqlite_file_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("HUEY_REDIS_URL", raising=False)
    monkeypatch.delenv("HUEY_SQLITE_PATH", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "HUEY_IMMEDIATE": False, "INSTANCE_PATH": str(tmp_path)})
    huey = app.extensions["huey"]
    assert isinstance(huey, SqliteHuey) and huey.storage.filename == str(tmp_path / "huey.sqlite")
    monkeypatch.setenv("HUEY_SQLITE_PATH", str(tmp_path / "queue" / "jobs.sqlite"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "HUEY_IMMEDIATE": False, "INSTANCE_PATH": str(tmp_path)})
    assert app.extensions["huey"].storage.filename == str(tmp_path / "queue" / "jobs.sqlite")


def test_a_queued_job_runs_inside_its_apps_context(tmp_path, monkeypatch):
    monkeypatch.delenv("HUEY_REDIS_URL", raising=False)
    monkeypatch.delenv("HUEY_SQLITE_PATH", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "HUEY_IMMEDIATE": False, "INSTANCE_PATH": str(tmp_path)})
    ran = []
    monkeypatch.setattr(jobs, "_run", lambda *args: ran.append((args, has_app_context() and current_app.name)))
    with app.app_context():
        jobs.import_annex_a(3, 5, "annex-a.xlsx")  # queued in the SQLite file, not run
    assert ran == []
    huey = app.extensions["huey"]
    task = huey.dequeue()  # as the consumer does, in a thread with no app context
    assert not has_app_context()
    huey.execute(task)
    assert ran == [((3, 5, "annex-a.xlsx"), "inspect_ready")]


def test_the_worker_module_exposes_the_queue_of_an_app_of_its_own():
    worker = importlib.reload(importlib.import_module("inspect_ready.worker"))
    task = worker.app.extensions["huey_tasks"]["import_annex_a"]
    assert worker.huey is worker.app.extensions["huey"] and task.huey is worker.huey
    assert task.name == "import_annex_a"  # the name jobs were queued under before


@pytest.mark.parametrize("name", ["templates", "migrations"])
def test_templates_and_migrations_are_found_through_the_package(name):
    # In this checkout (an editable install) the package inspect_ready.<name> is the folder
    # at the top of the repository; in a wheel it is inside the installed package.
    assert Path(find_spec(f"inspect_ready.{name}").submodule_search_locations[0]) == ROOT / name
    assert Path(bundled_folder(name)) == ROOT / name


def test_the_app_uses_the_packaged_templates_and_migrations():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert Path(app.jinja_loader.loaders[0].searchpath[0]) == ROOT / "templates"
    assert Path(app.extensions["migrate"].directory) == ROOT / "migrations"


@pytest.mark.parametrize("under_gunicorn", [True, False])
def test_an_app_made_under_gunicorn_freezes_what_start_up_made(monkeypatch, under_gunicorn):
    # `gunicorn 'inspect_ready:create_app()'` makes the app in each worker, after gunicorn's
    # arbiter is imported; tests and commands make many apps and must not freeze them.
    import gc
    import sys

    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(1))
    if under_gunicorn:
        monkeypatch.setitem(sys.modules, "gunicorn.arbiter", sys.modules.get("gunicorn.arbiter") or object())
    else:
        monkeypatch.delitem(sys.modules, "gunicorn.arbiter", raising=False)
    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert frozen == ([1] if under_gunicorn else [])


def test_workers_starting_at_once_on_a_fresh_instance_all_make_the_job_queue(tmp_path):
    # Gunicorn's workers make their apps at the same moment: the SQLite queue file must come
    # out whole, whichever gets there first, and none may fail ("database is locked").
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for attempt in range(3):
        path = tmp_path / f"instance-{attempt}" / "huey.sqlite"
        start = context.Barrier(6)
        workers = [context.Process(target=_make_queue_at_once, args=(start, str(path))) for _ in range(6)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert [worker.exitcode for worker in workers] == [0] * 6
        queue = jobs.make_huey({"HUEY_IMMEDIATE": False, "HUEY_SQLITE_PATH": str(path)}, str(tmp_path))
        assert queue.pending_count() == 0


def _make_queue_at_once(start, path: str) -> None:
    start.wait()
    queue = jobs.make_huey({"HUEY_IMMEDIATE": False, "HUEY_SQLITE_PATH": path}, "/nonexistent")
    queue.storage.queue_size()
