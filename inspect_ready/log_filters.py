"""What the server log must not hold: an invitation's token admits whoever holds it, and
the request lines the development server (werkzeug) and gunicorn's access log write carry
the address it is in. The token is replaced before the line is written."""

from __future__ import annotations

import logging
import re

TOKEN_IN_ADDRESS = re.compile(r"(/invitations/)[^/\s?\"]+")
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access")


def hide_tokens(text: str) -> str:
    return TOKEN_IN_ADDRESS.sub(r"\1[token]", text)


class HideTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = hide_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(hide_tokens(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: hide_tokens(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True


def install() -> None:
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, HideTokens) for f in logger.filters):
            logger.addFilter(HideTokens())
