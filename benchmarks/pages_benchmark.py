"""Server time and SQL statements of the two heaviest pages, for a large council.

Builds a fresh, migrated database, bulk-loads one council of 20,000 evidence items (5,000 of
them case audits' own), 5,000 case audits, 40 indicators x 60 monthly values and 20 mock
inspections (19 reported, one in fieldwork), plus an action plan and open escalations, then
times, through the Flask test client and signed in as a senior leader:

    home     GET /                                   (the senior leader's home page)
    outcome  GET /mock-inspections/<id>/outcome      (the latest recorded mock inspection)

Each page is requested once to warm up, then `--repeat` times; the median and 90th
percentile of the server time (in-process, no network) are printed, with the number of SQL
statements one request runs. Not a test: run it and read the figures.

    .venv/bin/python benchmarks/pages_benchmark.py [--scale 0.1] [--repeat 15]
    .venv/bin/python benchmarks/pages_benchmark.py --database-url postgresql://postgres@127.0.0.1:5432/pages_bench
    .venv/bin/python benchmarks/pages_benchmark.py --both      # SQLite, then PostgreSQL

A PostgreSQL database named in `--database-url` is dropped and created afresh (through the
server's `postgres` database) and dropped at the end unless `--keep` is given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
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

from flask_migrate import upgrade
from sqlalchemy import create_engine, event, func, insert, select, text
from sqlalchemy.engine import make_url

from councils import accounts, clock
from councils.db import db
from councils.models import Council, Role, ServiceArea, User
from councils.tenancy import acting_for
from evidence.action_plan.models import Action, ActionNote, ActionStatus
from evidence.case_audits.audits import leaning_of
from evidence.case_audits.models import CASE_TYPE_SERVICE, CaseAudit, CaseType, Escalation
from evidence.library.models import EvidenceItem, EvidenceKind, EvidenceLink, EvidenceStatus, Leaning
from evidence.mock_inspections.case_sample import AGE_BANDS, CASE_TYPES, GENDERS
from evidence.mock_inspections.models import ModeratedGrade, ProposedGrade, RecordedOutcome, TrackedCase
from evidence.performance import indicators
from evidence.performance.models import Indicator, IndicatorValue
from evidence.reviews.models import (
    Finding,
    FindingStatus,
    MemberRole,
    Review,
    ReviewKind,
    ReviewKloe,
    ReviewMember,
    ReviewStatus,
)
from inspect_ready import create_app
from inspect_ready.config import database_url
from judgement_framework import Confidence, Framework, apply_rules, load_framework

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/pages_bench"
FRAMEWORK_ID = "ilacs-2026"
PASSWORD = "correct horse battery staple"
# Sizes at --scale 1: the council, plus a working action plan and open escalations.
SIZES = {
    "evidence_items": 20_000,  # including the audits' own items
    "case_audits": 5_000,
    "indicators": 40,
    "months": 60,
    "mock_inspections": 20,
    "actions": 300,
    "open_escalations": 100,
}
KLOES_PER_REVIEW = 8
CASES_PER_REVIEW = 25
TEAMS = ["Safeguarding East", "Safeguarding West", "Children in Care North", "Leaving Care", "Early Help Hub"]
TODAY = dt.date.today()


@dataclass(frozen=True)
class Loaded:
    """What the timing needs of the loaded council."""

    leader_session_id: str  # the senior leader, as Flask-Login keeps them in the session
    outcome_review_id: int


@dataclass(frozen=True)
class PageTiming:
    database: str
    page: str
    times_ms: list[float]
    queries: int

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p90_ms(self) -> float:
        return statistics.quantiles(self.times_ms, n=10, method="inclusive")[-1]


# The database -------------------------------------------------------------------------


@contextmanager
def fresh_database(url: str | None, keep: bool) -> Iterator[str]:
    """A new empty database: a temporary SQLite file, or a PostgreSQL database made afresh."""
    if url is None:
        folder = Path(tempfile.mkdtemp(prefix="pages-bench-"))
        try:
            yield f"sqlite:///{folder / 'pages.sqlite'}"
        finally:
            if keep:
                print(f"kept {folder / 'pages.sqlite'}")
            else:
                shutil.rmtree(folder)
        return
    url = database_url(url)
    _postgres_admin(url, "DROP DATABASE IF EXISTS", "CREATE DATABASE")
    try:
        yield url
    finally:
        if keep:
            print(f"kept {make_url(url).render_as_string(hide_password=True)}")
        else:
            _postgres_admin(url, "DROP DATABASE IF EXISTS")


def _postgres_admin(url: str, *commands: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for command in commands:
            connection.execute(text(f'{command} "{target.database}"'))
    admin.dispose()


def kind_of(url: str) -> str:
    return make_url(url).get_backend_name()


# Loading the council --------------------------------------------------------------------


def scaled(scale: float) -> dict[str, int]:
    sizes = {name: max(1, round(size * scale)) for name, size in SIZES.items()}
    sizes["mock_inspections"] = max(2, sizes["mock_inspections"])  # one reported, one under way
    sizes["indicators"] = max(len(indicators.default_set()), sizes["indicators"])  # every council has these
    return sizes


def bulk(model, rows: list[dict], *, ids: bool = False) -> list[int]:
    """Insert many rows in one statement (batched by SQLAlchemy); their ids in order if asked."""
    if not rows:
        return []
    if not ids:
        db.session.execute(insert(model), rows)
        return []
    return list(db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), rows))


def load_council(sizes: dict[str, int], rng: random.Random) -> Loaded:
    framework = load_framework(FRAMEWORK_ID)
    council = accounts.create_council("Benchmark Council")
    leader = _person(council, "Lee Leader", Role.SENIOR_LEADER)
    reviewers = [
        _person(council, f"Rae Reviewer {n}", Role.HEAD_OF_SERVICE, ServiceArea.CHILD_PROTECTION) for n in (1, 2)
    ]
    owned = {"council_id": council.id}
    audit_ids = _load_audits(sizes, framework, owned, leader.id, rng)
    _load_other_evidence(sizes["evidence_items"] - len(audit_ids), framework, owned, rng)
    _load_indicators(sizes, owned, council.id, rng)
    outcome_review_id = _load_mock_inspections(sizes["mock_inspections"], framework, owned, leader, reviewers, rng)
    _load_actions(sizes["actions"], framework, owned, leader.id, rng)
    db.session.commit()
    return Loaded(leader.get_id(), outcome_review_id)


def _person(council: Council, name: str, role: Role, service_area: ServiceArea | None = None) -> User:
    email = name.lower().replace(" ", ".") + "@benchmark.example"
    return accounts.add_user(council, name=name, email=email, password=PASSWORD, role=role, service_area=service_area)


def _day_within(rng: random.Random, days: int) -> dt.date:
    return TODAY - dt.timedelta(days=rng.randrange(days))


def _links(item_ids: list[int], framework: Framework, owned: dict, rng: random.Random) -> None:
    """One or two judgement areas per item, most with one of the area's criteria."""
    rows = []
    for item_id in item_ids:
        for area in rng.sample(framework.areas, k=rng.choice((1, 1, 2))):
            criterion = rng.choice([None, *[c.id for c in area.criteria]])
            rows.append(owned | {"evidence_item_id": item_id, "area_id": area.id, "criterion_id": criterion})
    bulk(EvidenceLink, rows)


