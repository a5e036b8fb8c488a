"""The figures computed from an Annex A workbook for a month, each with its definition in
words (numerator, denominator, dates, cohort), its standard, and the rows it could not use.

Rules every figure follows, where Annex A leaves room for choice:

- A month includes its first and last day. Timeliness in working days counts the working
  days after the start up to and including the end (the start is day 0), without weekends
  and English bank holidays, as statutory timescales do.
- Only what was known at the month's end: the lists hold each child's latest visit, review
  or assessment, so when one of those is after the month, the list cannot say what was
  known at the month's end and the figure for that month is not computed (the page says
  so). A figure that describes children "as they are now" (list 9, counts over the last
  12 months, placement location) is given only for the month the workbook was taken in.
- A child on several rows (several plans or episodes) counts once, by the latest plan or
  episode that had started by the month's end, where the figure is about children; a
  figure about plans or referrals counts each.
- Short breaks (legal status V1, V3, V4) are not children in care for visit, review,
  health and placement figures.
- A blank date that decides whether a row is in scope (an authorisation, a plan's end)
  means the event has not happened. A cell that cannot be read is reported by row.
"""

from __future__ import annotations

import calendar
import datetime as dt
import gc
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from evidence.performance.annex_a.workbook import CHILD, LISTS, ROW, AnnexAWorkbook, Problem
from evidence.performance.annex_a.working_days import working_days_elapsed

DEFAULT_CP_VISIT_WORKING_DAYS = 10
CIN_VISIT_WORKING_DAYS = 20
CIC_VISIT_DAYS = 42
UNUSABLE_ROWS_KEPT = 50  # per figure: enough to find the pattern, small enough to store
SHORT_BREAKS = ("v1", "v3", "v4")
LONG_TERM_PLACEMENTS = ("u1", "u4")
EET_CODES = ("f1", "p1", "f2", "p2", "f3", "p3")
NEET_CODES = ("g4", "g5", "g6")
LEFT_IN_TOUCH_DENOMINATOR = ("died", "rhom")  # DfE leaves these out of "in touch"
_CODE = re.compile(r"^\s*([a-z]{1,2}\d{1,2}[a-z]?)\s*(?:[:\-)]|$|\s)", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("The period must end on or after the day it starts")

    @classmethod
    def month(cls, day: dt.date) -> Period:
        return cls(day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1]))

    @property
    def label(self) -> str:
        return f"{self.start:%B %Y}"


@dataclass(frozen=True)
class Definition:
    numerator: str
    denominator: str
    dates: str
    cohort: str
    standard: str

    def to_dict(self) -> dict:
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "dates": self.dates,
            "cohort": self.cohort,
            "standard": self.standard,
        }


@dataclass
class Figure:
    key: str
    title: str
    list_title: str
    definition: Definition | None = None
    unit: str = "percent"
    numerator: float = 0
    denominator: int = 0
    unusable_count: int = 0
    unusable: list[dict] = field(default_factory=list)
    not_computed: str | None = None

    @property
    def value(self) -> float | None:
        if self.not_computed or not self.denominator:
            return None
        if self.unit == "days":
            return round(self.numerator / self.denominator, 1)
        return round(100 * self.numerator / self.denominator, 1)

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "list": self.list_title,
            "unit": self.unit,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "unusable_count": self.unusable_count,
            "unusable": self.unusable,
            "not_computed": self.not_computed,
            "definition": self.definition.to_dict() if self.definition else None,
        }


@dataclass
class Context:
    period: Period
    as_at: dt.date | None
    settings: dict

    @property
    def end(self) -> pd.Timestamp:
        return pd.Timestamp(self.period.end)

    @property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(self.period.start)

    def months_before_end(self, months: int) -> pd.Timestamp:
        return self.end - pd.DateOffset(months=months)


Mask = Callable[[pd.DataFrame, Context], pd.Series]


@dataclass(frozen=True)
class Measure:
    key: str
    title: str
    list_number: int
    definition: Definition
    scope_columns: tuple[str, ...]
    needed: tuple[str, ...]
    scope: Mask
    # rows meeting the standard (percent) or each row's days (days)
    met: Callable[[pd.DataFrame, Context], pd.Series | np.ndarray]
    check: Callable[[pd.DataFrame], pd.Series] | None = None
    unit: str = "percent"
    per_child_by: str | None = None  # the start date by which a child's latest row is kept
    known_at_month_end: tuple[str, ...] = ()  # latest-only dates: one after the month stops it
    snapshot: bool = False  # describes children as at the workbook's date only
    blank_allowed: tuple[str, ...] = ()  # needed columns where blank has a meaning

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.scope_columns + self.needed))


