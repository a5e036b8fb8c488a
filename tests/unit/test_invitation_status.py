"""An invitation's status from its dates: accepted and revoked are final; otherwise its expiry decides."""

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from evidence.reviews.invitations import status_of
from evidence.reviews.models import InvitationStatus

NOW = datetime(2026, 12, 1, 12, 0)


@pytest.mark.parametrize(
    ("accepted", "revoked", "expires_in", "expected"),
    [
        (None, None, timedelta(days=1), InvitationStatus.WAITING),
        (None, None, timedelta(0), InvitationStatus.EXPIRED),  # the moment it expires, it no longer works
        (None, None, -timedelta(days=1), InvitationStatus.EXPIRED),
        (NOW, None, -timedelta(days=1), InvitationStatus.ACCEPTED),  # used in time, then lapsed: still accepted
        (None, NOW, timedelta(days=1), InvitationStatus.REVOKED),
        (None, NOW, -timedelta(days=1), InvitationStatus.REVOKED),
    ],
)
def test_status(accepted, revoked, expires_in, expected):
    # Only its dates are read: a plain object stands in for the row, with no database or mappers.
    invitation = SimpleNamespace(accepted_at=accepted, revoked_at=revoked, expires_at=NOW + expires_in)
    assert status_of(invitation, NOW) is expected


def test_every_status_has_words():
    assert [s.label for s in InvitationStatus] == ["Waiting", "Accepted", "Expired", "Revoked"]
