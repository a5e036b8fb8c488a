"""A final step (recording an outcome, removing a record) is asked for twice: the button posts
without `confirmed`, and the route answers with a page saying what becomes final, whose own
button posts the same again with `confirmed=yes`. The first post changes nothing, so the
step works the same without JavaScript and no step is final at one press.

    if not confirmations.confirmed():
        return confirmations.page(title=..., final=[...], button=..., back=...)
"""

from __future__ import annotations

from collections.abc import Callable

from flask import render_template, request

from councils.errors import InputError


def confirmed() -> bool:
    return request.form.get("confirmed") == "yes"


def page(
    *,
    title: str,
    final: list[str],
    button: str,
    back: str,
    problems: list[str] | None = None,
    warning: str = "This cannot be undone.",
) -> str:
    """The confirmation page: what becomes final (`final`, one sentence each), the button that
    does it, posting the same fields again, and the way back. With `problems` (what refuses the
    step now) it says those instead, with no button. `warning` is for a step a person can undo
    another way (an archived item edited back to a draft): the page says how, not that it cannot."""
    fields = [
        (name, value) for name, value in request.form.items(multi=True) if name not in ("csrf_token", "confirmed")
    ]
    return render_template(
        "confirm.html",
        title=title,
        final=final,
        button=button,
        back=back,
        fields=fields,
        action=request.path,
        problems=problems or [],
        warning=warning,
    )


def refusals(check: Callable[[], object]) -> list[str]:
    """The problems a service's check (which writes nothing) finds with the step, as `page`
    shows them: none when the step may go ahead."""
    try:
        check()
    except InputError as error:
        return [str(problem) for problem in error.every]
    return []
