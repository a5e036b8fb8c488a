"""What the audit log keeps of requests themselves: each refused request of a signed-in
person, and each file the service hands out (downloads and exports).

In one place, after the view, so no view can forget it. The entries say who, which page
(the route and its ids) and how it ended, never the file's name or what it held: a name
can carry a child's name, and the log must hold no personal data beyond who acted.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_login import current_user

from councils import audit_log
from inspect_ready.transactions import commit_now, roll_back

# Refusals by tenancy (another council's record answers 404, as a missing one) and by role
# or review level (403). review_access.refuse records its own, in more words.
REFUSALS = (403, 404)


def init_app(app: Flask) -> None:
    # Registered after transactions.init_app, so it runs before the commit (Flask runs
    # after_request functions last-registered first).
    app.after_request(_record_downloads)


def _where() -> tuple[str, str | None]:
    ids = ",".join(f"{name}={value}" for name, value in sorted((request.view_args or {}).items()))
    return request.endpoint or "", ids or None


def _record_downloads(response: Response) -> Response:
    if (
        response.status_code == 200
        and request.endpoint != "static"  # the service's own stylesheets are no one's download
        and current_user.is_authenticated
        and response.headers.get("Content-Disposition", "").startswith("attachment")
    ):
        endpoint, ids = _where()
        # An export is a list the service builds (CSV, XLSX); a download is a file it keeps or renders.
        kind = "export" if "export" in endpoint or "file_format" in (request.view_args or {}) else "download"
        audit_log.record(f"file.{kind}", endpoint, ids, detail=f"{response.mimetype} via {request.url_rule.rule}")
    return response


def record_refusal(status: int) -> None:
    """Keep an entry of a refused request (called from the error page's handler)."""
    if status not in REFUSALS or request.url_rule is None or not current_user.is_authenticated:
        return  # an address no route has is a typo, not a refusal
    endpoint, ids = _where()
    roll_back()
    audit_log.record("access.refused", endpoint, ids, detail=f"{status} on {request.method} {request.url_rule.rule}")
    commit_now()  # the record of the attempt outlives the refusal