def _load_audits(
    sizes: dict[str, int], framework: Framework, owned: dict, leader_id: int, rng: random.Random
) -> list[int]:
    """Case audits, each with its own evidence item and links, as record_audit() makes them."""
    grades = [g.id for g in framework.grades]
    audits = []
    for n in range(sizes["case_audits"]):
        audits.append(
            owned
            | {
                "template_id": "practice-questions",
                "case_reference": f"CP-{100000 + n}",
                "case_type": rng.choice(list(CaseType)),
                "team": rng.choice(TEAMS),
                "worker": f"Worker {n % 150}",
                "auditor": f"Auditor {n % 30}",
                "audit_date": _day_within(rng, 730),
                "overall_grade": rng.choice(grades),
                "comment": "Plan is clear; the child's voice is recorded.",
            }
        )
    audit_ids = bulk(CaseAudit, audits, ids=True)
    items = [
        owned
        | {
            "title": f"Case audit {a['case_reference']} ({a['case_type'].label.lower()}, {a['team']})",
            "kind": EvidenceKind.CASE_AUDIT,
            "summary": a["comment"],
            "grade": a["overall_grade"],
            "leaning": leaning_of(a["overall_grade"], framework),
            "evidence_date": a["audit_date"],
            "owner_id": leader_id,
            "service_area": CASE_TYPE_SERVICE[a["case_type"]],
            "source_reference": f"Case file audit of {a['case_reference']}",
            "status": EvidenceStatus.ACCEPTED,
            "case_audit_id": audit_id,
        }
        for audit_id, a in zip(audit_ids, audits, strict=True)
    ]
    _links(bulk(EvidenceItem, items, ids=True), framework, owned, rng)
    escalated = rng.sample(audit_ids, k=min(sizes["open_escalations"], len(audit_ids)))
    bulk(
        Escalation,
        [
            owned
            | {
                "case_audit_id": audit_id,
                "concern": "No visit for six weeks.",
                "owner_id": leader_id,
                "due_date": _day_within(rng, 60),
            }
            for audit_id in escalated
        ],
    )
    return audit_ids


