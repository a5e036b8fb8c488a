"""`make run` stops cleanly: scripts/run_demo.sh stops the web server and the consumer
together and ends with status 0 (make printed "Error 143" before)."""

import os
import signal
import subprocess
import time
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "scripts" / "run_demo.sh"


def _run(tmp_path: Path, flask_body: str = "exec sleep 30") -> tuple[subprocess.Popen, Path]:
    """The script with stand-ins for flask and huey_consumer, which note their process id."""
    bin_dir, marks = tmp_path / "bin", tmp_path / "marks"
    bin_dir.mkdir()
    marks.mkdir()
    for name, body in (("flask", flask_body), ("huey_consumer", "exec sleep 30")):
        program = bin_dir / name
        program.write_text(f'#!/bin/sh\necho $$ > "{marks}/{name}.pid"\n{body}\n')
        program.chmod(0o755)
    process = subprocess.Popen(
        ["bash", str(SCRIPT)], env={**os.environ, "BIN": str(bin_dir)}, stdout=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 10
    while len(list(marks.glob("*.pid"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)  # the pid files are written; let each `exec` happen
    return process, marks


def _alive(marks: Path) -> list[str]:
    alive = []
    for pid_file in marks.glob("*.pid"):
        try:
            os.kill(int(pid_file.read_text()), 0)
        except ProcessLookupError:
            continue
        alive.append(pid_file.stem)
    return alive


def test_a_stop_signal_stops_both_and_ends_well(tmp_path):
    process, marks = _run(tmp_path)
    assert sorted(_alive(marks)) == ["flask", "huey_consumer"]
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "Inspect ready has stopped." in output
    assert _alive(marks) == []


def test_when_one_stops_by_itself_the_other_is_stopped_and_its_status_passed_on(tmp_path):
    process, marks = _run(tmp_path, flask_body="sleep 0.5; exit 3")
    process.communicate(timeout=10)
    assert process.returncode == 3
    assert _alive(marks) == []
