"""The key that pseudonymises child ids in a council's Annex A readiness reports.

Derived from the app's secret key and the council, so one council's pseudonyms say nothing
about another's, the same child keeps one pseudonym across that council's reports, and
nothing extra needs keeping. Rotating the secret key changes every pseudonym.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app


def pseudonym_key(council_id: int) -> bytes:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"annex-a-pseudonyms:{council_id}".encode(), hashlib.sha256).digest()
