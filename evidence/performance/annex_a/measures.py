"""The figures computed from an Annex A workbook for a period, each with its numerator,
denominator and the rows it could not use (and why).

How each is counted, where Annex A leaves room for choice:

- Periods include both their first and last day.
- Timeliness in working days counts the working days after the start date up to and
  including the end date (the start is day 0), as statutory timescales do.
- "Number of Referrals in Last 12 Months" is taken to include the referral on the row, so
  2 or more makes it a re-referral.
- Children in care are visited "within timescale" when the last social work visit was no
  more than 6 weeks before the period's end: the statutory maximum outside long-term
  placements, which Annex A cannot tell apart.
- A blank date that decides whether a row is in scope (an authorisation, a plan's end)
  means the event has not happened: the row is out of scope, not unusable. A date that
  cannot be read is always reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evidence.performance.annex_a.workbook import LISTS, ROW, AnnexAList, AnnexAWorkbook
from evidence.performance.annex_a.working_days import working_days_elapsed

DEFAULT_CP_VISIT_WORKING_DAYS = 10
CIC_VISIT_DAYS = 42
# Codes from the SSDA903 return as well as the template's wording.
IN_TOUCH = {"yes", "y", "in touch"}
SUITABLE = {"suitable", "1", "yes", "y"}
EET_CODES = {"f1", "p1", "f2", "p2", "f4", "p4", "f5", "p5"}
EET_WORDS = ("education", "employment", "training", "apprenticeship")
UNUSABLE_ROWS_KEPT = 50  # per figure: enough to find the pattern, small enough to store


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("The period must end on or after the day it starts")


@dataclass
class Figure:
    key: str
    title: str
    list_title: str
    numerator: int = 0
    denominator: int = 0
    unusable_count: int = 0
    unusable: list[dict] = field(default_factory=list)
    not_computed: str | None = None

    @property
    def value(self) -> float | None:
        if self.not_computed or not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 1)

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "list": self.list_title,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "unusable_count": self.unusable_count,
            "unusable": self.unusable,
            "not_computed": self.not_computed,
        }


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    list_number: int
    scope_columns: tuple[str, ...]
    needed: tuple[str, ...]
    # (frame, period, settings) -> rows in scope
    scope: Callable[[pd.DataFrame, Period, dict], pd.Series]
    # (usable rows, period, settings) -> rows meeting the standard
    met: Callable[[pd.DataFrame, Period, dict], pd.Series]
    # (usable rows) -> reason per row that makes it unusable, or None
    check: Callable[[pd.DataFrame], pd.Series] | None = None


def _ts(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day)


def _within(column: str) -> Callable:
    return lambda f, p, _s: f[column].between(_ts(p.start), _ts(p.end))


def _open_at_end(start: str, end: str) -> Callable:
    return lambda f, p, _s: (f[start] <= _ts(p.end)) & (f[end].isna() | (f[end] > _ts(p.end)))


def _working_days(f: pd.DataFrame, start: str, end: str) -> np.ndarray:
    return working_days_elapsed(f[start].to_numpy("datetime64[D]"), f[end].to_numpy("datetime64[D]"))


def _working_days_to_end(f: pd.DataFrame, column: str, p: Period) -> np.ndarray:
    ends = np.full(len(f), np.datetime64(p.end, "D"))
    return working_days_elapsed(f[column].to_numpy("datetime64[D]"), ends)


def _not_before(later: str, earlier: str, reason: str) -> Callable:
    return lambda f: pd.Series(np.where(f[later] < f[earlier], reason, None), index=f.index)


def _is_eet(code: pd.Series) -> pd.Series:
    words = code.str.contains("|".join(EET_WORDS)) & ~code.str.startswith(("not", "neet"))
    return code.isin(EET_CODES) | words


ASSESS_START, ASSESS_AUTH = "Continuous Assessment Start Date", "Continuous Assessment Date of Authorisation"
STRATEGY, ICPC = "Strategy discussion initiating Section 47 Enquiry Start Date", "Date of ICPC"
CPP_START, CPP_END, CP_VISIT, PREVIOUS_CPPS = (
    "CPP Start Date",
    "CPP End Date",
    "Date of the Last Statutory Visit",
    "Number of Previous CPPs",
)
CIC_START, CIC_END, CIC_VISIT, PLACEMENTS = (
    "Date Started to be Looked After",
    "Date Ceased",
    "Date of Last Social Work Visit",
    "Number of Placements in Last 12 months",
)

MEASURES = (
    Measure(
        "assessments_45_working_days",
        "Assessments completed within 45 working days",
        4,
        (ASSESS_AUTH,),
        (ASSESS_START,),
        _within(ASSESS_AUTH),
        lambda f, _p, _s: _working_days(f, ASSESS_START, ASSESS_AUTH) <= 45,
        _not_before(ASSESS_AUTH, ASSESS_START, f"{ASSESS_AUTH} is before the start date"),
    ),
    Measure(
        "icpc_15_working_days",
        "ICPCs held within 15 working days of the strategy discussion",
        5,
        (ICPC,),
        (STRATEGY,),
        _within(ICPC),
        lambda f, _p, _s: _working_days(f, STRATEGY, ICPC) <= 15,
        _not_before(ICPC, STRATEGY, f"{ICPC} is before the strategy discussion"),
    ),
    Measure(
        "re_referrals_12_months",
        "Re-referrals within 12 months of a previous referral",
        3,
        ("Date of referral",),
        ("Number of Referrals in Last 12 Months",),
        _within("Date of referral"),
        lambda f, _p, _s: f["Number of Referrals in Last 12 Months"] >= 2,
    ),
    Measure(
        "cp_plan_second_or_subsequent",
        "Child protection plans starting that are a second or subsequent plan",
        7,
        (CPP_START,),
        (PREVIOUS_CPPS,),
        _within(CPP_START),
        lambda f, _p, _s: f[PREVIOUS_CPPS] >= 1,
    ),
    Measure(
        "cp_plans_two_years",
        "Child protection plans ending that lasted two years or more",
        7,
        (CPP_END,),
        (CPP_START,),
        _within(CPP_END),
        lambda f, _p, _s: f[CPP_END] >= f[CPP_START] + pd.DateOffset(years=2),
        _not_before(CPP_END, CPP_START, f"{CPP_END} is before {CPP_START}"),
    ),
    Measure(
        "cp_visits_in_standard",
        "Children on a plan visited within the local standard",
        7,
        (CPP_START, CPP_END),
        (CP_VISIT,),
        _open_at_end(CPP_START, CPP_END),
        lambda f, p, s: _working_days_to_end(f, CP_VISIT, p) <= s["cp_visit_working_days"],
    ),
    Measure(
        "cic_visits_in_time",
        "Children in care visited within timescale",
        8,
        (CIC_START, CIC_END),
        (CIC_VISIT,),
        _open_at_end(CIC_START, CIC_END),
        lambda f, p, _s: (_ts(p.end) - f[CIC_VISIT]).dt.days <= CIC_VISIT_DAYS,
    ),
    Measure(
        "cic_three_placements",
        "Children in care with 3 or more placements in 12 months",
        8,
        (CIC_START, CIC_END),
        (PLACEMENTS,),
        _open_at_end(CIC_START, CIC_END),
        lambda f, _p, _s: f[PLACEMENTS] >= 3,
    ),
    Measure(
        "care_leavers_in_touch",
        "Care leavers the council is in touch with",
        9,
        (),
        ("LA in Touch",),
        lambda f, _p, _s: pd.Series(True, index=f.index),
        lambda f, _p, _s: f["LA in Touch"].isin(IN_TOUCH),
    ),
    Measure(
        "care_leavers_suitable_accommodation",
        "Care leavers in suitable accommodation",
        9,
        (),
        ("Suitability of Accommodation",),
        lambda f, _p, _s: pd.Series(True, index=f.index),
        lambda f, _p, _s: f["Suitability of Accommodation"].isin(SUITABLE),
    ),
    Measure(
        "care_leavers_eet",
        "Care leavers in education, employment or training",
        9,
        (),
        ("Activity Status",),
        lambda f, _p, _s: pd.Series(True, index=f.index),
        lambda f, _p, _s: _is_eet(f["Activity Status"]),
    ),
)
MEASURE_TITLES = {measure.key: measure.title for measure in MEASURES}


def compute_all(
    workbook: AnnexAWorkbook, period: Period, *, cp_visit_working_days: int = DEFAULT_CP_VISIT_WORKING_DAYS
) -> list[Figure]:
    settings = {"cp_visit_working_days": cp_visit_working_days}
    return [compute(measure, workbook, period, settings) for measure in MEASURES]


def compute(measure: Measure, workbook: AnnexAWorkbook, period: Period, settings: dict) -> Figure:
    list_ = workbook.lists.get(measure.list_number)
    figure = Figure(measure.key, measure.title, LISTS[measure.list_number].title)
    if list_ is None:
        figure.not_computed = f"{figure.list_title} is missing from the workbook"
        return figure
    absent = [c for c in measure.scope_columns + measure.needed if c in list_.missing_columns]
    if absent:
        figure.not_computed = f"{figure.list_title} has no column '{absent[0]}'"
        return figure
    frame = list_.frame
    reasons = pd.Series(None, index=frame.index, dtype=object)
    for column in measure.scope_columns:
        _note(reasons, list_.unusable.get(column), frame.index)
    in_scope = measure.scope(frame, period, settings).fillna(False).astype(bool) & reasons.isna()
    for column in measure.needed:
        blank = in_scope & frame[column].isna() & reasons.isna()
        bad = list_.unusable.get(column)
        _note(reasons, bad[bad.index.isin(frame.index[blank])] if bad is not None else None, frame.index)
        still_blank = blank & reasons.isna()
        reasons[still_blank] = f"{column} is blank"
    if measure.check is not None:
        candidates = in_scope & reasons.isna()
        _note(reasons, measure.check(frame[candidates]).dropna(), frame.index)
    usable = in_scope & reasons.isna()
    figure.denominator = int(usable.sum())
    figure.numerator = int(measure.met(frame[usable], period, settings).sum())
    _report_unusable(figure, frame, reasons, list_)
    return figure


def _note(reasons: pd.Series, found: pd.Series | None, index: pd.Index) -> None:
    if found is None or not len(found):
        return
    target = found.index[reasons[found.index].isna()]
    reasons[target] = found[target]


def _report_unusable(figure: Figure, frame: pd.DataFrame, reasons: pd.Series, list_: AnnexAList) -> None:
    bad = reasons.dropna()
    rows = [
        {"row": int(row), "reason": str(reason)} for row, reason in zip(frame.loc[bad.index, ROW], bad, strict=True)
    ]
    rows += [{"row": row, "reason": reason} for row, reason in list_.excluded]
    rows.sort(key=lambda item: item["row"])
    figure.unusable_count = len(rows)
    figure.unusable = rows[:UNUSABLE_ROWS_KEPT]