# Column names: the template's headings (headings.yaml)
L3_DATE, L3_COUNT, L3_NFA = "Date of referral", "Number of Referrals in Last 12 Months", "Referral NFA?"
ASSESS_START, ASSESS_AUTH, ASSESS_SEEN = (
    "Continuous Assessment Start Date",
    "Continuous Assessment Date of Authorisation",
    "Child Seen During Continuous Assessment",
)
STRATEGY, ICPC, ICPC_UNNEEDED, ICPC_PLAN = (
    "Strategy discussion initiating Section 47 Enquiry Start Date",
    "Date of Initial Child Protection Conference",
    "Was an Initial Child Protection Conference deemed unnecessary?",
    "Did the Initial Child Protection Conference Result in a Child Protection Plan",
)
CIN_START, CIN_SEEN, CIN_CLOSED, CIN_STATUS = (
    "CIN Start Date",
    "Date Child Was Last Seen",
    "CIN Closure Date",
    "Case Status",
)
CPP_START, CPP_END, CP_VISIT, CP_REVIEW, PREVIOUS_CPPS = (
    "Child Protection Plan Start Date",
    "Child Protection Plan End Date",
    "Date of the Last Statutory Visit",
    "Date of latest review conference",
    "Number of Previous Child Protection Plans",
)
CIC_START, CIC_END, LEGAL, CIC_VISIT, CIC_REVIEW = (
    "Date Started to be Looked After",
    "Date Ceased to be Looked After",
    "Child's Legal Status",
    "Date of Last Social Work Visit",
    "Date of Latest Statutory Review",
)
HEALTH, DENTAL, PLACEMENTS, PLACEMENT_START, PLACEMENT_TYPE, LOCATION = (
    "Date of Last Health Assessment",
    "Date of Last Dental Check",
    "Number of Placements in the Last 12 months",
    "Start Date of Most Recent Placement",
    "Placement Type",
    "Placement Location",
)
MISSING, OFFERED, ACCEPTED = (
    "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
    "Was the child offered a Return Interview after their last missing episode (Y/N)?",
    "Did the child accept a Return Interview after their last missing episode (Y/N)?",
)
IN_TOUCH, SUITABILITY, ACTIVITY, ADVISER, PATHWAY = (
    "LA in Touch",
    "Suitability of Accommodation",
    "Activity Status",
    "Allocated Personal Advisor",
    "Latest Pathway Plan Review Date",
)
ENTERED_CARE, PLACEMENT_ORDER, MATCHED, PLACED_FOR_ADOPTION, ADOPTION_ORDER = (
    "Date the Child Entered Care",
    "Date of Placement Order",
    "Date of Matching Child and Prospective Adopters",
    "Date Placed for Adoption",
    "Date of Adoption Order",
)
STAGE_1_STARTED, APPROVED = "Date Stage 1 started", "Date application approved"
DATE_OF_BIRTH = "Date of Birth"


# Small pieces the figures are built from


def code_of(values: pd.Series) -> pd.Series:
    """The template's code at the start of a value ("V3: Short term breaks" -> "v3"), or the
    whole value lower-cased when it has none ("a) Yes" was already read as "Yes" -> "yes")."""
    return values.map(_code, na_action="ignore")


@lru_cache(maxsize=8192)
def _code(value: object) -> str:
    text = str(value).strip().lower()
    match = _CODE.match(text)
    return match.group(1) if match else text


def is_yes(values: pd.Series) -> pd.Series:
    return code_of(values).isin(("yes", "y", "true", "1"))


def is_no(values: pd.Series) -> pd.Series:
    return code_of(values).isin(("no", "n", "false", "0"))


def _within(column: str) -> Mask:
    return lambda f, c: f[column].between(c.start, c.end)


def _open_at_end(start: str, end: str) -> Mask:
    return lambda f, c: (f[start] <= c.end) & (f[end].isna() | (f[end] > c.end))


def _in_care_at_end(f: pd.DataFrame, c: Context) -> pd.Series:
    """In care at the month's end, short breaks left out."""
    return _open_at_end(CIC_START, CIC_END)(f, c) & ~code_of(f[LEGAL]).isin(SHORT_BREAKS)


def _working_days(f: pd.DataFrame, start: str, end: str) -> np.ndarray:
    return working_days_elapsed(f[start].to_numpy("datetime64[D]"), f[end].to_numpy("datetime64[D]"))


def _working_days_to_end(f: pd.DataFrame, column: str, c: Context) -> np.ndarray:
    ends = np.full(len(f), np.datetime64(c.period.end, "D"))
    return working_days_elapsed(f[column].to_numpy("datetime64[D]"), ends)


def _days(f: pd.DataFrame, start: str, end: str) -> pd.Series:
    return (f[end] - f[start]).dt.days


def _not_before(later: str, earlier: str) -> Callable[[pd.DataFrame], pd.Series]:
    reason = f"{later} is before {earlier}"
    return lambda f: pd.Series(np.where(f[later] < f[earlier], reason, None), index=f.index)


def _all(_f: pd.DataFrame, _c: Context) -> pd.Series:
    return pd.Series(True, index=_f.index)


def _care_leavers(f: pd.DataFrame, _c: Context) -> pd.Series:
    """Care leavers still counted: those who died or returned home leave the denominator."""
    return ~code_of(f[IN_TOUCH]).isin(LEFT_IN_TOUCH_DENOMINATOR)


def _is_eet(values: pd.Series) -> pd.Series:
    code = code_of(values)
    text = values.astype("string").str.lower()
    neet = code.isin(NEET_CODES) | text.str.contains(r"\bnot in\b|\bneet\b", regex=True, na=False)
    worded = text.str.contains("education|employment|training|apprentice", regex=True, na=False)
    return (code.isin(EET_CODES) | worded) & ~neet


def _activity_unknown(f: pd.DataFrame) -> pd.Series:
    code = code_of(f[ACTIVITY])
    text = f[ACTIVITY].astype("string").str.lower()
    known = code.isin(EET_CODES + NEET_CODES) | text.str.contains(
        "education|employment|training|apprentice|neet", regex=True, na=False
    )
    return pd.Series(np.where(known, None, f"{ACTIVITY} is not one of the template's activity codes"), index=f.index)


def _cic_visit_in_time(f: pd.DataFrame, c: Context) -> pd.Series:
    """Within 6 weeks; within 3 months in a long-term placement held a year or more; a child
    placed in the last week is not yet due."""
    long_term = code_of(f[PLACEMENT_TYPE]).isin(LONG_TERM_PLACEMENTS) & (f[PLACEMENT_START] <= c.months_before_end(12))
    due_by = np.where(long_term, c.months_before_end(3), c.end - pd.Timedelta(days=CIC_VISIT_DAYS))
    visited = f[CIC_VISIT].notna() & (f[CIC_VISIT] >= pd.Series(due_by, index=f.index))
    newly_placed = f[PLACEMENT_START] > c.end - pd.Timedelta(days=7)
    return visited | newly_placed


def _cp_visit_in_time(f: pd.DataFrame, c: Context) -> pd.Series:
    limit = c.settings["cp_visit_working_days"]
    visited = f[CP_VISIT].notna() & (_working_days_to_end(f.fillna({CP_VISIT: c.end}), CP_VISIT, c) <= limit)
    not_yet_due = _working_days_to_end(f, CPP_START, c) <= limit
    return visited | not_yet_due


