"""The one kind of error service functions raise for bad input."""

from __future__ import annotations


class InputError(ValueError):
    """A problem with what someone entered or asked for, worded for them, naming the form
    field it belongs to (or None for the form as a whole). Views show it in the error summary
    and beside the field; nothing of the refused change is saved.

    A check that finds several problems raises the first with the others in `more`
    (`raise_all`), so the person sees every problem at once rather than one a submission."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
        self.more: list[InputError] = []

    @property
    def every(self) -> list[InputError]:
        return [self, *self.more]


def raise_all(problems: list[InputError]) -> None:
    """Raise the first problem found, carrying the rest; nothing when there are none."""
    if problems:
        first, *rest = problems
        first.more = [*first.more, *rest]
        raise first


def keep(problems: list[InputError], check, *args, **kwargs):
    """Run one check, adding what it refuses to `problems` rather than stopping there, so a
    check of several fields can go on and `raise_all` them together; the check's answer, or
    None when it refused."""
    try:
        return check(*args, **kwargs)
    except InputError as error:
        problems.extend(error.every)
        return None
