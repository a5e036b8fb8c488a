"""The fuzz suite's settings and its tally.

Seeded (derandomize: the same examples on every run and machine, so CI never fails on a
draw it cannot repeat) and bounded: FUZZ_EXAMPLES examples per form or importer, a few
minutes at most on each database. Set FUZZ_EXAMPLES higher for a longer search by hand.
At the end of the run the terminal summary says how many posts, files and addresses it tried.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
TRIED: Counter = Counter()


def fuzz_settings(examples: int = EXAMPLES):
    return settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


@pytest.fixture()
def tally():
    return TRIED


def pytest_terminal_summary(terminalreporter):
    if TRIED:
        shown = ", ".join(f"{count} {what}" for what, count in sorted(TRIED.items()))
        terminalreporter.write_line(f"fuzz suite tried: {shown}")
