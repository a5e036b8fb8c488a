"""Drafting a self-evaluation for a council of 20,000 evidence items, from its cached standing,
against the floor: one cached read of the standing, and the cached home page.

The council is the demo grown by `flask setup-demo --evidence-items N` (inspect_ready/demo/
scale.py, through the same command as pages_benchmark.py) in a fresh, migrated database. Then,
as the demo council, with its standing already kept (councils/standing_cache.py), it times

    draft     evidence.self_evaluation.self_evaluations.draft_for: every judgement's three
              answers from the standing, the indicators' months and the action plan
    start     self_evaluations.start: the draft and its rows written and flushed

(rolled back after each run) against two floors from the same run: `live_outcome` read from the cache (what drafting must
start from), and GET / for the demo's senior leader (the cached home page). Median of
`--repeat` runs after one warm-up, interleaved with the floors. The target (printed, not
asserted) is a draft in under 2 s at 20,000 items.

    .venv/bin/python benchmarks/self_evaluation_benchmark.py
    .venv/bin/python benchmarks/self_evaluation_benchmark.py --size 2000 --repeat 3 --postgres-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pages_benchmark import build_council, demo_app, fresh_database, kind_of, sign_in
from sqlalchemy import func, select

from councils import clock
from councils.db import db
from councils.models import Council, User
from councils.tenancy import acting_for
from evidence.library.items import framework_of
from evidence.library.models import EvidenceItem
from evidence.self_evaluation import self_evaluations
from evidence.standing import live_outcome

SIZE = 20_000
TARGET_SECONDS = 2.0
LEADER_EMAIL = "director@northshire.example"  # the demo's senior leader (inspect_ready/demo)


def _ms(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def run(url: str | None, size: int, repeat: int, keep: bool) -> dict[str, float]:
    with fresh_database(url, keep, name="self_evaluation") as actual_url, tempfile.TemporaryDirectory() as instance:
        app = demo_app(actual_url, Path(instance))
        try:
            built = build_council(app, size)
            print(f"{kind_of(actual_url)}, {size:,} items asked for: setup-demo built the council in {built:.1f} s")
            with app.app_context():
                with acting_for(None):
                    leader = db.session.scalars(select(User).where(User.email == LEADER_EMAIL)).one()
                    council = db.session.get(Council, leader.council_id)
                    items = db.session.scalar(select(func.count()).select_from(EvidenceItem))
                print(f"  {items:,} evidence items")
                times = _time(app, council, leader, repeat)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()  # PostgreSQL cannot drop a database with connections open
    return times


def _time(app, council: Council, leader: User, repeat: int) -> dict[str, float]:
    client = app.test_client()
    sign_in(client, leader.get_id())
    today = clock.today()
    year = self_evaluations.year_of(today) + 1  # the demo has this year's and last year's
    with acting_for(council.id):
        framework = framework_of(council)
        live_outcome(council, today, framework=framework)  # kept now, if the demo's load had not
        db.session.commit()

        def home() -> None:
            response = client.get("/")
            if response.status_code != 200:
                raise RuntimeError(f"GET / answered {response.status_code}")

        def start() -> None:
            self_evaluations.start(council, framework, year, by=leader, today=today)
            db.session.flush()

        tasks = {
            "cached standing": lambda: live_outcome(council, today, framework=framework),
            "home page": home,
            "draft": lambda: self_evaluations.draft_for(council, framework, today),
            "start": start,
        }
        times: dict[str, list[float]] = {name: [] for name in tasks}
        for run in range(repeat + 1):  # the first is the warm-up
            for name, task in tasks.items():
                # Each as the council afresh: a request through the test client sets (and leaves)
                # the current council of this thread for itself.
                with acting_for(council.id):
                    took = _ms(task)
                db.session.rollback()  # what start wrote: each run starts the same year afresh
                if run:
                    times[name].append(took)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=SIZE, help=f"evidence items (default {SIZE:,})")
    parser.add_argument("--postgres-url", default=None, help="a PostgreSQL database, made afresh (default SQLite)")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs of each (default 7)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    started = time.perf_counter()
    times = run(args.postgres_url, args.size, args.repeat, args.keep)
    print(f"\nmedian of {args.repeat} runs after one warm-up, interleaved")
    for name, ms in times.items():
        print(f"  {name:<16}{ms:>9.1f} ms")
    draft = times["draft"]
    met = draft / 1000 < TARGET_SECONDS
    print(
        f"\ntarget: a draft in under {TARGET_SECONDS:g} s at {args.size:,} items: {'met' if met else 'NOT MET'}; "
        f"{time.perf_counter() - started:.0f} s in all"
    )
    print(
        f"self-evaluation: draft {draft:.0f} ms, start {times['start']:.0f} ms; floor: cached standing "
        f"{times['cached standing']:.1f} ms, home page {times['home page']:.1f} ms"
    )


if __name__ == "__main__":
    main()
