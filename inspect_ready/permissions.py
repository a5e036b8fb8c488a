"""Who may use each view. Every view declares it; a test fails on any view that does not.

@allow(Role.SENIOR_LEADER, Role.HEAD_OF_SERVICE)  # these roles, signed in
@allow_signed_in                                   # anyone signed in
@allow_anyone                                      # no sign-in needed (sign-in page, health)

A view with a review id also carries `@review_page(Level...)` (inspect_ready/review_access.py),
below its role decorator so the role check runs first: `@review_page` refuses to go above
one, and `@allow_anyone` refuses a review page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from councils.models import Role
from inspect_ready.extensions import login_manager

EVERY_ROLE = frozenset(Role)


def _declare(roles: frozenset[Role] | None) -> Callable:
    def decorator(view: Callable) -> Callable:
        if roles is None and hasattr(view, "review_guard"):
            raise TypeError(f"{view.__name__}: a review page needs a signed-in person")

        @wraps(view)
        def checked(*args, **kwargs):
            if roles is not None:
                if not current_user.is_authenticated:
                    return login_manager.unauthorized()
                if current_user.role not in roles:
                    abort(403)
            return view(*args, **kwargs)

        checked.allowed_roles = roles  # read by the permissions test and the navigation
        return checked

    return decorator


def allow(*roles: Role) -> Callable:
    if not roles:
        raise ValueError("name at least one role, or use allow_signed_in")
    return _declare(frozenset(roles))


allow_signed_in = _declare(EVERY_ROLE)
# The council's own people. A peer reviewer (or a partner agency's auditor) reviews other
# councils: their own organisation's evidence, audits and performance are not theirs to read,
# and they reach a reviewed council's through the review they are on.
COUNCIL_STAFF = EVERY_ROLE - {Role.PEER_REVIEWER}
allow_council_staff = _declare(COUNCIL_STAFF)
allow_anyone = _declare(None)


def declared(view: Callable) -> bool:
    return hasattr(view, "allowed_roles")


def may_use(user, view: Callable) -> bool:
    roles = getattr(view, "allowed_roles", ())
    return roles is None or (user.is_authenticated and user.role in roles)
