"""The fault test: the job consumer killed (SIGKILL) in the middle of an Annex A import, then
started again. The job must end failed or finished, never "running", and no workbook is left.

A real consumer (`huey_consumer inspect_ready.worker.huey`, as `make run` starts it) in a
process of its own, on a SQLite queue and database of this test's own: the suite's database
is one transaction rolled back after each test, which another process cannot see.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

from flask_migrate import upgrade

from councils import accounts
from councils.db import db
from councils.tenancy import acting_for
from evidence.performance.annex_a import imports
from inspect_ready import create_app, jobs
from tests.support.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 2
STARTUP_SECONDS = 120
# Enough rows that reading them takes a second or more, so the kill lands mid-import.
ROWS = 60_000
LIST_7 = ("Child Unique ID", "CPP Start Date", "Date of the Last Statutory Visit", "CPP End Date")


def _large_list_7(path: Path, rows: int) -> None:
    """A List 7 of many rows, written as the XML itself: openpyxl takes minutes for as many
    on a busy machine, and this test needs the reading to be slow, not the writing."""
    cells = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in LIST_7)
    body = [f'<row r="1">{cells}</row>']
    for number in range(2, rows + 2):
        start = 45000 + number % 400
        body.append(
            f'<row r="{number}"><c t="inlineStr"><is><t>C{number}</t></is></c>'
            f"<c><v>{start}</v></c><c><v>{start + 9}</v></c><c/></row>"
        )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        book.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Target="xl/workbook.xml" '
            f'Type="{relationships}/officeDocument"/></Relationships>',
        )
        book.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{relationships}"><sheets>'
            '<sheet name="List 7" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Target="worksheets/sheet1.xml" '
            f'Type="{relationships}/worksheet"/></Relationships>',
        )
        book.writestr(
            "xl/worksheets/sheet1.xml", f'<worksheet xmlns="{main}"><sheetData>{"".join(body)}</sheetData></worksheet>'
        )


def _status(database: Path, import_id: int) -> str:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT status FROM annex_a_import WHERE id = ?", (import_id,)).fetchone()[0]


def _consumer(environment: dict, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "huey.bin.huey_consumer", "inspect_ready.worker.huey", "--workers", "1"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def test_a_consumer_killed_mid_import_then_restarted_leaves_the_job_ended_and_no_file(tmp_path):
    database, instance, queue = tmp_path / "inspect.sqlite", tmp_path / "instance", tmp_path / "queue.sqlite"
    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "INSTANCE_PATH": str(instance),
        "HUEY_IMMEDIATE": False,
        "HUEY_SQLITE_PATH": str(queue),
        "JOB_LEASE_SECONDS": LEASE_SECONDS,
    }
    environment = {
        **{k: v for k, v in os.environ.items() if k not in ("HUEY_REDIS_URL", "DATABASE_URL")},
        "INSPECT_READY_ENV": "development",
        "DATABASE_URL": settings["SQLALCHEMY_DATABASE_URI"],
        "INSTANCE_PATH": str(instance),
        "HUEY_SQLITE_PATH": str(queue),
        "JOB_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    app = create_app(settings)
    with app.app_context():
        upgrade()
        council = accounts.create_council("Fault Test Council")
        db.session.commit()
        with acting_for(council.id):
            job = imports.queue_import(
                filename="annex-a.xlsx", month=dt.date(2025, 3, 1), cp_visit_working_days=10, requested_by="test"
            )
            workbook = jobs.workbook_path(council.id, job.id)
            _large_list_7(workbook, ROWS)
            db.session.commit()
            jobs.queue_annex_a_import(job)
            import_id = job.id
        db.session.remove()
        db.engine.dispose()

    log_path = tmp_path / "consumer.log"
    log = log_path.open("ab")
    first = _consumer(environment, log)
    second = None
    try:
        wait_for(lambda: _status(database, import_id) == "running", STARTUP_SECONDS, "the consumer to start the import")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        assert _status(database, import_id) == "running", "the import ended before the kill: give it more rows"
        assert workbook.exists()

        second = _consumer(environment, log)
        # Starting a consumer (importing the app) takes 3 s on an idle machine and can take
        # 30 s on a crowded one; ending the job once it runs takes a lease at most.
        ended = wait_for(
            lambda: (status := _status(database, import_id)) in ("failed", "succeeded") and status,
            STARTUP_SECONDS,
            "the restarted consumer to end the job",
        )
    except AssertionError as failure:
        log.flush()
        raise AssertionError(f"{failure}; the consumers said:\n{log_path.read_text()[-3000:]}") from None
    finally:
        for consumer in (first, second):
            if consumer and consumer.poll() is None:
                consumer.send_signal(signal.SIGKILL)
                consumer.wait(10)
        log.close()
    assert ended == "failed", log_path.read_text()[-3000:]
    with sqlite3.connect(database) as connection:
        error = connection.execute("SELECT error FROM annex_a_import WHERE id = ?", (import_id,)).fetchone()[0]
    assert "the service's job worker stopped" in error
    assert list((instance / "annex_a_uploads").iterdir()) == []
