"""Many senior leaders at once: gunicorn with 4 workers on PostgreSQL, the demo at 20,000
evidence items, 50 signed-in leaders each opening a leader page a second for 60 seconds.

What it does, in order:

1. makes a fresh PostgreSQL database (`--postgres-url`, dropped at the end) and builds the
   demo in it with `flask setup-demo --evidence-items N` (inspect_ready/demo/scale.py), then
   adds one senior leader account per simulated user;
2. starts `gunicorn --workers 4 'inspect_ready:create_app()'` on 127.0.0.1 (loopback only)
   on a free port, and waits for /health;
3. signs every user in through the real sign-in form (GET /sign-in, then POST with the form's
   CSRF token), one after another, so no sign-in is timed;
4. the floor: one user alone opens the floor page (/account/password: a signed-in page with
   the base layout and no council data) and each leader page a few times on the idle server;
5. the load: every user, in its own thread, opens a leader page (home, outcome, gaps,
   evidence library, evidence map, engagement meeting pack in turn: pages_benchmark's
   leader_pages) once a second for `--seconds`. A user waits for
   each answer before the next request, so a slow server gets fewer requests, never a pile;
   at most users x seconds requests in all, each given up after `--timeout` seconds. Each
   user is a browser of its own (http.client, its cookies kept from every answer, the whole
   answer read); the CPU the client and gunicorn's workers used a request are printed, since
   both share the machine with the server;
6. stops gunicorn and drops the database.

An error is any answer but 200 (a redirect to sign-in included) or no answer in time. The
target (printed, not asserted): 50 leaders, p95 under 300 ms, no errors. The last line is
`load: N users, R requests, p95 X ms, E errors`.

    .venv/bin/python benchmarks/load_benchmark.py
    .venv/bin/python benchmarks/load_benchmark.py --users 10 --seconds 20 --evidence-items 2000
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pages_benchmark import (
    FLOOR,
    LEADER_EMAIL,
    build_council,
    demo_app,
    fresh_database,
    leader_and_outcome,
    leader_pages,
)
from sqlalchemy import select

from councils import accounts
from councils.db import db
from councils.models import Council, Role, User
from councils.tenancy import acting_for

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/load_bench"
HOST = "127.0.0.1"  # loopback only: nothing outside this machine can reach the server
PASSWORD = "quartz harbour violet moss"
TARGET_USERS, TARGET_P95_MS = 50, 300.0
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to check (the sign-in's, or a lost session's), not to follow."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


@dataclass
class Leader:
    """A signed-in browser: its cookies, sent with every request and updated from every answer,
    and its connection to the server (opened again whenever the server closes it)."""

    email: str
    host: str
    port: int
    cookies: dict[str, str]
    connection: http.client.HTTPConnection | None = field(default=None, repr=False)

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def remember(self, set_cookies: list[str]) -> None:
        """As a browser keeps Set-Cookie: the new value, or the cookie gone when it is expired."""
        for header in set_cookies:
            pair, _, attributes = header.partition(";")
            name, _, value = pair.strip().partition("=")
            if "max-age=0" in attributes.lower().replace(" ", ""):  # how Flask deletes a cookie
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value


@dataclass
class Result:
    page: str
    ms: float
    ok: bool
    problem: str = ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def add_leaders(app, count: int) -> list[str]:
    """`count` senior leaders in the demo council, so each simulated user is a person of their own."""
    with app.app_context():
        with acting_for(None):
            council = db.session.scalars(select_demo_council()).one()
        emails = []
        for n in range(count):
            email = f"leader.{n + 1}@northshire.example"
            accounts.add_user(council, name=f"Leader {n + 1}", email=email, password=PASSWORD, role=Role.SENIOR_LEADER)
            emails.append(email)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return emails


def select_demo_council():
    leader = select(User.council_id).where(User.email == LEADER_EMAIL).scalar_subquery()
    return select(Council).where(Council.id == leader)


def start_gunicorn(url: str, instance: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    environment = os.environ | {
        "INSPECT_READY_ENV": "development",
        "DATABASE_URL": url,
        "INSTANCE_PATH": instance,
    }
    # The workers make the job queue's SQLite file in the fresh instance folder at once, as
    # on a fresh install: inspect_ready/jobs.py makes it one worker at a time.
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "--workers", str(workers), "--bind", f"{HOST}:{port}", "inspect_ready:create_app()"]
    with log.open("w") as output:
        return subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT)


def workers_cpu_seconds(arbiter_pid: int) -> float:
    """CPU seconds gunicorn's workers have used so far (user and system, from /proc): the
    server's own cost of the load, whatever else shares the machine."""
    children = Path(f"/proc/{arbiter_pid}/task/{arbiter_pid}/children").read_text().split()
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue  # a worker restarted meanwhile
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def wait_until_up(base: str, server: subprocess.Popen, log: Path, within: float = 180) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit {server.returncode}):\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer /health within {within:.0f} s:\n{log.read_text()[-2000:]}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # gunicorn's graceful stop: its workers stop with it
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def sign_in(base: str, email: str) -> Leader:
    """Through the real form: the page's CSRF token and the session cookie, then the POST."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirects())
    with opener.open(f"{base}/sign-in", timeout=30) as response:
        page = response.read().decode()
    match = CSRF.search(page)
    if not match:
        raise RuntimeError("the sign-in page has no CSRF token")
    form = urllib.parse.urlencode(
        {"csrf_token": match.group(1) or match.group(2), "email": email, "password": PASSWORD}
    ).encode()
    try:
        opener.open(f"{base}/sign-in", data=form, timeout=30)
    except urllib.error.HTTPError as answer:
        if answer.code == 302 and answer.headers.get("Location", "").endswith("/"):
            address = urllib.parse.urlsplit(base)
            return Leader(email, address.hostname, address.port, {cookie.name: cookie.value for cookie in jar})
        raise RuntimeError(f"signing in {email} answered {answer.code} {answer.headers.get('Location', '')}") from None
    raise RuntimeError(f"signing in {email} did not go on to the home page")


def fetch(user: Leader, page: str, path: str, timeout: float) -> Result:
    """One page as a browser asks for it, the whole answer read. Through http.client rather
    than urllib's opener and cookie jar, which cost the client as much CPU as a small page
    costs the server: on one machine, the client's CPU is the server's loss."""
    started = time.perf_counter()
    try:
        if user.connection is None:
            user.connection = http.client.HTTPConnection(user.host, user.port, timeout=timeout)
        user.connection.request("GET", path, headers={"Cookie": user.cookie_header()})
        response = user.connection.getresponse()
        response.read()  # closes the connection too when the server does (http.client opens it again)
        status = response.status
        user.remember(response.headers.get_all("Set-Cookie") or [])
    except (OSError, http.client.HTTPException) as failure:
        user.connection.close()
        user.connection = None
        return Result(page, (time.perf_counter() - started) * 1000, False, type(failure).__name__)
    ms = (time.perf_counter() - started) * 1000
    return Result(page, ms, status == 200, "" if status == 200 else f"HTTP {status}")


def floor_figures(user: Leader, pages: dict[str, str], timeout: float) -> dict[str, float]:
    """Median ms on the idle server, one user: the floor page 10 times, each leader page 3 times."""
    figures = {}
    for page, path, times in [("floor", FLOOR, 10)] + [(p, path, 3) for p, path in pages.items()]:
        fetch(user, page, path, timeout)  # warm-up: the worker's first request of the page
        results = [fetch(user, page, path, timeout) for _ in range(times)]
        if not all(r.ok for r in results):
            raise RuntimeError(f"{path} failed on the idle server: {[r.problem for r in results if not r.ok]}")
        figures[page] = statistics.median(r.ms for r in results)
    return figures


def load(users: list[Leader], pages: dict[str, str], seconds: float, timeout: float) -> list[Result]:
    """Every user a page a second for `seconds`; their starts spread over the first second."""
    results: list[Result] = []
    lock = threading.Lock()
    names = list(pages)
    start = time.monotonic() + 1.0
    end = start + seconds

    def one_user(number: int, user: Leader) -> None:
        tick = start + number / len(users)
        request = number  # each user starts on a different page
        while True:
            now = time.monotonic()
            if now < tick:
                time.sleep(tick - now)
            if time.monotonic() >= end:
                return
            page = names[request % len(names)]
            result = fetch(user, page, pages[page], timeout)
            with lock:
                results.append(result)
            request += 1
            tick += 1.0
            tick = max(tick, time.monotonic())  # behind: the next at once, never a burst to catch up

    threads = [threading.Thread(target=one_user, args=(n, u), daemon=True) for n, u in enumerate(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + timeout + 5)
    return results


def p95(values: list[float]) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="signed-in senior leaders (default 50)")
    parser.add_argument("--seconds", type=float, default=60, help="how long the load lasts (default 60)")
    parser.add_argument("--evidence-items", type=int, default=20_000, help="the demo's size (default 20,000)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds before a request is an error (default 30)")
    parser.add_argument(
        "--postgres-url", default=POSTGRES_URL, help=f"made afresh and dropped (default {POSTGRES_URL})"
    )
    args = parser.parse_args()
    if not 1 <= args.users <= 500:
        parser.error("--users must be from 1 to 500")
    if not 1 <= args.seconds <= 600:
        parser.error("--seconds must be from 1 to 600")
    started = time.perf_counter()
    with fresh_database(args.postgres_url, keep=False, name="load") as url, tempfile.TemporaryDirectory() as instance:
        app = demo_app(url, Path(instance))
        try:
            results, idle = build_and_load(app, url, instance, args)
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()  # PostgreSQL cannot drop a database with connections open
    report(results, idle, args)
    print(f"({time.perf_counter() - started:.0f} s in all, the build included)")
    times = [r.ms for r in results if r.ok] or [0.0]
    errors = sum(not r.ok for r in results)
    print(f"load: {args.users} users, {len(results)} requests, p95 {p95(times):.0f} ms, {errors} errors")


def build_and_load(app, url: str, instance: str, args: argparse.Namespace) -> tuple[list[Result], dict[str, float]]:
    built = build_council(app, args.evidence_items)
    with app.app_context():
        _session_id, outcome_id = leader_and_outcome()
        db.session.remove()
    emails = add_leaders(app, args.users)
    print(f"setup-demo built {args.evidence_items:,} items on PostgreSQL in {built:.0f} s; {args.users} leaders added")
    pages = leader_pages(outcome_id)
    port = free_port()
    base = f"http://{HOST}:{port}"
    log = Path(instance) / "gunicorn.log"
    server = start_gunicorn(url, instance, port, args.workers, log)
    try:
        wait_until_up(base, server, log)
        signing_in = time.perf_counter()
        users = [sign_in(base, email) for email in emails]
        print(
            f"gunicorn, {args.workers} workers, on {base}; {len(users)} signed in through the form "
            f"in {time.perf_counter() - signing_in:.0f} s"
        )
        idle = floor_figures(users[0], pages, args.timeout)
        print("idle server, one user, median ms: " + ", ".join(f"{page} {ms:.0f}" for page, ms in idle.items()))
        before, load_before = workers_cpu_seconds(server.pid), os.getloadavg()[0]
        client_before = time.process_time()
        results = load(users, pages, args.seconds, args.timeout)
        cpu = workers_cpu_seconds(server.pid) - before
        client_cpu = time.process_time() - client_before
        print(
            f"gunicorn's workers used {cpu:.1f} CPU seconds for {len(results)} requests: "
            f"{cpu * 1000 / max(len(results), 1):.1f} ms a request (PostgreSQL's own not counted); "
            f"the machine's load average {load_before:.1f} before the load, {os.getloadavg()[0]:.1f} after"
        )
        print(
            f"the load client (this process, every user's thread) used {client_cpu:.1f} CPU seconds: "
            f"{client_cpu * 1000 / max(len(results), 1):.1f} ms a request"
        )
        return results, idle
    finally:
        stop(server)


def report(results: list[Result], idle: dict[str, float], args: argparse.Namespace) -> None:
    print(
        f"\n{args.users} users x a page a second for {args.seconds:g} s (at most {int(args.users * args.seconds)} requests)"
    )
    print(f"{'page':<9}{'requests':>9}{'errors':>8}{'median ms':>11}{'p95 ms':>9}{'idle ms':>9}{'floor ms':>10}")
    for page in [*dict.fromkeys(r.page for r in results)]:
        mine = [r for r in results if r.page == page]
        ok = [r.ms for r in mine if r.ok] or [0.0]
        print(
            f"{page:<9}{len(mine):>9}{sum(not r.ok for r in mine):>8}{statistics.median(ok):>11.0f}"
            f"{p95(ok):>9.0f}{idle.get(page, 0):>9.0f}{idle['floor']:>10.0f}"
        )
    problems = sorted({r.problem for r in results if not r.ok})
    if problems:
        print("errors: " + ", ".join(problems))
    ok = [r.ms for r in results if r.ok] or [0.0]
    errors = sum(not r.ok for r in results)
    met = args.users >= TARGET_USERS and p95(ok) < TARGET_P95_MS and errors == 0
    print(
        f"target: {TARGET_USERS} leaders, p95 under {TARGET_P95_MS:.0f} ms, no errors: "
        + ("met" if met else "NOT MET")
        + ("" if args.users >= TARGET_USERS else f" (only {args.users} users run)")
    )


if __name__ == "__main__":
    main()