def _cp_review_in_time(f: pd.DataFrame, c: Context) -> pd.Series:
    """First review within 3 months of the plan's start, then at most 6-monthly."""
    not_yet_due = f[CPP_START] > c.months_before_end(3)
    reviewed = f[CP_REVIEW].notna() & (f[CP_REVIEW] >= f[CPP_START]) & (f[CP_REVIEW] >= c.months_before_end(6))
    return not_yet_due | reviewed


def _cic_review_in_time(f: pd.DataFrame, c: Context) -> pd.Series:
    """First review within 20 working days, the second within 3 months of it, then 6-monthly."""
    not_yet_due = _working_days_to_end(f, CIC_START, c) <= 20
    reviewed = f[CIC_REVIEW].notna() & (f[CIC_REVIEW] >= f[CIC_START])
    recent = np.where(
        f[CIC_START] > c.months_before_end(7),
        f[CIC_REVIEW] >= c.months_before_end(3),
        f[CIC_REVIEW] >= c.months_before_end(6),
    )
    return not_yet_due | (reviewed & recent)


def _in_care_a_year(f: pd.DataFrame, c: Context) -> pd.Series:
    return _in_care_at_end(f, c) & (f[CIC_START] <= c.months_before_end(12))


def _health_in_date(f: pd.DataFrame, c: Context) -> pd.Series:
    """Every 12 months; every 6 months for a child under 5 at the month's end."""
    under_five = f[DATE_OF_BIRTH] > c.months_before_end(60)
    due_by = np.where(under_five, c.months_before_end(6), c.months_before_end(12))
    return f[HEALTH].notna() & (f[HEALTH] >= pd.Series(due_by, index=f.index))


def _any_missing(f: pd.DataFrame, c: Context) -> pd.Series:
    return _in_care_at_end(f, c) & (f[MISSING] >= 1)


def _snapshot_in_care(f: pd.DataFrame, c: Context) -> pd.Series:
    return _in_care_at_end(f, c)


def _s47_outcome_known(f: pd.DataFrame, c: Context) -> pd.Series:
    return _within(STRATEGY)(f, c) & (f[ICPC].notna() | is_yes(f[ICPC_UNNEEDED]))


def _cin_open(f: pd.DataFrame, c: Context) -> pd.Series:
    return _open_at_end(CIN_START, CIN_CLOSED)(f, c) & code_of(f[CIN_STATUS]).str.contains("need", na=False)


def _adopters_approved(f: pd.DataFrame, c: Context) -> pd.Series:
    return _within(APPROVED)(f, c)


def _define(numerator, denominator, dates, cohort, standard) -> Definition:
    return Definition(numerator, denominator, dates, cohort, standard)


