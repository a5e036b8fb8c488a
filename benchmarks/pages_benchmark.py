"""Server time of a senior leader's heaviest pages against the floor, for councils of 2,000,
20,000 and 100,000 evidence items, on SQLite and PostgreSQL.

Each council is the demo grown to size by `flask setup-demo --evidence-items N` (the same
builder, inspect_ready/demo/scale.py, run through the same command) in a fresh, migrated
database. Then, through the Flask test client (in-process, no network) and signed in as the
demo's senior leader, it times

    home      GET /                                  the senior leader's home page
    outcome   GET /mock-inspections/<id>/outcome     the latest recorded mock inspection
    gaps      GET /gaps/                             the council's gap list
    library   GET /evidence/                         the evidence library
    map       GET /evidence/map                      the evidence map
    pack      GET /engagement-meeting/               the annual engagement meeting's pack, today

each against the floor: GET /account/password, a signed-in page with the base layout (header,
navigation, footer, the session and user loaded) and no council data. Requests alternate
floor, page, floor, page... so that both see the same machine; the figures are medians of
`--repeat` requests each after one warm-up, with the SQL statements one request runs. The
target (printed, not asserted) is at most 10x the floor for every page at 20,000 items.

    .venv/bin/python benchmarks/pages_benchmark.py                        # every size, both databases
    .venv/bin/python benchmarks/pages_benchmark.py --sizes 2000,20000 --databases sqlite --repeat 5

A PostgreSQL database (`--postgres-url`) is dropped and created afresh for each size (through
the server's `postgres` database) and dropped at the end unless `--keep` is given. The last
line is `pages: worst page at 20,000 items N.Nx the floor` (the largest size run, if 20,000 is not).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["INSPECT_READY_ENV"] = "test"

from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import make_url

from councils import clock
from councils.db import db
from councils.models import Council, User
from councils.tenancy import acting_for
from evidence.case_audits.models import CaseAudit
from evidence.library.models import EvidenceItem
from evidence.mock_inspections import inspections
from evidence.performance.models import IndicatorValue
from evidence.reviews.models import Review
from inspect_ready import create_app
from inspect_ready.config import database_url

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/pages_bench"
SIZES = (2_000, 20_000, 100_000)
TARGET_SIZE = 20_000
TARGET_RATIO = 10.0
LEADER_EMAIL = "director@northshire.example"  # the demo's senior leader (inspect_ready/demo)
FLOOR = "/account/password"


@dataclass(frozen=True)
class PageTiming:
    database: str
    size: int
    page: str
    median_ms: float
    floor_ms: float
    statements: int
    floor_statements: int

    @property
    def ratio(self) -> float:
        return self.median_ms / self.floor_ms


# The database -------------------------------------------------------------------------


@contextmanager
def fresh_database(url: str | None, keep: bool, name: str = "pages") -> Iterator[str]:
    """A new empty database: a temporary SQLite file, or a PostgreSQL database made afresh."""
    if url is None:
        folder = Path(tempfile.mkdtemp(prefix=f"{name}-bench-"))
        try:
            yield f"sqlite:///{folder / f'{name}.sqlite'}"
        finally:
            if keep:
                print(f"kept {folder / f'{name}.sqlite'}")
            else:
                shutil.rmtree(folder)
        return
    url = database_url(url)
    postgres_admin(url, "DROP DATABASE IF EXISTS", "CREATE DATABASE")
    try:
        yield url
    finally:
        if keep:
            print(f"kept {make_url(url).render_as_string(hide_password=True)}")
        else:
            postgres_admin(url, "DROP DATABASE IF EXISTS")


def postgres_admin(url: str, *commands: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for command in commands:
            connection.execute(text(f'{command} "{target.database}"'))
    admin.dispose()


def kind_of(url: str) -> str:
    return make_url(url).get_backend_name()


# Building the council ---------------------------------------------------------------------


def demo_app(url: str, instance: Path):
    """The app on `url`, allowed to load the demo, with its instance folder (the demo's logins) in `instance`."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "LOAD_DEMO_DATA": True, "WTF_CSRF_ENABLED": False})
    app.instance_path = str(instance)
    return app


def build_council(app, evidence_items: int) -> float:
    """`flask setup-demo --evidence-items N` on the app's database; the seconds it took."""
    started = time.perf_counter()
    result = app.test_cli_runner().invoke(args=["setup-demo", "--evidence-items", str(evidence_items)])
    if result.exit_code != 0:
        raise RuntimeError(f"setup-demo --evidence-items {evidence_items} failed:\n{result.output}") from (
            result.exception
        )
    return time.perf_counter() - started


def table_counts() -> dict[str, int]:
    models = [EvidenceItem, CaseAudit, IndicatorValue, Review]
    with acting_for(None):
        return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) for m in models}


def leader_and_outcome() -> tuple[str, int]:
    """The demo senior leader's session id and the latest recorded mock inspection."""
    with acting_for(None):
        leader = db.session.scalars(select(User).where(User.email == LEADER_EMAIL)).one()
        council = db.session.get(Council, leader.council_id)
    with acting_for(council.id):
        return leader.get_id(), inspections.latest_recorded().review_id


