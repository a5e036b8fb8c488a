"""Tokens in links (invitations, password resets): only their hash is ever stored, so a
copy of the database holds no link that works."""

from __future__ import annotations

import hashlib


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
