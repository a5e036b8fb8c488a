"""Bad input answered in words, never a server error, and what the server keeps of it:
each fault of issue 11 (points 5 and 8) that the forms' own tests do not reach."""

import datetime as dt
import io
import logging
import os
import stat
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.action_plan.models import Action
from evidence.performance import indicators
from evidence.performance.models import IndicatorValue
from inspect_ready import previews
from tests.support.factories import make_council, make_evidence, make_user
from tests.support.pages import error_summary

PERSONAL = (
    "CP-" + "204871 " + "Jayden " + "Smith"
)  # in pieces, so the source line shown in a traceback does not hold it


@pytest.fixture()
def leader(client_request):
    council = make_council()
    return client_request.sign_in(make_user(council, Role.SENIOR_LEADER))


def _events(council_id, action):
    with acting_for(council_id):
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action.startswith(action))).all()


@pytest.mark.parametrize(
    "path", ["/evidence/2147483648", "/evidence/99999999999999999999", "/actions/9223372036854775808"]
)
def test_an_id_past_the_integer_column_is_not_found(client, leader, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("page", ["99999999999999999999", "2147483648", "-1", "x", "٣"])
def test_any_page_number_shows_a_page(client, leader, page):
    make_evidence(leader.council)
    db.session.commit()
    assert client.get(f"/evidence/?page={page}").status_code == 200
    assert client.get(f"/actions/?owner=99999999999999999{page[:1]}").status_code == 200


@pytest.mark.parametrize(
    "request_args",
    [
        {"path": "/evidence/?area=%00"},
        {"path": "/evidence/?q%00=1"},
        {"path": "/actions/new", "method": "POST", "data": {"what": "Re-audit\x00", "success_measure": "x"}},
        {"path": "/actions/new", "method": "POST", "data": {"what": "Re-audit\x0b strategy"}},
    ],
)
def test_a_control_character_anywhere_is_refused_in_words(client, leader, request_args):
    with acting_for(leader.council_id):
        before = db.session.scalar(select(func.count(Action.id)))
    response = client.open(
        request_args["path"], method=request_args.get("method", "GET"), data=request_args.get("data")
    )
    assert response.status_code == 400
    assert "has a character that cannot be saved" in response.get_data(as_text=True)
    with acting_for(leader.council_id):
        assert db.session.scalar(select(func.count(Action.id))) == before


def test_a_file_name_with_a_nul_is_refused_in_words(client, leader):
    item = make_evidence(leader.council)
    db.session.commit()
    response = client.post(
        f"/evidence/{item.id}/attachments",
        data={"file": (io.BytesIO(b"notes"), "notes\x00.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "cannot be saved" in response.get_data(as_text=True)


def test_a_numerator_past_the_integer_column_is_a_message(client_request, leader):
    with acting_for(leader.council_id):
        indicators.ensure_default_indicators()
        indicator = indicators.all_indicators()[0]
    db.session.commit()
    for numerator, denominator in (("99999999999999999999", "99999999999999999999"), ("5", "2147483648")):
        page = client_request.post(
            "performance.add_value",
            indicator_id=indicator.id,
            _data={"month": "3", "year": "2026", "value": "1", "numerator": numerator, "denominator": denominator},
            _expected_status=(200, 400),
        )
        assert error_summary(page)
    with acting_for(leader.council_id):
        assert db.session.scalar(select(func.count(IndicatorValue.id))) == 0


def test_a_damaged_workbook_of_values_is_a_message(client_request, leader):
    client_request.get("performance.index")
    response = client_request.post_response(
        "performance.import_values",
        _data={"values_file": (io.BytesIO(b"PK\x03\x04 not really a workbook"), "values.xlsx")},
        _content_type="multipart/form-data",
        _expected_status=(200, 400),
    )
    page = response.get_data(as_text=True)
    assert "could not be read as an Excel workbook" in page and "CalamineError" not in page


def test_stored_control_characters_do_not_stop_the_xlsx_export(client_request, leader):
    with acting_for(leader.council_id):
        # Stored before the door refused them (or by an import): the export must still work.
        db.session.add(
            Action(
                council_id=leader.council_id,
                what="Re-audit\x01 strategy discussions",
                owner_id=leader.id,
                due_date=dt.date.today(),
                success_measure="Audits\x1f good",
                area_id="help_protection",
            )
        )
    response = client_request.get_response("actions.export", file_format="xlsx")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    assert sheet["A2"].value == "Re-audit strategy discussions"


def test_refusals_downloads_and_exports_leave_an_audit_entry(client_request, client, leader):
    other = make_council()
    elsewhere = make_evidence(other)
    db.session.commit()
    assert client.get(f"/evidence/{elsewhere.id}").status_code == 404  # another council's: as missing
    assert client.get("/admin/users").status_code == 403  # not an administrator
    client_request.get_response("actions.export", file_format="csv")
    [refused_other, refused_role] = sorted(_events(leader.council_id, "access.refused"), key=lambda e: e.id)
    assert refused_other.record_type == "library.detail" and refused_other.record_id == f"item_id={elsewhere.id}"
    assert refused_role.detail.startswith("403")
    [export] = _events(leader.council_id, "file.export")
    assert export.record_type == "actions.export" and export.actor_id == leader.id
    assert _events(other.id, "access.refused") == []  # nothing written in the other council's log


def test_database_errors_are_logged_without_their_values(app):
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True


def test_an_unexpected_error_is_logged_without_its_message(app, client, leader, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "SHOW_ERROR_PAGES", True)

    def fail(*_args, **_kwargs):
        raise ValueError(PERSONAL)

    monkeypatch.setattr("inspect_ready.views.actions.actions.plan", fail)
    with caplog.at_level(logging.ERROR, logger="inspect_ready.errors"):
        assert client.get("/actions/?owner=1").status_code == 500
    assert "ValueError" in caplog.text and PERSONAL not in caplog.text and "Jayden Smith" not in caplog.text


def test_previews_are_private_and_gone_after_an_hour(app, leader):
    with app.test_request_context():
        from flask_login import login_user

        login_user(leader)
        previews.keep("fuzz", [{"case_reference": "CP-204871"}])
        folder = previews._folder()
        [path] = folder.glob(f"{leader.council_id}-{leader.id}-fuzz-*.json")
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        an_hour_ago = time.time() - previews.KEPT_SECONDS - 1
        os.utime(path, (an_hour_ago, an_hour_ago))
        assert previews.take("fuzz") is None
        assert not Path(path).exists()