def _load_other_evidence(count: int, framework: Framework, owned: dict, rng: random.Random) -> None:
    kinds = [k for k in EvidenceKind if k is not EvidenceKind.CASE_AUDIT]
    grades = [g.id for g in framework.grades] + [None]
    statuses = [EvidenceStatus.ACCEPTED] * 8 + [EvidenceStatus.DRAFT, EvidenceStatus.ARCHIVED]
    items = [
        owned
        | {
            "title": f"Evidence item {n}",
            "kind": rng.choice(kinds),
            "summary": "What it shows about practice.",
            "grade": rng.choice(grades),
            "leaning": rng.choice(list(Leaning)),
            "evidence_date": _day_within(rng, 730),
            "service_area": rng.choice([None, *ServiceArea]),
            "status": rng.choice(statuses),
        }
        for n in range(count)
    ]
    _links(bulk(EvidenceItem, items, ids=True), framework, owned, rng)


def _load_indicators(sizes: dict[str, int], owned: dict, council_id: int, rng: random.Random) -> None:
    """The default set (as a council gets it), copies of it up to the size, and their monthly values."""
    with acting_for(council_id):
        indicators.ensure_default_indicators()
        defaults = indicators.all_indicators()
    copies = [defaults[n % len(defaults)] for n in range(sizes["indicators"] - len(defaults))]
    extra = [
        owned
        | {
            "code": f"{template.code}_local_{n}",
            "position": len(defaults) + n,
            "name": f"{template.name} (local measure {n})",
            "numerator": template.numerator,
            "denominator": template.denominator,
            "unit": template.unit,
            "polarity": template.polarity,
            "target": template.target,
            "tolerance": template.tolerance,
            "areas": template.areas,
            "criteria": template.criteria,
            "service_area": template.service_area,
        }
        for n, template in enumerate(copies)
    ]
    indicator_ids = [i.id for i in defaults] + bulk(Indicator, extra, ids=True)
    first_month = indicators.month_start(TODAY)
    months = [_months_before(first_month, back) for back in range(sizes["months"])]
    recorded = clock.now()
    bulk(
        IndicatorValue,
        [
            owned
            | {
                "indicator_id": indicator_id,
                "period": month,
                "value": round(rng.uniform(50, 100), 1),
                "source": "form",
                "recorded_at": recorded,
            }
            for indicator_id in indicator_ids
            for month in months
        ],
    )


