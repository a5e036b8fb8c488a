"""Waiting on another process (a job consumer) in a test: poll until a condition holds."""

from __future__ import annotations

import time


def wait_for(condition, seconds: float, what: str):
    """The condition's first true value, polled every 10 ms; fails naming what it waited for."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"waited {seconds} s for {what}")
