"""Form fields shared by several journeys, with messages in the GOV.UK style."""

from __future__ import annotations

import datetime as dt

from wtforms import DateField, IntegerField


class WholeNumberField(IntegerField):
    """An integer field that says what to type, rather than 'Not a valid integer value.'"""

    def __init__(self, *args, not_a_number: str = "Enter a whole number, like 12", **kwargs):
        super().__init__(*args, **kwargs)
        self.not_a_number = not_a_number

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] in (None, ""):
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip().replace(",", ""))
        except ValueError:
            self.data = None
            raise ValueError(self.not_a_number) from None


class DayMonthYearField(DateField):
    """A date typed as day, month and year (GOV.UK date input), with plain messages."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", "%d %m %Y")
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist):
        parts = [part.strip() for part in valuelist if part is not None]
        if not any(parts):
            self.data = None
            return
        if len(parts) != 3 or not all(parts):
            self.data = None
            raise ValueError(f"{self.label.text} must include a day, month and year")
        try:
            self.data = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            self.data = None
            raise ValueError(f"{self.label.text} must be a real date, like 31 3 2027") from None