def _months_before(month: dt.date, back: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - back
    return dt.date(index // 12, index % 12 + 1, 1)


def _load_mock_inspections(
    count: int, framework: Framework, owned: dict, leader: User, reviewers: list[User], rng: random.Random
) -> int:
    """Mock inspections two months apart, the newest in fieldwork; the id of the latest reported."""
    grades = [g.id for g in framework.grades]
    reviews = []
    for n in range(count):
        ends_on = TODAY - dt.timedelta(days=60 * (count - 1 - n))
        reported = n < count - 1
        reviews.append(
            owned
            | {
                "title": f"Mock inspection {n + 1}",
                "kind": ReviewKind.MOCK_INSPECTION,
                "framework_id": framework.id,
                "scope_area_ids": [],
                "starts_on": ends_on - dt.timedelta(days=10),
                "ends_on": ends_on,
                "lead_id": leader.id,
                "status": ReviewStatus.REPORTED if reported else ReviewStatus.FIELDWORK,
            }
        )
    review_ids = bulk(Review, reviews, ids=True)
    for review_id, review in zip(review_ids, reviews, strict=True):
        _load_team_and_kloes(review_id, review, framework, owned, leader, reviewers, rng)
        _load_tracked_cases(review_id, owned, rng)
        moderated = {}
        if review["status"] is ReviewStatus.REPORTED:
            moderated = {area.id: rng.choice(grades) for area in framework.areas}
            bulk(RecordedOutcome, [owned | _recorded(review_id, review, framework, moderated)])
        _load_grades(review_id, review, framework, owned, leader, reviewers, moderated, rng)
    return review_ids[-2]


def _load_team_and_kloes(
    review_id: int,
    review: dict,
    framework: Framework,
    owned: dict,
    leader: User,
    reviewers: list[User],
    rng: random.Random,
) -> None:
    bulk(
        ReviewMember,
        [
            owned
            | {
                "review_id": review_id,
                "user_id": person.id,
                "role": role,
                "name": person.name,
                "organisation": "Benchmark Council",
            }
            for person, role in [(leader, MemberRole.LEAD)] + [(r, MemberRole.REVIEWER) for r in reviewers]
        ],
    )
    kloes = []
    for position in range(KLOES_PER_REVIEW):
        area = framework.areas[position % len(framework.areas)]
        kloes.append(
            owned
            | {
                "review_id": review_id,
                "position": position,
                "question": f"How well does {area.title.lower()} work for children? ({position + 1})",
                "sub_questions": [],
                "area_ids": [area.id],
                "criterion_ids": [rng.choice(area.criteria).id],
            }
        )
    kloe_ids = bulk(ReviewKloe, kloes, ids=True)
    complete = review["status"] is ReviewStatus.REPORTED
    bulk(
        Finding,
        [
            owned
            | {
                "kloe_id": kloe_id,
                "strengths": "Visits are timely.",
                "areas_for_development": "Plans are not always updated.",
                "needs_to_improve": "Management oversight of drift.",
                "grade": rng.choice([g.id for g in framework.grades]),
                "confidence": Confidence.MEDIUM,
                "status": FindingStatus.COMPLETE if complete else FindingStatus.DRAFT,
                "version": 1,
                "updated_by": "Rae Reviewer 1",
                "updated_at": dt.datetime.combine(review["ends_on"], dt.time(12)),
            }
            for kloe_id in kloe_ids
        ],
    )


def _load_tracked_cases(review_id: int, owned: dict, rng: random.Random) -> None:
    bulk(
        TrackedCase,
        [
            owned
            | {
                "review_id": review_id,
                "reference": f"TC-{review_id}-{n}",
                "age_band": rng.choice(AGE_BANDS),
                "case_type": rng.choice(list(CASE_TYPES)),
                "team": rng.choice(TEAMS),
                "ethnicity": "White British",
                "disability": False,
                "gender": rng.choice(GENDERS),
                "area_ids": [],
            }
            for n in range(CASES_PER_REVIEW)
        ],
    )


def _load_grades(
    review_id: int,
    review: dict,
    framework: Framework,
    owned: dict,
    leader: User,
    reviewers: list[User],
    moderated: dict[str, str],
    rng: random.Random,
) -> None:
    """Each reviewer's proposed grade for every judgement, and the lead's moderated grades."""
    grades = [g.id for g in framework.grades]
    at = dt.datetime.combine(review["ends_on"], dt.time(16))
    bulk(
        ProposedGrade,
        [
            owned
            | {
                "review_id": review_id,
                "area_id": area.id,
                "reviewer_id": reviewer.id,
                "grade": rng.choice(grades),
                "rationale": "What the tracked cases showed.",
                "updated_at": at,
            }
            for area in framework.areas
            for reviewer in reviewers
        ],
    )
    bulk(
        ModeratedGrade,
        [
            owned
            | {
                "review_id": review_id,
                "area_id": area_id,
                "grade": grade,
                "rationale": "Moderated on the evidence.",
                "moderated_by_id": leader.id,
                "moderated_at": at,
            }
            for area_id, grade in moderated.items()
        ],
    )


def _recorded(review_id: int, review: dict, framework: Framework, moderated: dict[str, str]) -> dict:
    """A RecordedOutcome row shaped like evidence.mock_inspections.snapshot_data()."""
    rules = apply_rules(framework, moderated)
    return {
        "review_id": review_id,
        "recorded_on": review["ends_on"] + dt.timedelta(days=7),
        "data": {
            "framework_id": framework.id,
            "areas": [
                {"area_id": a.id, "title": a.title, "final_grade": rules.final_grades.get(a.id)}
                for a in framework.areas
            ],
            "rules": rules.to_dict(),
            "gaps": [],
        },
    }


def _load_actions(count: int, framework: Framework, owned: dict, leader_id: int, rng: random.Random) -> None:
    """An action plan, a third of it overdue, a quarter of it with a progress note."""
    actions = [
        owned
        | {
            "what": f"Action {n}: audit drift on open plans",
            "owner_id": leader_id,
            "due_date": TODAY + dt.timedelta(days=rng.randrange(-60, 120)),
            "success_measure": "Fewer plans open over six months.",
            "status": rng.choice(list(ActionStatus)),
            "area_id": rng.choice(framework.areas).id,
            "evidence_ids": [],
        }
        for n in range(count)
    ]
    action_ids = bulk(Action, actions, ids=True)
    bulk(
        ActionNote,
        [owned | {"action_id": i, "author_id": leader_id, "text": "On track."} for i in action_ids[::4]],
    )


def analyze() -> None:
    """Planner statistics for the new rows, as autovacuum would gather on a live server.

    Without them PostgreSQL guesses one row per table and nests loops over 20,000 items.
    """
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))


