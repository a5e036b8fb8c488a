"""Reading an Annex A workbook as councils really produce it.

Tolerated: title rows above the table, blank rows, lists named "List 7", "Child Protection"
or "List 7 - Child Protection", codes with or without their letter prefix ("a) Yes"),
dates as dates, Excel serial numbers or text (dd/mm/yyyy and a few other forms), extra
columns and extra sheets. Reported, never guessed: a list or a column that cannot be found,
a date that is not a real date, a child listed twice where a list has one row per child.

Only the columns the measures need are kept (data minimisation); the child id is used to
find repeats and then dropped.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import BinaryIO

import pandas as pd

CHILD_ID = "Child Unique ID"
ROW = "row"  # the row number as the council sees it in Excel
HEADER_SEARCH_ROWS = 30
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Earlier or later dates are typing mistakes (a year of 2205, say), not real events.
PLAUSIBLE_YEARS = range(1980, 2041)
TEXT_DATE_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%y",
    "%Y-%m-%d",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %b %Y",
    "%d %B %Y",
    "%Y-%m-%d %H:%M:%S",
)
_LETTER_PREFIX = re.compile(r"^\s*[a-z]\)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class ListSpec:
    number: int
    name: str
    dates: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    one_row_per_child: bool = False

    @property
    def title(self) -> str:
        return f"List {self.number} ({self.name})"

    @property
    def columns(self) -> tuple[str, ...]:
        return self.dates + self.numbers + self.codes


# List and column names exactly as in Ofsted's Annex A template; only the columns the
# measures use are listed, so any other column is an extra column and is ignored.
LISTS = {
    spec.number: spec
    for spec in (
        ListSpec(1, "Contacts"),
        ListSpec(2, "Early Help"),
        ListSpec(3, "Referrals", dates=("Date of referral",), numbers=("Number of Referrals in Last 12 Months",)),
        ListSpec(
            4, "Assessments", dates=("Continuous Assessment Start Date", "Continuous Assessment Date of Authorisation")
        ),
        ListSpec(
            5,
            "Section 47 enquiries and ICPCs",
            dates=("Strategy discussion initiating Section 47 Enquiry Start Date", "Date of ICPC"),
        ),
        ListSpec(6, "Children in Need"),
        ListSpec(
            7,
            "Child Protection",
            dates=("CPP Start Date", "Date of the Last Statutory Visit", "CPP End Date"),
            numbers=("Number of Previous CPPs",),
            one_row_per_child=True,
        ),
        ListSpec(
            8,
            "Children in Care",
            dates=("Date Started to be Looked After", "Date of Last Social Work Visit", "Date Ceased"),
            numbers=("Number of Placements in Last 12 months",),
            one_row_per_child=True,
        ),
        ListSpec(
            9,
            "Care Leavers",
            codes=("LA in Touch", "Suitability of Accommodation", "Activity Status"),
            one_row_per_child=True,
        ),
        ListSpec(10, "Adoption"),
        ListSpec(11, "Adopters"),
    )
}
USED_LISTS = tuple(number for number, spec in LISTS.items() if spec.columns)


@dataclass
class Problem:
    """Something wrong with the workbook, said where it is."""

    where: str
    message: str

    def to_dict(self) -> dict:
        return {"where": self.where, "message": self.message}


@dataclass
class AnnexAList:
    """One list, cleaned: parsed columns plus, for each, why a row's value is unusable."""

    spec: ListSpec
    frame: pd.DataFrame
    # column -> Series (indexed like frame, only for bad rows) of the reason
    unusable: dict[str, pd.Series] = field(default_factory=dict)
    missing_columns: tuple[str, ...] = ()
    # rows left out altogether (a repeated child), with the reason
    excluded: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class AnnexAWorkbook:
    lists: dict[int, AnnexAList]
    problems: list[Problem]

    def rows(self) -> int:
        return sum(len(item.frame) for item in self.lists.values())


