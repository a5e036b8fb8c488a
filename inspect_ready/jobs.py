"""Background jobs (huey): the Annex A import runs here, not in the web request.

By default the queue is a SQLite file in the instance folder and a consumer process runs
the jobs (`huey_consumer inspect_ready.jobs.huey`; `make run` starts one). With
`HUEY_REDIS_URL` set, the queue is Redis instead, for production beside PostgreSQL (see
README). Tests run jobs at once, in the request, with the real task code (immediate mode).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import RedisHuey, SqliteHuey

from councils.tenancy import acting_for
from evidence.performance.annex_a import imports

INSTANCE = Path(__file__).resolve().parent.parent / "instance"


def _make_huey():
    testing = os.environ.get("INSPECT_READY_ENV") == "test"
    if os.environ.get("HUEY_REDIS_URL") and not testing:
        return RedisHuey("inspect-ready", url=os.environ["HUEY_REDIS_URL"])
    if testing:
        return SqliteHuey("inspect-ready", immediate=True)
    path = Path(os.environ.get("HUEY_SQLITE_PATH") or INSTANCE / "huey.sqlite")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("inspect-ready", filename=str(path))


huey = _make_huey()
_worker_app: Flask | None = None


def init_app(app: Flask) -> None:
    if app.config["ENV_NAME"] == "test":
        huey.immediate = True


def upload_folder() -> Path:
    folder = Path(current_app.instance_path) / "annex_a_uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@huey.task()
def import_annex_a(council_id: int, import_id: int, workbook_path: str) -> None:
    if has_app_context():  # immediate mode: already inside the request's app
        _run(council_id, import_id, workbook_path)
        return
    with _app().app_context():
        _run(council_id, import_id, workbook_path)


def _run(council_id: int, import_id: int, workbook_path: str) -> None:
    with acting_for(council_id):
        imports.run_import(import_id, Path(workbook_path))


def _app() -> Flask:
    global _worker_app
    if _worker_app is None:
        from inspect_ready import create_app

        _worker_app = create_app()
    return _worker_app