MEASURES: tuple[Measure, ...] = (
    Measure(
        "contact_to_referral",
        "Contacts that became referrals",
        1,
        _define(
            "Referrals in the month (list 3)",
            "Contacts in the month (list 1)",
            "Date of Contact and Date of referral in the month",
            "Every contact and every referral in the month",
            "No national standard; read with the referral and re-referral rates",
        ),
        ("Date of Contact",),
        (),
        _within("Date of Contact"),
        lambda f, c: pd.Series(False, index=f.index),  # replaced in compute: needs list 3 too
    ),
    Measure(
        "re_referrals_12_months",
        "Re-referrals within 12 months of a previous referral",
        3,
        _define(
            "Referrals in the month for a child referred at least once in the 12 months before",
            "Referrals in the month",
            "Date of referral in the month; 'Number of Referrals in Last 12 Months' counts the referrals before this one",
            "Every referral in the month (a child referred twice counts twice)",
            "Lower is better; England 22.6% (2024/25)",
        ),
        (L3_DATE,),
        (L3_COUNT,),
        _within(L3_DATE),
        lambda f, _c: f[L3_COUNT] >= 1,
    ),
    Measure(
        "referrals_nfa",
        "Referrals with no further action",
        3,
        _define(
            "Referrals in the month marked 'Referral NFA?' yes",
            "Referrals in the month",
            "Date of referral in the month",
            "Every referral in the month",
            "No national standard; a high rate can mean contacts are referred that need not be",
        ),
        (L3_DATE,),
        (L3_NFA,),
        _within(L3_DATE),
        lambda f, _c: is_yes(f[L3_NFA]),
    ),
    Measure(
        "assessments_45_working_days",
        "Assessments completed within 45 working days",
        4,
        _define(
            "Assessments authorised in the month within 45 working days of starting",
            "Assessments authorised in the month",
            "Continuous Assessment Date of Authorisation in the month; working days after the start date",
            "Every assessment authorised in the month",
            "Within 45 working days (Working Together); England 85.7% (2024/25)",
        ),
        (ASSESS_AUTH,),
        (ASSESS_START,),
        _within(ASSESS_AUTH),
        lambda f, _c: _working_days(f, ASSESS_START, ASSESS_AUTH) <= 45,
        _not_before(ASSESS_AUTH, ASSESS_START),
    ),
    Measure(
        "assessments_child_seen",
        "Assessments where the child was seen",
        4,
        _define(
            "Assessments authorised in the month where 'Child Seen During Continuous Assessment' is yes",
            "Assessments authorised in the month",
            "Continuous Assessment Date of Authorisation in the month",
            "Every assessment authorised in the month",
            "Every child is seen during an assessment (Working Together)",
        ),
        (ASSESS_AUTH,),
        (ASSESS_SEEN,),
        _within(ASSESS_AUTH),
        lambda f, _c: is_yes(f[ASSESS_SEEN]),
    ),
    Measure(
        "s47_to_icpc",
        "Section 47 enquiries that led to an initial child protection conference",
        5,
        _define(
            "Enquiries started in the month that have an ICPC date",
            "Enquiries started in the month with an outcome recorded: an ICPC held, or one deemed unnecessary",
            "Strategy discussion (Section 47 start) in the month; the ICPC on any date the workbook holds",
            "Section 47 enquiries started in the month; those with no outcome yet are left out",
            "No national standard; read with the ICPC-to-plan rate",
        ),
        (STRATEGY, ICPC, ICPC_UNNEEDED),
        (),
        _s47_outcome_known,
        lambda f, _c: f[ICPC].notna(),
    ),
    Measure(
        "icpc_15_working_days",
        "ICPCs held within 15 working days of the strategy discussion",
        5,
        _define(
            "ICPCs in the month held within 15 working days of the strategy discussion",
            "ICPCs held in the month",
            "Date of Initial Child Protection Conference in the month; working days after the strategy discussion",
            "Every ICPC held in the month",
            "Within 15 working days (Working Together); England 81.4% (2024/25)",
        ),
        (ICPC,),
        (STRATEGY,),
        _within(ICPC),
        lambda f, _c: _working_days(f, STRATEGY, ICPC) <= 15,
        _not_before(ICPC, STRATEGY),
    ),
    Measure(
        "icpc_to_plan",
        "ICPCs that resulted in a child protection plan",
        5,
        _define(
            "ICPCs in the month that resulted in a child protection plan",
            "ICPCs held in the month",
            "Date of Initial Child Protection Conference in the month",
            "Every ICPC held in the month",
            "No national standard; a low rate can mean conferences are called that need not be",
        ),
        (ICPC,),
        (ICPC_PLAN,),
        _within(ICPC),
        lambda f, _c: is_yes(f[ICPC_PLAN]),
    ),
    Measure(
        "cin_visits_in_time",
        "Children in need seen within 20 working days",
        6,
        _define(
            "Children on a child in need plan at the month's end last seen within 20 working days of it",
            "Children on a child in need plan at the month's end",
            "CIN Start Date on or before the month's end, no CIN Closure Date by then; Date Child Was Last Seen",
            "Each child once; Case Status a child in need plan",
            "Seen at least every 20 working days (a local standard: there is no national one)",
        ),
        (CIN_START, CIN_CLOSED, CIN_STATUS),
        (CIN_SEEN,),
        _cin_open,
        lambda f, c: _working_days_to_end(f, CIN_SEEN, c) <= CIN_VISIT_WORKING_DAYS,
        per_child_by=CIN_START,
        known_at_month_end=(CIN_SEEN,),
    ),
    Measure(
        "cp_plan_second_or_subsequent",
        "Child protection plans starting that are a second or subsequent plan",
        7,
        _define(
            "Plans starting in the month for a child who has had a plan before",
            "Plans starting in the month",
            "Child Protection Plan Start Date in the month; Number of Previous Child Protection Plans",
            "Every plan starting in the month",
            "Lower is better; DfE publishes England's figure each year",
        ),
        (CPP_START,),
        (PREVIOUS_CPPS,),
        _within(CPP_START),
        lambda f, _c: f[PREVIOUS_CPPS] >= 1,
    ),
    Measure(
        "cp_plans_two_years",
        "Child protection plans ending that lasted two years or more",
        7,
        _define(
            "Plans ending in the month that had lasted two years or more",
            "Plans ending in the month",
            "Child Protection Plan End Date in the month, measured from the plan's start",
            "Every plan ending in the month",
            "Lower is better; England 4.4% (2024/25)",
        ),
        (CPP_END,),
        (CPP_START,),
        _within(CPP_END),
        lambda f, _c: f[CPP_END] >= f[CPP_START] + pd.DateOffset(years=2),
        _not_before(CPP_END, CPP_START),
    ),
    Measure(
        "cp_visits_in_standard",
        "Children on a plan visited within the local standard",
        7,
        _define(
            "Children on a plan at the month's end whose last statutory visit was within the local standard of it "
            "(or whose plan started within it)",
            "Children on a child protection plan at the month's end",
            "Plan started by the month's end and not ended by then; Date of the Last Statutory Visit, in working days",
            "Each child once, by the latest plan started by the month's end; a child never visited is not in time",
            "The council's local standard (10 working days unless set otherwise)",
        ),
        (CPP_START, CPP_END),
        (CP_VISIT,),
        _open_at_end(CPP_START, CPP_END),
        _cp_visit_in_time,
        per_child_by=CPP_START,
        known_at_month_end=(CP_VISIT,),
        blank_allowed=(CP_VISIT,),
    ),
    Measure(
        "cp_reviews_in_time",
        "Child protection review conferences in time",
        7,
        _define(
            "Children on a plan at the month's end whose latest review conference is in time",
            "Children on a child protection plan at the month's end",
            "Date of latest review conference: the first within 3 months of the plan's start, then within 6 months",
            "Each child once, by the latest plan; a plan under 3 months old is not yet due",
            "First review within 3 months of the ICPC, then at most 6-monthly (Working Together)",
        ),
        (CPP_START, CPP_END),
        (CP_REVIEW,),
        _open_at_end(CPP_START, CPP_END),
        _cp_review_in_time,
        per_child_by=CPP_START,
        known_at_month_end=(CP_REVIEW,),
        blank_allowed=(CP_REVIEW,),
    ),
    Measure(
        "cic_visits_in_time",
        "Children in care visited within timescale",
        8,
        _define(
            "Children in care at the month's end whose last social work visit was in time",
            "Children in care at the month's end, short breaks left out",
            "Started to be looked after by the month's end and not ceased by then; Date of Last Social Work Visit",
            "Each child once, by the latest episode; a child placed in the last 7 days is not yet due",
            "At most every 6 weeks; at most 3-monthly in a long-term placement (U1, U4) held a year or more (Care Planning Regulations)",
        ),
        (CIC_START, CIC_END, LEGAL),
        (CIC_VISIT, PLACEMENT_TYPE, PLACEMENT_START),
        _in_care_at_end,
        _cic_visit_in_time,
        per_child_by=CIC_START,
        known_at_month_end=(CIC_VISIT,),
        blank_allowed=(CIC_VISIT,),
    ),
    Measure(
        "cic_reviews_in_time",
        "Children in care reviews in time",
        8,
        _define(
            "Children in care at the month's end whose latest statutory review is in time",
            "Children in care at the month's end, short breaks left out",
            "Date of Latest Statutory Review against the month's end",
            "Each child once, by the latest episode; a child in care under 20 working days is not yet due",
            "First review within 20 working days, the second within 3 months, then at most 6-monthly",
        ),
        (CIC_START, CIC_END, LEGAL),
        (CIC_REVIEW,),
        _in_care_at_end,
        _cic_review_in_time,
        per_child_by=CIC_START,
        known_at_month_end=(CIC_REVIEW,),
        blank_allowed=(CIC_REVIEW,),
    ),
    Measure(
        "cic_health_assessments_in_date",
        "Children in care with a health assessment in date",
        8,
        _define(
            "Children whose last health assessment was within 12 months of the month's end (6 months if under 5)",
            "Children in care at the month's end who had been in care 12 months or more, short breaks left out",
            "Date of Last Health Assessment; Date of Birth for the under-5s",
            "Each child once, by the latest episode",
            "Every 12 months, every 6 months under 5 (statutory guidance on promoting children's health)",
        ),
        (CIC_START, CIC_END, LEGAL),
        (HEALTH, DATE_OF_BIRTH),
        _in_care_a_year,
        _health_in_date,
        per_child_by=CIC_START,
        known_at_month_end=(HEALTH,),
        blank_allowed=(HEALTH,),
    ),
    Measure(
        "cic_dental_checks_in_date",
        "Children in care with a dental check in date",
        8,
        _define(
            "Children whose last dental check was within 12 months of the month's end",
            "Children in care at the month's end who had been in care 12 months or more, short breaks left out",
            "Date of Last Dental Check",
            "Each child once, by the latest episode",
            "Every 12 months (DfE's measure for children in care a year or more)",
        ),
        (CIC_START, CIC_END, LEGAL),
        (DENTAL,),
        _in_care_a_year,
        lambda f, c: f[DENTAL].notna() & (f[DENTAL] >= c.months_before_end(12)),
        per_child_by=CIC_START,
        known_at_month_end=(DENTAL,),
        blank_allowed=(DENTAL,),
    ),
    Measure(
        "cic_three_placements",
        "Children in care with 3 or more placements in 12 months",
        8,
        _define(
            "Children in care with 3 or more placements in the last 12 months",
            "Children in care at the workbook's date, short breaks left out",
            "Number of Placements in the Last 12 months, as at the workbook's date",
            "Each child once, by the latest episode",
            "Lower is better; DfE's national figure counts two years",
        ),
        (CIC_START, CIC_END, LEGAL),
        (PLACEMENTS,),
        _snapshot_in_care,
        lambda f, _c: f[PLACEMENTS] >= 3,
        per_child_by=CIC_START,
        snapshot=True,
    ),
    Measure(
        "cic_placed_out_of_area",
        "Children in care placed out of the council's area",
        8,
        _define(
            "Children in care whose Placement Location is out of the area",
            "Children in care at the workbook's date, short breaks left out",
            "Placement Location, as at the workbook's date",
            "Each child once, by the latest episode",
            "Lower is better; children should live near home unless that is not in their interests",
        ),
        (CIC_START, CIC_END, LEGAL),
        (LOCATION,),
        _snapshot_in_care,
        lambda f, _c: code_of(f[LOCATION]).str.startswith("out", na=False),
        per_child_by=CIC_START,
        snapshot=True,
    ),
    Measure(
        "cic_missing_episodes",
        "Children in care who went missing in the last 12 months",
        8,
        _define(
            "Children in care with one or more missing episodes in the last 12 months",
            "Children in care at the workbook's date, short breaks left out",
            "Number of episodes 'missing' in the last 12 months, as at the workbook's date",
            "Each child once, by the latest episode",
            "Lower is better; every missing episode is followed by a return interview offer",
        ),
        (CIC_START, CIC_END, LEGAL),
        (MISSING,),
        _snapshot_in_care,
        lambda f, _c: f[MISSING] >= 1,
        per_child_by=CIC_START,
        snapshot=True,
    ),
    Measure(
        "return_interviews_offered",
        "Return interviews offered after a missing episode",
        8,
        _define(
            "Children offered a return interview after their last missing episode",
            "Children in care at the workbook's date with a missing episode in the last 12 months",
            "As at the workbook's date",
            "Each child once, by the latest episode; short breaks left out",
            "Every child who goes missing is offered a return interview within 72 hours (statutory guidance)",
        ),
        (CIC_START, CIC_END, LEGAL, MISSING),
        (OFFERED,),
        _any_missing,
        lambda f, _c: is_yes(f[OFFERED]),
        per_child_by=CIC_START,
        snapshot=True,
    ),
    Measure(
        "return_interviews_accepted",
        "Return interviews accepted when offered",
        8,
        _define(
            "Children who accepted the return interview offered after their last missing episode",
            "Children offered a return interview after their last missing episode",
            "As at the workbook's date",
            "Each child in care once, by the latest episode; short breaks left out",
            "Higher is better; no national standard",
        ),
        (CIC_START, CIC_END, LEGAL, MISSING, OFFERED),
        (ACCEPTED,),
        lambda f, c: _any_missing(f, c) & is_yes(f[OFFERED]),
        lambda f, _c: is_yes(f[ACCEPTED]),
        per_child_by=CIC_START,
        snapshot=True,
    ),
    Measure(
        "care_leavers_in_touch",
        "Care leavers the council is in touch with",
        9,
        _define(
            "Care leavers with 'LA in Touch' yes",
            "Care leavers in list 9, less those who died or returned home",
            "As at the workbook's date",
            "Each care leaver once (the last row for a repeated one), every age in the list",
            "Higher is better; England's published figures are for 19 to 21 year olds",
        ),
        (IN_TOUCH,),
        (),
        _care_leavers,
        lambda f, _c: is_yes(f[IN_TOUCH]),
        per_child_by="",
        snapshot=True,
    ),
    Measure(
        "care_leavers_suitable_accommodation",
        "Care leavers in suitable accommodation",
        9,
        _define(
            "Care leavers whose accommodation is suitable",
            "Care leavers in list 9 with suitability recorded, less those who died or returned home",
            "As at the workbook's date",
            "Each care leaver once, every age in the list",
            "Higher is better; England 85% for 19 to 21 year olds (2019)",
        ),
        (IN_TOUCH,),
        (SUITABILITY,),
        _care_leavers,
        lambda f, _c: code_of(f[SUITABILITY]).str.match(r"^(suitable|yes|y|1)$", na=False),
        per_child_by="",
        snapshot=True,
    ),
    Measure(
        "care_leavers_eet",
        "Care leavers in education, employment or training",
        9,
        _define(
            "Care leavers whose activity is F1, P1, F2, P2, F3 or P3 (education, training or employment)",
            "Care leavers in list 9 with an activity recorded, less those who died or returned home",
            "As at the workbook's date",
            "Each care leaver once; G4, G5 and G6 ('Not in education, employment or training') are not in EET",
            "Higher is better; DfE publishes England's figure each year",
        ),
        (IN_TOUCH,),
        (ACTIVITY,),
        _care_leavers,
        lambda f, _c: _is_eet(f[ACTIVITY]),
        _activity_unknown,
        per_child_by="",
        snapshot=True,
    ),
    Measure(
        "care_leavers_pathway_plans_in_date",
        "Care leavers with a pathway plan reviewed in the last 6 months",
        9,
        _define(
            "Care leavers whose Latest Pathway Plan Review Date is within 6 months of the month's end",
            "Care leavers in list 9, less those who died or returned home",
            "As at the workbook's date",
            "Each care leaver once; a blank review date is not in date",
            "Reviewed at least every 6 months (Care Leavers Regulations)",
        ),
        (IN_TOUCH,),
        (PATHWAY,),
        _care_leavers,
        lambda f, c: f[PATHWAY].notna() & (f[PATHWAY] >= c.months_before_end(6)),
        per_child_by="",
        snapshot=True,
        blank_allowed=(PATHWAY,),
    ),
    Measure(
        "care_leavers_personal_adviser",
        "Care leavers with a personal adviser",
        9,
        _define(
            "Care leavers with an Allocated Personal Advisor named",
            "Care leavers in list 9, less those who died or returned home",
            "As at the workbook's date",
            "Each care leaver once",
            "Every care leaver has a personal adviser (Children (Leaving Care) Act 2000)",
        ),
        (IN_TOUCH,),
        (ADVISER,),
        _care_leavers,
        lambda f, _c: f[ADVISER].notna(),
        per_child_by="",
        snapshot=True,
        blank_allowed=(ADVISER,),
    ),
    Measure(
        "adoption_a1_days",
        "Adoption A1: days from entering care to moving in with the adoptive family",
        10,
        _define(
            "Days from entering care to being placed for adoption, added up over the children",
            "Children adopted in the month (the figure is the average in days)",
            "Date of Adoption Order in the month; Date the Child Entered Care to Date Placed for Adoption",
            "Each child adopted in the month",
            "Lower is better; scorecard threshold 426 days, 14 months (2013-16)",
        ),
        (ADOPTION_ORDER,),
        (ENTERED_CARE, PLACED_FOR_ADOPTION),
        _within(ADOPTION_ORDER),
        lambda f, _c: _days(f, ENTERED_CARE, PLACED_FOR_ADOPTION),
        _not_before(PLACED_FOR_ADOPTION, ENTERED_CARE),
        unit="days",
    ),
    Measure(
        "adoption_a2_days",
        "Adoption A2: days from placement order to match",
        10,
        _define(
            "Days from the placement order to the match with adopters, added up over the children",
            "Children adopted in the month (the figure is the average in days)",
            "Date of Adoption Order in the month; Date of Placement Order to Date of Matching",
            "Each child adopted in the month",
            "Lower is better; scorecard threshold 121 days, 4 months (2013-16)",
        ),
        (ADOPTION_ORDER,),
        (PLACEMENT_ORDER, MATCHED),
        _within(ADOPTION_ORDER),
        lambda f, _c: _days(f, PLACEMENT_ORDER, MATCHED),
        _not_before(MATCHED, PLACEMENT_ORDER),
        unit="days",
    ),
    Measure(
        "adopters_approved_in_time",
        "Adopters approved within 6 months",
        11,
        _define(
            "Adopters approved in the month within 6 months of starting Stage 1",
            "Adopters approved in the month",
            "Date application approved in the month; Date Stage 1 started",
            "Each adopter (a couple is two rows)",
            "Stage 1 in 2 months and Stage 2 in 4 months: 6 months in all (adoption statutory guidance)",
        ),
        (APPROVED,),
        (STAGE_1_STARTED,),
        _adopters_approved,
        lambda f, _c: f[APPROVED] <= f[STAGE_1_STARTED] + pd.DateOffset(months=6),
        _not_before(APPROVED, STAGE_1_STARTED),
    ),
)
MEASURE_TITLES = {measure.key: measure.title for measure in MEASURES}
BY_KEY = {measure.key: measure for measure in MEASURES}
REFERRAL_DATE_FOR_RATE = L3_DATE


