"""Figures computed as each list is read (while the next sheet is parsed) are the figures
computed once the whole workbook has been read: the same numbers, rows and reasons."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.performance.annex_a.measures import Period, columns_needed, figures_from_workbook, figures_of
from evidence.performance.annex_a.synthetic import generate_workbook
from evidence.performance.annex_a.workbook import read_lists

PERIOD_END = dt.date(2025, 3, 31)


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("as-read")
    paths = []
    for seed in (1, 2):
        path = folder / f"annex-a-{seed}.xlsx"
        generate_workbook(path, rows=1500, period_end=PERIOD_END, seed=seed)
        paths.append(path)
    return paths


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(0, 1), months_back=st.integers(0, 14), standard=st.integers(1, 60), today=st.integers(0, 40))
def test_figures_as_read_are_the_figures_of_the_whole_workbook(workbooks, which, months_back, standard, today):
    # The month the workbook was taken (months_back 0) has the snapshot figures; others not.
    first = (PERIOD_END.replace(day=1) - dt.timedelta(days=31 * months_back)).replace(day=1)
    period, on = Period.month(first), PERIOD_END + dt.timedelta(days=today)
    path = workbooks[which]
    as_read = figures_from_workbook(path, period, cp_visit_working_days=standard, today=on)
    whole = figures_of(read_lists(path, columns=columns_needed()), period, cp_visit_working_days=standard, today=on)
    assert as_read.to_dict() == whole.to_dict()
    assert (as_read.rows, as_read.as_at, as_read.unplaced) == (whole.rows, whole.as_at, whole.unplaced)