def table_counts() -> dict[str, int]:
    models = [
        EvidenceItem,
        EvidenceLink,
        CaseAudit,
        Escalation,
        Indicator,
        IndicatorValue,
        Review,
        ReviewMember,
        ReviewKloe,
        Finding,
        ProposedGrade,
        ModeratedGrade,
        RecordedOutcome,
        TrackedCase,
        Action,
        ActionNote,
        User,
    ]
    return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) for m in models}


# Timing the pages -------------------------------------------------------------------------


def sign_in(client, session_id: str) -> None:
    """As tests/support/factories.py sign_in_as: the session Flask-Login reads."""
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
        session["signed_in_at"] = clock.now().isoformat()


def time_page(app, path: str, session_id: str, repeat: int) -> tuple[list[float], int]:
    """Milliseconds of each of `repeat` requests after a warm-up, and the statements one request runs."""
    client = app.test_client()
    sign_in(client, session_id)
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    _get(client, path)
    event.listen(engine, "before_cursor_execute", count)
    try:
        _get(client, path)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        _get(client, path)
        times.append((time.perf_counter() - started) * 1000)
    return times, len(statements)


def _get(client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")


def run(url: str | None, args: argparse.Namespace) -> list[PageTiming]:
    sizes = scaled(args.scale)
    with fresh_database(url, args.keep) as actual_url:
        database = kind_of(actual_url)
        app = create_app({"SQLALCHEMY_DATABASE_URI": actual_url, "WTF_CSRF_ENABLED": False})
        try:
            with app.app_context():
                started = time.perf_counter()
                upgrade(directory=str(ROOT / "migrations"))
                migrated = time.perf_counter() - started
                started = time.perf_counter()
                council = load_council(sizes, random.Random(1))
                analyze()
                loaded = time.perf_counter() - started
                counts = table_counts()
            print(f"\n{database}: migrations {migrated:.1f} s, council loaded and analyzed in {loaded:.1f} s")
            print("  " + ", ".join(f"{table} {count:,}" for table, count in counts.items()))
            pages = {"home": "/", "outcome": f"/mock-inspections/{council.outcome_review_id}/outcome"}
            return [
                PageTiming(database, page, *time_page(app, path, council.leader_session_id, args.repeat))
                for page, path in pages.items()
            ]
        finally:
            with app.app_context():
                db.engine.dispose()  # PostgreSQL cannot drop a database with connections open


def print_table(timings: list[PageTiming], repeat: int) -> None:
    print(f"\nserver time over {repeat} requests after one warm-up; queries: SQL statements per request")
    print(f"{'database':<12}{'page':<10}{'median_ms':>10}{'p90_ms':>10}{'queries':>9}")
    for t in timings:
        print(f"{t.database:<12}{t.page:<10}{t.median_ms:>10.1f}{t.p90_ms:>10.1f}{t.queries:>9}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a PostgreSQL database to (re)create; default: a temporary SQLite file")
    parser.add_argument("--both", action="store_true", help=f"SQLite, then PostgreSQL at {POSTGRES_URL}")
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per page (default 15)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplier on every size (default 1.0)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if args.repeat < 2:
        parser.error("--repeat must be 2 or more, for a 90th percentile")
    urls = [None, POSTGRES_URL] if args.both else [args.database_url]
    print("sizes: " + ", ".join(f"{name} {size:,}" for name, size in scaled(args.scale).items()))
    timings = [t for url in urls for t in run(url, args)]
    print_table(timings, args.repeat)


if __name__ == "__main__":
    main()
