"""A synthetic Annex A workbook, made up from nothing real, for tests, demos and the benchmark.

Its headings are the template's, taken from `template_headings.txt` (one template version,
copied from DOMAIN.md), not from the reader's own list, so the reader is tested against the
template and not against itself. It is as untidy as real ones: a title row and a blank row
above each table, letter-prefixed codes, an extra column, and (when `untidy`) dates typed
as text in the forms systems export or left as Excel serial numbers.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from functools import lru_cache
from pathlib import Path

from openpyxl import Workbook

TEMPLATE_HEADINGS = Path(__file__).with_name("template_headings.txt")
# Share of the rows each list gets, roughly as in a real county's workbook.
SHARES = {1: 26, 2: 5, 3: 15, 4: 15, 5: 8, 6: 12, 7: 7, 8: 8, 9: 4, 10: 1, 11: 1}
EXCEL_EPOCH = dt.date(1899, 12, 30)


@lru_cache(maxsize=1)
def template_lists() -> dict[int, tuple[str, list[str]]]:
    """List number -> (name, headings in order), from the template headings file."""
    lists: dict[int, tuple[str, list[str]]] = {}
    current = None
    for line in TEMPLATE_HEADINGS.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(r"\[List (\d+): (.+)\]", line)
        if match:
            current = int(match.group(1))
            lists[current] = (match.group(2), [])
        elif current is not None:
            lists[current][1].append(line)
    return lists


def generate_workbook(
    path: str | Path,
    *,
    rows: int = 1000,
    period_end: dt.date = dt.date(2025, 3, 31),
    seed: int = 1,
    untidy: bool = True,
) -> Path:
    rng = random.Random(seed)
    book = Workbook(write_only=True)
    total = sum(SHARES.values())
    for number, (name, headings) in template_lists().items():
        sheet = book.create_sheet(f"List {number}")
        sheet.append([f"Annex A List {number}: {name}"])
        sheet.append([])
        sheet.append([*headings, "Local notes"])
        for index in range(max(1, rows * SHARES[number] // total)):
            values = _Row(rng, period_end, untidy, number, index)
            sheet.append([values.cell(heading) for heading in headings] + [""])
            if untidy and index % 97 == 50:
                sheet.append([])
    book.save(path)
    return Path(path)


class _Row:
    """One made-up row: each heading's value, consistent with the others on the row."""

    def __init__(self, rng: random.Random, end: dt.date, untidy: bool, number: int, index: int):
        self.rng, self.end, self.untidy, self.number = rng, end, untidy, number
        self.child = f"{'A' if number == 11 else 'C'}{number:02d}{index:06d}"
        self.start = self._day(170)
        self.later = min(end, self.start + dt.timedelta(days=rng.randint(0, 60)))
        self.ended = rng.random() < 0.3

    def _day(self, within: int) -> dt.date:
        return self.end - dt.timedelta(days=self.rng.randint(0, within))

    def _date(self, day: dt.date | None):
        if day is None:
            return None
        if not self.untidy:
            return day
        form = self.rng.random()
        if form < 0.1:
            return (day - EXCEL_EPOCH).days
        if form < 0.2:
            return f"{day:%d/%m/%Y}"
        if form < 0.25:
            return f"{day:%d/%m/%Y} 00:00"
        if form < 0.3:
            return f"{day:%Y-%m-%d}T00:00:00"
        return day

    def cell(self, heading: str):
        rng, key = self.rng, heading.lower()
        if key in ("child unique id", "individual adopter identifier"):
            return self.child
        if key == "family identifier":
            return f"F{self.child[1:]}"
        if key == "gender":
            return rng.choice(["a) Male", "b) Female"])
        if key == "ethnicity":
            return rng.choice(["a) WBRI", "d) WOTH", "j) AIND", "o) BAFR"])
        if key == "date of birth":
            return self._date(self.end - dt.timedelta(days=rng.randint(200, 6500 if self.number != 9 else 8000)))
        if key.startswith("age of child"):
            return rng.randint(0, 17)
        if key.startswith(("does the child have a disability", "uasc", "disability")):
            return rng.choice(["b) No", "b) No", "a) Yes"])
        if key.startswith("number of") or key.startswith("no. of"):
            return rng.choice([0, 0, 1, 1, 2, 3, 4])
        if "legal status" in key and "start" not in key:
            return rng.choice(
                ["C2: FCO", "C1: ICO", "V2: Single period under S20", "V3: Short term breaks, episodes recorded"]
            )
        if key == "placement type":
            return rng.choice(
                ["d) U4: Foster placement - long term", "f) U6: Foster placement - not FFA", "p) K2: Children's Homes"]
            )
        if key == "placement location":
            return rng.choice(["a) In", "a) In", "b) Out"])
        if key == "la in touch":
            return rng.choice(["a) Yes", "a) Yes", "a) Yes", "b) No", "c) Died", "f) Rhom"])
        if key == "suitability of accommodation":
            return rng.choice(["a) Suitable", "a) Suitable", "b) Unsuitable"])
        if key == "activity status":
            return rng.choice(
                [
                    "F1: Full time in higher education",
                    "P3: Part time in training or employment",
                    "G4: Not in education, employment or training - illness or disability",
                    "G5: Not in education, employment or training - other",
                ]
            )
        if key.endswith("?") or "(y/n)" in key or key.startswith(("was ", "did ", "is ", "child seen")):
            return rng.choice(["a) Yes", "a) Yes", "b) No"])
        if "end date" in key or "ceased to be" in key and "date" in key or "closure date" in key:
            return self._date(self.later) if self.ended else None
        if "authorisation" in key or "initial child protection conference" in key or "completion" in key:
            return self._date(min(self.later, self.end)) if rng.random() < 0.8 else None
        if (
            "start" in key
            or "started" in key
            or "entered care" in key
            or "date of referral" in key
            or "date of contact" in key
        ):
            return self._date(self.start)
        if "date" in key:
            return self._date(max(self.start, self._day(40)))
        if "allocated" in key or "team" in key or "worker" in key:
            return rng.choice(["Team 1", "Team 2", "Adviser 1", ""])
        if key == "case status":
            return rng.choice(["c) Child in need plan", "c) Child in need plan", "d) Open assessment"])
        if key == "placement postcode":
            return "AB1"
        return rng.choice(["a) Other", "b) Other", "N1 - Abuse or neglect"])