def figure_descriptions() -> list[dict]:
    """Each figure as the upload page lists it: title, list and definition, in list order."""
    return [
        {
            "key": m.key,
            "title": m.title,
            "list_title": LISTS[m.list_number].title,
            "list": m.list_number,
            "definition": m.definition.to_dict(),
        }
        for m in sorted(MEASURES, key=lambda m: m.list_number)
    ]


def columns_needed() -> dict[int, set[str]]:
    """Per list, the columns the figures read: the reader keeps these and no others."""
    needed: dict[int, set[str]] = {}
    for measure in MEASURES:
        needed.setdefault(measure.list_number, set()).update(measure.columns)
        if measure.per_child_by:
            needed[measure.list_number].add(measure.per_child_by)
    needed.setdefault(3, set()).add(REFERRAL_DATE_FOR_RATE)
    return needed


def stopped_figures(workbook: AnnexAWorkbook) -> list[Problem]:
    """For each column the figures need and the workbook lacks, the figures it stops."""
    problems = []
    for number, listed in sorted(workbook.lists.items()):
        stops: dict[str, list[str]] = {}
        for measure in MEASURES:
            if measure.list_number == number:
                for column in measure.columns:
                    if column in listed.missing:
                        stops.setdefault(column, []).append(measure.title)
        for column, titles in stops.items():
            problems.append(
                Problem(
                    listed.spec.title,
                    f"column '{column}' not found, so these figures were not computed: {'; '.join(titles)}",
                    number,
                    column=column,
                )
            )
    return problems