def leader_pages(outcome_id: int) -> dict[str, str]:
    """The pages timed, by name: a senior leader's heaviest."""
    return {
        "home": "/",
        "outcome": f"/mock-inspections/{outcome_id}/outcome",
        "gaps": "/gaps/",
        "library": "/evidence/",
        "map": "/evidence/map",
        # Two standings (the meeting's day and a year before), both kept: the pack scores nothing.
        "pack": "/engagement-meeting/",
    }


# Timing the pages -------------------------------------------------------------------------


def sign_in(client, session_id: str) -> None:
    """As tests/support/factories.py sign_in_as: the session Flask-Login reads."""
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
        session["signed_in_at"] = clock.now().isoformat()


def _get(client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return elapsed


def statements_of(app, client, path: str) -> int:
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        _get(client, path)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def time_against_floor(app, client, path: str, repeat: int) -> tuple[float, float, int, int]:
    """Median ms of the page and of the floor, interleaved, and the statements of each."""
    _get(client, FLOOR)
    _get(client, path)
    statements, floor_statements = statements_of(app, client, path), statements_of(app, client, FLOOR)
    page_times, floor_times = [], []
    for _ in range(repeat):
        floor_times.append(_get(client, FLOOR))
        page_times.append(_get(client, path))
    return statistics.median(page_times), statistics.median(floor_times), statements, floor_statements


def run(url: str | None, size: int, args: argparse.Namespace) -> list[PageTiming]:
    started = time.perf_counter()
    with fresh_database(url, args.keep) as actual_url, tempfile.TemporaryDirectory() as instance:
        database = kind_of(actual_url)
        app = demo_app(actual_url, Path(instance))
        try:
            built = build_council(app, size)
            with app.app_context():
                counts = table_counts()
                session_id, outcome_id = leader_and_outcome()
            print(f"\n{database}, {size:,} items: setup-demo built the council in {built:.1f} s")
            print("  " + ", ".join(f"{table} {count:,}" for table, count in counts.items()))
            pages = leader_pages(outcome_id)
            client = app.test_client()
            sign_in(client, session_id)
            timings = []
            for page, path in pages.items():
                timing = PageTiming(database, size, page, *time_against_floor(app, client, path, args.repeat))
                print(
                    f"  {page:<8} {timing.median_ms:>8.1f} ms  floor {timing.floor_ms:>6.1f} ms  "
                    f"{timing.ratio:>5.1f}x  ({timing.statements} statements; floor {timing.floor_statements})"
                )
                timings.append(timing)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()  # PostgreSQL cannot drop a database with connections open
    print(f"  ({database} at {size:,} items took {time.perf_counter() - started:.0f} s in all)")
    return timings


def print_table(timings: list[PageTiming], repeat: int) -> None:
    print(f"\nmedian server time of {repeat} requests after one warm-up, interleaved with the floor ({FLOOR})")
    print(f"{'database':<12}{'items':>9}  {'page':<9}{'ms':>9}{'floor ms':>10}{'x floor':>9}{'statements':>12}")
    for t in timings:
        print(
            f"{t.database:<12}{t.size:>9,}  {t.page:<9}{t.median_ms:>9.1f}{t.floor_ms:>10.1f}"
            f"{t.ratio:>8.1f}x{t.statements:>12}"
        )


def parse_sizes(value: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in value.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"sizes are whole numbers separated by commas, like 2000,20000: {value!r}"
        ) from None
    if not sizes:
        raise argparse.ArgumentTypeError("give at least one size")
    return sizes


def parse_databases(value: str) -> list[str]:
    names = [part.strip() for part in value.split(",") if part.strip()]
    unknown = set(names) - {"sqlite", "postgresql"}
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"databases are sqlite and postgresql, separated by commas: {value!r}")
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=parse_sizes, default=list(SIZES), help="evidence items, e.g. 2000,20000 (default all three)"
    )
    parser.add_argument(
        "--databases", type=parse_databases, default=["sqlite", "postgresql"], help="sqlite,postgresql (default both)"
    )
    parser.add_argument(
        "--postgres-url", default=POSTGRES_URL, help=f"made afresh for each size (default {POSTGRES_URL})"
    )
    parser.add_argument(
        "--repeat", type=int, default=7, help="timed requests of each page and of the floor (default 7)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    started = time.perf_counter()
    urls = {"sqlite": None, "postgresql": args.postgres_url}
    timings = [t for name in args.databases for size in args.sizes for t in run(urls[name], size, args)]
    print_table(timings, args.repeat)
    target_size = TARGET_SIZE if TARGET_SIZE in args.sizes else max(args.sizes)
    at_target = [t for t in timings if t.size == target_size]
    worst = max(at_target, key=lambda t: t.ratio)
    met = all(t.ratio <= TARGET_RATIO for t in at_target)
    print(
        f"\ntarget: every leader page at most {TARGET_RATIO:g}x the floor at {TARGET_SIZE:,} items"
        + ("" if target_size == TARGET_SIZE else f" (not run; shown at {target_size:,})")
        + ": "
        + ("met" if met else "NOT MET")
        + f" (worst: {worst.page} on {worst.database}); {time.perf_counter() - started:.0f} s in all"
    )
    print(f"pages: worst page at {target_size:,} items {worst.ratio:.1f}x the floor")


if __name__ == "__main__":
    main()