# Said in words: the error's class name (CalamineError, say) means nothing to the person.
UNREADABLE = (
    "The file could not be opened as an Excel workbook. It may be damaged, protected by a "
    "password or saved in another format: open it in Excel, save it as an Excel workbook "
    "(.xlsx) and upload it again."
)


class WorkbookUnreadable(ValueError):
    """The file is not a workbook at all; nothing can be computed."""

    field = "workbook"


def read_workbook(source: str | BinaryIO) -> AnnexAWorkbook:
    try:
        sheets = pd.read_excel(source, sheet_name=None, header=None, engine="calamine", dtype=object)
    except Exception:  # calamine raises several kinds for a file it cannot read
        raise WorkbookUnreadable(UNREADABLE) from None
    return parse_sheets(sheets)


def parse_sheets(sheets: dict[str, pd.DataFrame]) -> AnnexAWorkbook:
    problems: list[Problem] = []
    found: dict[int, AnnexAList] = {}
    for sheet_name, raw in sheets.items():
        header_at = _header_row(raw)
        number = _list_number(sheet_name, raw, header_at)
        if number is None or number not in USED_LISTS:
            continue
        spec = LISTS[number]
        if number in found:
            problems.append(Problem(spec.title, f"appears twice; the sheet '{sheet_name}' was not used"))
            continue
        if header_at is None:
            problems.append(
                Problem(
                    spec.title,
                    f"no header row with a '{CHILD_ID}' column in the first {HEADER_SEARCH_ROWS} rows of sheet '{sheet_name}'",
                )
            )
            continue
        found[number] = _parse_list(spec, raw, header_at, problems)
    for number in USED_LISTS:
        if number not in found:
            problems.append(Problem(LISTS[number].title, "not found in the workbook"))
    return AnnexAWorkbook(found, problems)


def _normal(text: object) -> str:
    return " ".join(str(text).split()).lower() if isinstance(text, str) else ""


def _header_row(raw: pd.DataFrame) -> int | None:
    wanted = _normal(CHILD_ID)
    for position in range(min(HEADER_SEARCH_ROWS, len(raw))):
        if any(_normal(cell) == wanted for cell in raw.iloc[position]):
            return position
    return None


_LIST_NUMBER = re.compile(r"\blist\s*(\d{1,2})\b", re.IGNORECASE)


def _list_number(sheet_name: str, raw: pd.DataFrame, header_at: int | None) -> int | None:
    """From the sheet name ("List 7", "Child Protection"), else from title rows above the table."""
    texts = [sheet_name]
    if header_at:
        texts += [cell for row in raw.iloc[:header_at].itertuples(index=False) for cell in row if isinstance(cell, str)]
    for text in texts:
        match = _LIST_NUMBER.search(text)
        if match and int(match.group(1)) in LISTS:
            return int(match.group(1))
    for text in texts:
        normal = _normal(text)
        for spec in LISTS.values():
            if normal == _normal(spec.name):
                return spec.number
    return None


def _parse_list(spec: ListSpec, raw: pd.DataFrame, header_at: int, problems: list[Problem]) -> AnnexAList:
    headers = [_normal(cell) for cell in raw.iloc[header_at]]
    body = raw.iloc[header_at + 1 :]
    body = body[body.notna().any(axis=1) & ~body.map(_is_blank).all(axis=1)] if len(body) else body
    positions = {name: headers.index(name) for name in headers if name}
    frame = pd.DataFrame({ROW: body.index.to_numpy() + 1}, index=body.index)
    missing = [column for column in spec.columns if _normal(column) not in positions]
    if missing:
        shown = ", ".join(f"'{c}'" for c in missing)
        problems.append(Problem(spec.title, f"column {shown} not found; the figures that need it were not computed"))
    list_ = AnnexAList(spec, frame, missing_columns=tuple(missing))
    for column in spec.columns:
        if column in missing:
            continue
        values = body.iloc[:, positions[_normal(column)]]
        if column in spec.dates:
            frame[column], reasons = parse_dates(values)
        elif column in spec.numbers:
            frame[column], reasons = parse_counts(values)
        else:
            frame[column], reasons = parse_codes(values)
        if len(reasons):
            list_.unusable[column] = reasons
    if spec.one_row_per_child:
        _leave_out_repeated_children(list_, body, positions, problems)
    return list_