def workbook_date(workbook: AnnexAWorkbook, today: dt.date | None = None) -> dt.date | None:
    """When the workbook was taken: its latest recorded event that is not in the future
    (dates of birth and planned dates do not count)."""
    today = today or dt.date.today()
    latest = None
    for listed in workbook.lists.values():
        for name, values in listed.values.items():
            if listed.spec.columns[name].kind != "date" or name == DATE_OF_BIRTH:
                continue
            for value in values:
                if value is not None and value <= today and (latest is None or value > latest):
                    latest = value
    return latest


def compute_all(
    workbook: AnnexAWorkbook,
    period: Period,
    *,
    cp_visit_working_days: int = DEFAULT_CP_VISIT_WORKING_DAYS,
    as_at: dt.date | None = None,
    today: dt.date | None = None,
    early: tuple[dict[str, Figure], dict] | None = None,
) -> list[Figure]:
    """`early`: the figures already computed as their lists were read (`_as_read`), and the
    frames they built."""
    context = Context(period, as_at or workbook_date(workbook, today), {"cp_visit_working_days": cp_visit_working_days})
    done, frames = early or ({}, {})
    return [done[m.key] if m.key in done else compute(m, workbook, context, frames) for m in MEASURES]


def _as_read(period: Period, cp_visit_working_days: int):
    """For `read_lists(on_list=...)`: each figure computed as soon as its list has been read,
    on the reader's thread while the next sheet is parsed on another. Left to the end: a
    figure of children as they are when the workbook was taken (it needs the workbook's
    date, from every list) and contacts to referrals (it needs list 3 as well as list 1).
    Nothing else a figure reads changes once its list is read."""
    settings = {"cp_visit_working_days": cp_visit_working_days}
    context = Context(period, None, settings)  # as_at is read by snapshot figures alone
    done: dict[str, Figure] = {}
    frames: dict = {}

    def list_read(number: int, lists: dict) -> None:
        workbook = AnnexAWorkbook(lists, [])
        for measure in MEASURES:
            if measure.list_number == number and not measure.snapshot and measure.key != "contact_to_referral":
                done[measure.key] = compute(measure, workbook, context, frames)

    return list_read, (done, frames)


