"""Make councils and people for tests, through the same service functions the app uses."""

from __future__ import annotations

import itertools

from councils import accounts
from councils.models import Council, Role, ServiceArea, User

PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_council(name: str | None = None) -> Council:
    return accounts.create_council(name or f"Test Council {next(_numbers)}")


def make_user(
    council: Council,
    role: Role = Role.SENIOR_LEADER,
    *,
    name: str | None = None,
    email: str | None = None,
    service_area: ServiceArea | None = None,
) -> User:
    number = next(_numbers)
    if role is Role.HEAD_OF_SERVICE and service_area is None:
        service_area = ServiceArea.CHILD_PROTECTION
    return accounts.add_user(
        council,
        name=name or f"Person {number}",
        email=email or f"person{number}@council{council.id}.example",
        password=PASSWORD,
        role=role,
        service_area=service_area,
    )


def sign_in_as(client, user: User) -> None:
    """Sign in without the form (the form itself is tested in test_auth.py)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