def _leave_out_repeated_children(
    list_: AnnexAList, body: pd.DataFrame, positions: dict, problems: list[Problem]
) -> None:
    ids = body.iloc[:, positions[_normal(CHILD_ID)]].map(lambda v: _normal(v) if isinstance(v, str) else v)
    repeated = ids.notna() & ids.duplicated(keep="first")
    if not repeated.any():
        return
    first_row = ids[~ids.duplicated(keep="first")].reset_index().set_index(ids.name)["index"] + 1
    rows = list_.frame.loc[repeated, ROW]
    list_.excluded = [
        (int(row), f"the {CHILD_ID} repeats row {int(first_row[child])}; one row per child is expected")
        for row, child in zip(rows, ids[repeated], strict=True)
    ]
    list_.frame = list_.frame.loc[~repeated]
    list_.unusable = {
        column: reasons[reasons.index.isin(list_.frame.index)] for column, reasons in list_.unusable.items()
    }
    shown = ", ".join(str(row) for row, _ in list_.excluded[:10])
    more = f" and {len(list_.excluded) - 10} more" if len(list_.excluded) > 10 else ""
    problems.append(
        Problem(
            list_.spec.title,
            f"{len(list_.excluded)} rows repeat a {CHILD_ID} (rows {shown}{more}); each was left out, the first row for the child kept",
        )
    )


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Dates (NaT where blank or unusable) and, for unusable ones, why."""
    parsed = values.map(to_date)
    dates = pd.to_datetime(parsed.where(parsed.map(lambda v: isinstance(v, dt.date))), errors="coerce")
    bad = parsed.map(lambda v: isinstance(v, str))
    return dates.astype("datetime64[ns]"), parsed[bad]


def to_date(value: object) -> dt.date | str | None:
    """A date; None when blank; a reason (str) when the value is not a usable date."""
    if _is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        day = _from_serial(float(value))
    elif isinstance(value, str):
        return _date_from_text(value.strip())
    else:
        day = None
    if day is None:
        return f"'{value}' is not a date"
    return day if day.year in PLAUSIBLE_YEARS else f"'{day:%d/%m/%Y}' is outside the years a record could have"


@lru_cache(maxsize=65536)
def _date_from_text(text: str) -> dt.date | str:
    if text.replace(".", "", 1).isdigit():
        day = _from_serial(float(text))
        if day is not None and day.year in PLAUSIBLE_YEARS:
            return day
    for pattern in TEXT_DATE_FORMATS:
        try:
            day = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return day if day.year in PLAUSIBLE_YEARS else f"'{text}' is outside the years a record could have"
    return f"'{text}' is not a real date"


def _from_serial(number: float) -> dt.date | None:
    if not 1 <= number < 2958466:  # Excel's own range of serial dates
        return None
    return (EXCEL_EPOCH + dt.timedelta(days=int(number))).date()


def parse_counts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Whole numbers of 0 or more (NaN where blank or unusable) and why for unusable ones."""
    text = values.map(lambda v: _LETTER_PREFIX.sub("", v).strip() if isinstance(v, str) else v)
    numbers = pd.to_numeric(text, errors="coerce")
    blank = values.map(_is_blank)
    bad = ~blank & (numbers.isna() | (numbers < 0) | (numbers % 1 != 0))
    reasons = values[bad].map(lambda v: f"'{v}' is not a count")
    return numbers.where(~bad).astype("float64"), reasons


def parse_codes(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Coded answers without their letter prefix, lower-cased ("a) Yes" -> "yes"); blank is NaN."""
    codes = values.map(
        lambda v: (
            _normal(_LETTER_PREFIX.sub("", v)) or None
            if isinstance(v, str)
            else (None if _is_blank(v) else _normal(str(v)))
        )
    )
    return codes, pd.Series(dtype=object)