def compute(measure: Measure, workbook: AnnexAWorkbook, context: Context, frames: dict | None = None) -> Figure:
    frames = {} if frames is None else frames
    spec = LISTS[measure.list_number]
    figure = Figure(measure.key, measure.title, spec.title, measure.definition, measure.unit)
    listed = workbook.lists.get(measure.list_number)
    if listed is None:
        figure.not_computed = f"{spec.title} is not in the workbook"
        return figure
    absent = [c for c in measure.columns if c in listed.missing or c not in listed.values]
    if absent:
        figure.not_computed = f"{spec.title} has no column '{absent[0]}'"
        return figure
    if not len(listed):
        figure.not_computed = f"{spec.title} has no rows"
        return figure
    month_first = [c for c in measure.columns if c in listed.month_first]
    if month_first:
        figure.not_computed = (
            f"the dates in '{month_first[0]}' ({spec.title}) are written month first and were not used"
        )
        return figure
    if measure.snapshot and not _describes(context, figure, spec):
        return figure
    if measure.list_number not in frames:
        frames[measure.list_number] = listed.frame()
    frame = frames[measure.list_number]
    reasons = pd.Series(None, index=frame.index, dtype=object)
    for column in measure.scope_columns:
        _note(reasons, listed.unusable.get(column), frame)
    if measure.per_child_by is not None:
        # Several figures of a list keep the same latest rows: worked out once per month.
        key = ("latest", measure.list_number, measure.per_child_by, measure.scope_columns)
        if key not in frames:
            frames[key] = _latest_per_child(frame[reasons.isna()], measure.per_child_by, context)
        frame = frames[key]
        reasons = reasons[frame.index]
    in_scope = measure.scope(frame, context).fillna(False).astype(bool) & reasons.isna()
    for column in measure.needed:
        _note(reasons, _only(listed.unusable.get(column), frame, in_scope), frame)
        if column not in measure.blank_allowed:
            blank = in_scope & frame[column].isna() & reasons.isna()
            if blank.any():  # setting through an all-False mask costs as much as a real one
                reasons[blank] = f"{column} is blank"
    if measure.check is not None:
        candidates = in_scope & reasons.isna()
        _note_series(reasons, measure.check(frame[candidates]).dropna())
    usable = in_scope & reasons.isna()
    rows = frame[usable]  # taken once: each take copies every column
    later = _known_later(measure, rows, context)
    if later:
        figure.not_computed = later
        return figure
    if measure.key == "contact_to_referral":
        return _contact_to_referral(figure, workbook, rows, context, reasons, frame)
    met = measure.met(rows, context)
    figure.denominator = int(usable.sum())
    if measure.unit == "days":
        figure.numerator = int(pd.Series(met).sum())
    else:
        figure.numerator = int(pd.Series(met).fillna(False).astype(bool).sum())
    _report_unusable(figure, frame, reasons)
    return figure


