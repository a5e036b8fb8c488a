"""Form fields shared by several journeys, with messages in the GOV.UK style."""

from __future__ import annotations

from wtforms import IntegerField


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
