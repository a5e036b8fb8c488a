"""The one kind of error service functions raise for bad input."""

from __future__ import annotations


class InputError(ValueError):
    """A problem with what someone entered or asked for, worded for them, naming the form
    field it belongs to (or None for the form as a whole). Views show it in the error summary
    and beside the field; nothing of the refused change is saved."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