def _describes(context: Context, figure: Figure, spec) -> bool:
    if context.as_at is None:
        figure.not_computed = f"{spec.title} describes children as they are when the workbook was taken, and the workbook holds no date to say when"
        return False
    if not context.period.start <= context.as_at <= context.period.end:
        figure.not_computed = (
            f"{spec.title} describes children as they were on {context.as_at:%d %B %Y}, when the workbook was taken; "
            f"it cannot give a figure for {context.period.label}"
        )
        return False
    return True


def _latest_per_child(frame: pd.DataFrame, start: str, context: Context) -> pd.DataFrame:
    """Each child's latest plan or episode started by the month's end; a row with no id stays."""
    if start:
        frame = frame[frame[start].isna() | (frame[start] <= context.end)]
        ordered = frame.sort_values([start, ROW], na_position="first", kind="stable")
    else:
        ordered = frame.sort_values(ROW, kind="stable")
    ids = ordered[CHILD]
    keep = ids.isna() | ~ids.duplicated(keep="last")
    return ordered[keep].sort_index()


def _known_later(measure: Measure, usable: pd.DataFrame, context: Context) -> str | None:
    for column in measure.known_at_month_end:
        later = int((usable[column] > context.end).sum())
        if later:
            return (
                f"{LISTS[measure.list_number].title} holds only each child's latest '{column}'; for {later} "
                f"{'child it is' if later == 1 else 'children it is'} after {context.period.label}, so the list "
                "cannot say what was known at the month's end"
            )
    return None


def _contact_to_referral(figure, workbook, contacts, context, reasons, frame) -> Figure:
    referrals = workbook.lists.get(3)
    if referrals is None or REFERRAL_DATE_FOR_RATE not in referrals.values:
        figure.not_computed = f"{LISTS[3].title} or its '{REFERRAL_DATE_FOR_RATE}' column is not in the workbook"
        return figure
    dates = pd.to_datetime(pd.Series(referrals.values[REFERRAL_DATE_FOR_RATE], dtype=object), errors="coerce")
    figure.numerator = int(dates.between(context.start, context.end).sum())
    figure.denominator = len(contacts)
    _report_unusable(figure, frame, reasons)
    return figure


def _only(found: dict[int, str] | None, frame: pd.DataFrame, mask: pd.Series) -> dict[int, str] | None:
    if not found:
        return None
    rows = set(frame.loc[mask, ROW])
    return {row: reason for row, reason in found.items() if row in rows}


def _note(reasons: pd.Series, found: dict[int, str] | None, frame: pd.DataFrame) -> None:
    """Mark rows (given by Excel row number) with their reason, keeping any earlier one."""
    if not found:
        return
    hits = frame[ROW].map(found)
    target = hits.notna() & reasons.isna()
    reasons[target] = hits[target]


def _note_series(reasons: pd.Series, found: pd.Series) -> None:
    if not len(found):
        return
    target = found.index[reasons[found.index].isna()]
    reasons[target] = found[target]


def _report_unusable(figure: Figure, frame: pd.DataFrame, reasons: pd.Series) -> None:
    bad = reasons.dropna()
    rows = [
        {"row": int(row), "reason": str(reason)} for row, reason in zip(frame.loc[bad.index, ROW], bad, strict=True)
    ]
    rows.sort(key=lambda item: item["row"])
    figure.unusable_count = len(rows)
    figure.unusable = rows[:UNUSABLE_ROWS_KEPT]


@dataclass
class Result:
    figures: list[Figure]
    problems: list[Problem]
    rows: int
    as_at: dt.date | None
    # headings no template column fits, for the person to map: {list, list_title, heading, column_letter}
    unplaced: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "figures": [figure.to_dict() for figure in self.figures],
            "problems": [problem.to_dict() for problem in self.problems],
        }


def figures_from_workbook(
    source,
    period: Period,
    *,
    cp_visit_working_days: int = DEFAULT_CP_VISIT_WORKING_DAYS,
    mappings: dict[int, dict[str, str]] | None = None,
    today: dt.date | None = None,
) -> Result:
    """Read only the sheets and columns the figures need, and compute every figure: the one
    path the upload and `flask annex-a-figures` share. Raises WorkbookUnreadable."""
    from evidence.performance.annex_a.workbook import read_lists

    list_read, early = _as_read(period, cp_visit_working_days)
    workbook = read_lists(source, columns=columns_needed(), mappings=mappings, on_list=list_read)
    return figures_of(workbook, period, cp_visit_working_days=cp_visit_working_days, today=today, early=early)


def figures_of(
    workbook: AnnexAWorkbook,
    period: Period,
    *,
    cp_visit_working_days: int = DEFAULT_CP_VISIT_WORKING_DAYS,
    today: dt.date | None = None,
    early: tuple[dict[str, Figure], dict] | None = None,
) -> Result:
    """Every figure of a workbook already read (the import reads it once, for the figures and
    the readiness report alike); `early`, those computed as it was read (`_as_read`)."""
    as_at = workbook_date(workbook, today)
    paused = gc.isenabled()
    gc.disable()  # as in the reader: many short-lived pandas objects, no cycles
    try:
        figures = compute_all(workbook, period, cp_visit_working_days=cp_visit_working_days, as_at=as_at, early=early)
    finally:
        if paused:
            gc.enable()
    problems = _merge(workbook.problems, stopped_figures(workbook))
    return Result(figures, problems, workbook.rows(), as_at, unplaced_headings(workbook))


def unplaced_headings(workbook: AnnexAWorkbook) -> list[dict]:
    """The headings no template column fits, for the person to map."""
    return [
        {
            "list": h.list_number,
            "list_title": LISTS[h.list_number].title,
            "heading": h.heading,
            "column_letter": h.column_letter,
        }
        for h in workbook.unplaced
    ]


def _merge(problems: list[Problem], more: list[Problem]) -> list[Problem]:
    """The reader's "required column not found" is said better by naming the figures stopped."""
    named = {(p.list_number, p.column) for p in more}
    kept = (
        [p for p in problems if not (p.column is None and p.message.startswith("required column"))]
        if named
        else problems
    )
    return sorted(kept + more, key=lambda p: (p.list_number or 0, p.row or 0))
