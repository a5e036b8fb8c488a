"""Every upload form answers a refused file on the file field itself: its message in the
GOV.UK error summary, linking to the field, and on the field as its error message; never a
notification banner far from it."""

import io

import pytest

from councils.db import db
from councils.models import Role
from tests.integration.test_mock_inspections import _start, team  # noqa: F401
from tests.support.factories import make_audit, make_evidence
from tests.support.pages import field_error

NOT_A_TABLE = (b"MZ\x90\x00", "tool.exe")


def _refused(client_request, endpoint, field, upload, extra=None, **endpoint_kwargs):
    page = client_request.post(
        endpoint,
        _data={field: (io.BytesIO(upload[0]), upload[1]), **(extra or {})},
        _content_type="multipart/form-data",
        _expected_status=(200, 400),
        **endpoint_kwargs,
    )
    assert not page.select(".govuk-notification-banner:not(.govuk-notification-banner--success)")
    links, message = field_error(page, field)
    assert message, f"{endpoint}: no error message on #{field}"
    assert (message, f"#{field}") in links, f"{endpoint}: the summary does not link to #{field}: {links}"
    return message


@pytest.fixture()
def lead(team):  # noqa: F811
    make_audit(team["council"])
    db.session.commit()
    return team


def test_every_upload_form_names_a_refused_file_on_its_field(client_request, lead):
    review = _start(client_request, lead)
    assert lead["lead"].role is Role.SENIOR_LEADER
    item = make_evidence(lead["council"])
    db.session.commit()
    messages = {
        "evidence attachment": _refused(client_request, "library.attach", "file", NOT_A_TABLE, item_id=item.id),
        "case audit import": _refused(client_request, "audits.import_audits", "file", NOT_A_TABLE),
        "case sample import": _refused(
            client_request, "mock_inspections.import_sample", "file", NOT_A_TABLE, inspection_id=review.id
        ),
        "indicator values": _refused(client_request, "performance.import_values", "values_file", NOT_A_TABLE),
        "annex a": _refused(
            client_request,
            "performance.annex_a",
            "workbook",
            NOT_A_TABLE,
            {"month": "3", "year": "2026", "cp_visit_working_days": "10"},
        ),
        "annex a readiness": _refused(
            client_request, "performance.check_annex_a_readiness", "workbook", NOT_A_TABLE, {"check": "Check"}
        ),
    }
    assert messages["evidence attachment"] == "The file must be a PDF, DOCX, XLSX, CSV, TXT, PNG or JPEG"
    assert all(messages.values())
