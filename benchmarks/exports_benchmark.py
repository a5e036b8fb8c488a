"""How long each download takes for a council of 100,000 evidence items, beside the floor.
Not a test: run it and read the figures.

    .venv/bin/python benchmarks/exports_benchmark.py                       # builds the council once
    .venv/bin/python benchmarks/exports_benchmark.py --instance instance/bench100k --repeat 3

The council is the demo grown by `flask setup-demo --evidence-items N` into a SQLite file in
`--instance` (default instance/exports-bench-N, kept: the build takes minutes, so a second run
reuses it). Then, through the Flask test client (in-process, no network), signed in as the
demo's senior leader (the audit log as its administrator), it downloads every export whole:
the gap list and a mock inspection's gap list (CSV and XLSX), the action plan (CSV and XLSX),
the audit log (CSV), the mock inspection's outcome and a review's report (PDF and Word), and
an Annex A import's rows to fix (XLSX) if the council has one. Each is timed from the request
to the last byte, interleaved with the floor: GET /account/password, a signed-in page with the
base layout and no council data. Figures are medians of `--repeat` downloads after one warm-up
(which works out the kept standing). Target (printed, not asserted): every download under 1 s.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ["INSPECT_READY_ENV"] = "test"

from pages_benchmark import FLOOR, build_council, demo_app, leader_and_outcome, sign_in
from sqlalchemy import select

from councils.db import db
from councils.models import User
from councils.tenancy import acting_for
from evidence.library.models import EvidenceItem
from evidence.performance.models import AnnexAImport
from evidence.reviews.models import Review

ADMIN_EMAIL = "admin@northshire.example"  # the demo's administrator (inspect_ready/demo)
TARGET_MS = 1000.0


def _download(client, path: str) -> tuple[float, float, int]:
    """Milliseconds from the request to the last byte, the CPU milliseconds of it (the server
    runs in this process: on a shared machine the steadier figure), and the bytes."""
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    size = len(response.get_data())
    elapsed, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")
    return elapsed, cpu, size


def _session_of(email: str) -> str:
    with acting_for(None):
        return db.session.scalars(select(User).where(User.email == email)).one().get_id()


def downloads(outcome_id: int, review_id: int | None, annex_a_id: int | None) -> dict[str, str]:
    found = {
        "gap list CSV": "/gaps/export.csv",
        "gap list XLSX": "/gaps/export.xlsx",
        "mock gap list CSV": f"/mock-inspections/{outcome_id}/gaps.csv",
        "mock gap list XLSX": f"/mock-inspections/{outcome_id}/gaps.xlsx",
        "action plan CSV": "/actions/export.csv",
        "action plan XLSX": "/actions/export.xlsx",
        "outcome PDF": f"/mock-inspections/{outcome_id}/outcome.pdf",
        "outcome Word": f"/mock-inspections/{outcome_id}/outcome.docx",
    }
    if review_id is not None:
        found["review report PDF"] = f"/reviews/{review_id}/report.pdf"
        found["review report Word"] = f"/reviews/{review_id}/report.docx"
    if annex_a_id is not None:
        found["Annex A rows to fix XLSX"] = f"/performance/annex-a/{annex_a_id}/rows-to-fix.xlsx"
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evidence-items", type=int, default=100_000, help="the council's size (default 100,000)")
    parser.add_argument("--instance", type=Path, help="folder of the council's SQLite file, built if absent")
    parser.add_argument("--repeat", type=int, default=3, help="timed downloads of each (default 3)")
    args = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # a line per step of every PDF otherwise
    instance = (args.instance or ROOT / "instance" / f"exports-bench-{args.evidence_items}").resolve()
    instance.mkdir(parents=True, exist_ok=True)
    database = instance / "inspect_ready.sqlite"
    app = demo_app(f"sqlite:///{database}", instance)
    if not database.exists():
        print(f"building the demo council with {args.evidence_items:,} evidence items in {database} ...")
        print(f"built in {build_council(app, args.evidence_items):.0f} s")
    with app.app_context():
        leader, outcome_id = leader_and_outcome()
        admin = _session_of(ADMIN_EMAIL)
        with acting_for(None):
            items = db.session.query(EvidenceItem).count()
            review_id = db.session.scalar(select(Review.id).order_by(Review.id))
            annex_a_id = db.session.scalar(select(AnnexAImport.id).order_by(AnnexAImport.id.desc()))
    print(f"council of {items:,} evidence items ({database}); median of {args.repeat} after one warm-up, ms")
    leaders, admins = app.test_client(), app.test_client()
    sign_in(leaders, leader)
    sign_in(admins, admin)
    timed = [(name, leaders, path) for name, path in downloads(outcome_id, review_id, annex_a_id).items()]
    timed.append(("audit log CSV", admins, "/admin/audit-log.csv"))
    print(
        f"{'download':<26}{'ms':>9}{'cpu ms':>9}{'floor ms':>10}{'floor cpu':>10}{'x floor':>9}{'size':>12}"
        f"  target under {TARGET_MS:g} ms"
    )
    worst = ("", 0.0)
    for name, client, path in timed:
        _download(client, FLOOR)
        *_, size = _download(client, path)  # the warm-up: the standing is worked out once per change
        runs, floors = [], []
        for _ in range(args.repeat):
            floors.append(_download(client, FLOOR))
            runs.append(_download(client, path))
        ms, cpu = (statistics.median(run[i] for run in runs) for i in (0, 1))
        floor, floor_cpu = (statistics.median(run[i] for run in floors) for i in (0, 1))
        worst = max(worst, (name, ms), key=lambda pair: pair[1])
        verdict = "met" if ms < TARGET_MS else "NOT MET"
        print(
            f"{name:<26}{ms:>9.1f}{cpu:>9.1f}{floor:>10.1f}{floor_cpu:>10.1f}{ms / floor:>8.1f}x"
            f"{size / 1024:>9.0f} KB  {verdict}"
        )
    print(f"exports: slowest at {items:,} items {worst[0]}, {worst[1]:.0f} ms (target under {TARGET_MS:g} ms)")


if __name__ == "__main__":
    main()
