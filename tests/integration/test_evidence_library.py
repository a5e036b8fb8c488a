"""The evidence library pages, the evidence map and the adapter to the scorer."""

import io
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from councils.audit_log import AuditEvent
from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.case_audits.audits import EscalationInput
from evidence.library.items import framework_of
from evidence.library.models import Attachment, EvidenceItem, EvidenceKind, EvidenceLink, EvidenceStatus, Leaning
from evidence.standing import item_signals
from tests.support.client_request import parse, url
from tests.support.factories import date_parts, make_audit, make_council, make_evidence, make_user, sign_in_as
from tests.support.pages import banners, error_summary, field_error, heading, page_text, table_rows, text

TODAY = date.today()
ILACS_2026 = "Inspecting local authority children's services (ILACS), from April 2026"


@pytest.fixture()
def head(client):
    user = make_user(make_council(), Role.HEAD_OF_SERVICE)
    db.session.commit()
    sign_in_as(client, user)
    return user


def _form(**changes):
    data = {
        "title": "Supervision audit, March",
        "kind": "document",
        "summary": "Supervision is regular.",
        "links": ["help_protection", "leaders:ld.quality_assurance"],
        "grade": "good",
        "leaning": "strength",
        "evidence_date": date_parts(TODAY),
        "review_by": ["", "", ""],
        "owner_id": "",
        "service_area": "child_protection",
        "source_reference": "QA/2026/03",
        "status": "accepted",
    }
    data.update(changes)
    return data


def _count(model):
    with acting_for(None):
        return db.session.scalar(select(func.count(model.id)))


def test_a_head_of_service_adds_evidence_and_it_is_audited(client_request, head):
    response = client_request.post_response("library.new", _data=_form())
    item = db.session.scalars(select(EvidenceItem)).one()
    assert item.status is EvidenceStatus.ACCEPTED and item.grade == "good"
    assert sorted((link.area_id, link.criterion_id) for link in item.links) == [
        ("help_protection", None),
        ("leaders", "ld.quality_assurance"),
    ]
    assert response.location == url("library.detail", item_id=item.id)
    page = client_request.follow(response)
    assert heading(page) == "Supervision audit, March" and banners(page) == ["Evidence saved."]
    event_row = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.created")).one()
    assert event_row.after["links"] == ["help_protection", "leaders:ld.quality_assurance"]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"links": ["help_protection", "nowhere"]}, "Choose judgement areas from the options shown"),
        (
            {"links": ["help_protection:ic.voice"]},
            "A criterion chosen is not one of the area 'The experiences and progress of children who need help and protection'",
        ),
        (
            {"grade": "excellent"},
            "Choose a grade on the scale: outstanding, good, requires improvement, inadequate",
        ),
        (
            {"evidence_date": date_parts(TODAY + timedelta(days=1))},
            "Date of the evidence must be today or in the past",
        ),
        ({"evidence_date": ["31", "3", ""]}, "Date of the evidence must include a day, month and year"),
        ({"title": ""}, "Enter a title for the evidence"),
        ({"links": []}, "Link accepted evidence to at least one judgement area"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_saved(client_request, head, changes, message):
    before = (_count(EvidenceItem), _count(EvidenceLink), _count(AuditEvent))
    page = client_request.post("library.new", _data=_form(**changes), _expected_status=200)
    assert text(page.select_one(".govuk-error-summary__title")) == "There is a problem"
    assert error_summary(page) == [message]
    assert (_count(EvidenceItem), _count(EvidenceLink), _count(AuditEvent)) == before


def test_the_service_refuses_a_grade_outside_the_scale(head):
    from evidence.library import items

    with acting_for(head.council_id), pytest.raises(items.EvidenceError, match="Choose a grade on the scale"):
        items.create_item(
            items.EvidenceFields(
                title="x", kind=EvidenceKind.OTHER, leaning=Leaning.STRENGTH, evidence_date=TODAY, grade="excellent"
            ),
            framework_of(head.council),
            TODAY,
        )


def test_edit_link_unlink_and_archive_are_each_audited(client_request, head):
    item = make_evidence(head.council)
    db.session.commit()
    client_request.get("library.edit", item_id=item.id)
    page = client_request.post(
        "library.edit", item_id=item.id, _data=_form(title="Renamed", version=str(item.version)), _follow_redirects=True
    )
    assert banners(page) == ["Changes saved."]
    assert item.title == "Renamed"
    client_request.post("library.link", item_id=item.id, _data={"link": "in_care:ic.voice"}, _follow_redirects=True)
    assert ("in_care", "ic.voice") in {(link.area_id, link.criterion_id) for link in item.links}
    page = client_request.post("library.link", item_id=item.id, _data={"link": "atlantis"}, _follow_redirects=True)
    assert banners(page) == ["Choose judgement areas from the options shown"]
    link = next(link for link in item.links if link.area_id == "in_care")
    client_request.post("library.unlink", item_id=item.id, link_id=link.id, _follow_redirects=True)
    assert "in_care" not in {link.area_id for link in item.links}
    client_request.post("library.archive", item_id=item.id, _data={"confirmed": "yes"}, _follow_redirects=True)
    assert item.status is EvidenceStatus.ARCHIVED
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.record_id == str(item.id))).all()
    assert {"evidence.updated", "evidence.linked", "evidence.unlinked", "evidence.archived"} <= set(actions)


def test_filters_work_as_a_plain_form_and_through_htmx(client_request, head):
    make_evidence(head.council, title="Fresh front door audit", grade="good")
    make_evidence(
        head.council,
        title="Old care plan review",
        links=["in_care"],
        kind=EvidenceKind.OBSERVATION,
        evidence_date=TODAY - timedelta(days=400),
        grade="inadequate",
    )
    db.session.commit()
    page = client_request.get("library.index", area="in_care", stale="yes")
    assert [row[0] for row in table_rows(page)] == ["Old care plan review"]
    assert "Fresh front door audit" not in page_text(page)
    response = client_request.get_response(
        "library.index", grade="good", kind="document", _headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert "<html" not in response.get_data(as_text=True)  # a fragment, not a whole page
    fragment = parse(response)
    assert [text(a) for a in fragment.select("tbody a")] == ["Fresh front door audit"]
    assert "Old care plan review" not in page_text(fragment)
    page = client_request.get("library.index", area="atlantis")
    assert error_summary(page) == ["Choose judgement areas from the options shown"]


def test_the_list_sorts_by_a_column_through_links_in_its_header(client_request, head):
    make_evidence(head.council, title="beta policy", kind=EvidenceKind.OTHER, evidence_date=TODAY - timedelta(days=3))
    make_evidence(head.council, title="Alpha audit", evidence_date=TODAY - timedelta(days=1))
    make_evidence(
        head.council,
        title="Gamma note",
        kind=EvidenceKind.OBSERVATION,
        evidence_date=TODAY,
        status=EvidenceStatus.DRAFT,
    )
    db.session.commit()
    titles = lambda page: [row[0] for row in table_rows(page)]  # noqa: E731
    headers = lambda page: {  # noqa: E731
        text(th.select_one("a")): th["aria-sort"] for th in page.select("thead th") if th.has_attr("aria-sort")
    }

    page = client_request.get("library.index")  # the list's own order: newest first
    assert titles(page) == ["Gamma note", "Alpha audit", "beta policy"]
    assert headers(page) == {"Title": "none", "Kind": "none", "Date": "descending", "Status": "none"}
    assert "sorted by date, newest first" in text(page.select_one("caption"))

    title_link = page.select_one("thead th a[href*='sort=title']")["href"]
    page = parse(client_request.client.get(title_link))
    assert titles(page) == ["Alpha audit", "beta policy", "Gamma note"]  # A to Z, whatever the case
    assert headers(page)["Title"] == "ascending" and headers(page)["Date"] == "none"
    page = parse(client_request.client.get(page.select_one("thead th a[href*='sort=title']")["href"]))
    assert titles(page) == ["Gamma note", "beta policy", "Alpha audit"] and headers(page)["Title"] == "descending"

    page = client_request.get("library.index", sort="kind", dir="asc")  # by the kinds' words
    assert titles(page) == ["Alpha audit", "beta policy", "Gamma note"]  # document, other, practice observation
    page = client_request.get("library.index", sort="status", dir="asc", kind="document")
    assert titles(page) == ["Alpha audit"]
    assert "kind=document" in page.select_one("thead th a[href*='sort=date']")["href"]  # filters kept
    assert page.select_one('form input[name="sort"]')["value"] == "status"  # and the filter form keeps the sort

    # An unknown sort is the list's own order; an unknown direction, the column's own.
    assert titles(client_request.get("library.index", sort="id; drop table", dir="asc")) == titles(
        client_request.get("library.index")
    )
    assert titles(client_request.get("library.index", sort="title", dir="sideways")) == [
        "Alpha audit",
        "beta policy",
        "Gamma note",
    ]


def test_the_map_counts_evidence_and_links_each_cell_to_the_list(client_request, head):
    make_evidence(head.council, service_area=head.service_area)
    make_evidence(
        head.council,
        title="Old",
        evidence_date=TODAY - timedelta(days=400),
        grade="inadequate",
        service_area=head.service_area,
    )
    db.session.commit()
    page = client_request.get("library.map")
    assert "Showing child protection." in page_text(page)  # the head of service sees their own service first
    cell_link = url(
        "library.index", area="help_protection:hp.front_door", kind="document", service_area="child_protection"
    )
    cell = page.select_one(f'a[href="{cell_link}"]').find_parent("td")
    assert "1 stale" in text(cell) and text(cell.select_one(".app-thin")) == "Thin"
    assert "Showing all services." in page_text(client_request.get("library.map", service_area=""))


def test_the_map_is_drawn_again_when_the_evidence_changes_and_for_each_service(client_request, head):
    # The table is drawn once per kept map (inspect_ready/pages.drawn_once): a change must show
    # at once, and one service's table must never stand in for another's.
    make_evidence(head.council, service_area=head.service_area)
    db.session.commit()
    area = "help_protection:hp.front_door"
    mine = url("library.index", area=area, kind="document", service_area="child_protection")
    every = url("library.index", area=area, kind="document")

    def count(link, **args):
        return text(client_request.get("library.map", **args).select_one(f'a[href="{link}"]')).split()[0]

    assert (count(mine), count(every, service_area="")) == ("1", "1")
    make_evidence(head.council, title="Second", service_area=head.service_area)
    db.session.commit()
    assert (count(mine), count(every, service_area="")) == ("2", "2")
    assert client_request.get("library.map").select_one(f'a[href="{every}"]') is None


def test_attachments_are_checked_stored_by_checksum_and_served_as_downloads(
    app, client_request, head, tmp_path, monkeypatch
):
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 100)
    item = make_evidence(head.council)
    db.session.commit()

    def refused(name, content):
        page = client_request.post(
            "library.attach",
            item_id=item.id,
            _data={"file": (io.BytesIO(content), name)} if name else {},
            _content_type="multipart/form-data",
            _expected_status=400,
        )
        assert banners(page) == []  # on the file field, never a banner far from it
        links, message = field_error(page, "file")
        assert links == [(message, "#file")]
        return message

    assert refused("big.pdf", b"%PDF-" + b"x" * 200).startswith("The file must be smaller than")
    assert refused("tool.exe", b"MZ") == "The file must be a PDF, DOCX, XLSX, CSV, TXT, PNG or JPEG"
    assert refused("tool.pdf", b"MZ") == "The file's contents are not a real PDF file"
    assert refused("", b"") == "Choose a file to attach"
    assert _count(Attachment) == 0
    page = client_request.post(
        "library.attach",
        item_id=item.id,
        _data={"file": (io.BytesIO(b"%PDF-1.7 plan"), "plan.pdf")},
        _content_type="multipart/form-data",
        _follow_redirects=True,
    )
    assert banners(page) == ["File attached."]
    attachment = db.session.scalars(select(Attachment)).one()
    assert (tmp_path / str(head.council_id) / attachment.sha256).read_bytes() == b"%PDF-1.7 plan"
    response = client_request.get_response("library.download", attachment_id=attachment.id)
    assert response.data == b"%PDF-1.7 plan" and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    response.close()


def test_the_add_form_asks_the_kind_counts_the_evidence_and_groups_criteria_by_judgement(client_request, head):
    page = client_request.get("library.new")
    assert page.select_one("#kind option[selected]") is None or page.select_one("#kind option[selected]")["value"] == ""
    assert page.select_one('input[name="status"][checked]')["value"] == "accepted"
    framework = framework_of(head.council)
    legends = [text(legend) for legend in page.select("form .govuk-fieldset__legend")]
    judgements = [a.title for a in framework.areas if a.kind != "overall"]
    assert all(title in legends for title in judgements)
    leaders = framework.area_by_id["leaders"]
    group = next(
        f for f in page.select("form fieldset") if text(f.select_one(".govuk-fieldset__legend")) == leaders.title
    )
    boxes = {box["value"]: text(group.select_one(f'label[for="{box["id"]}"]')) for box in group.select("input")}
    assert boxes[f"leaders:{leaders.criteria[0].id}"] == leaders.criteria[0].prompt
    assert boxes["leaders"] == "The judgement as a whole"
    assert page.select_one("input#links")["name"] == "links"  # the error summary's link lands on a box

    page = client_request.post("library.new", _data=_form(kind=""), _expected_status=200)
    assert field_error(page, "kind") == ([("Choose the kind of evidence", "#kind")], "Choose the kind of evidence")
    page = client_request.post("library.new", _data=_form(links=[]), _expected_status=200)
    assert field_error(page, "links")[1] == "Link accepted evidence to at least one judgement area"


def test_a_file_is_attached_as_the_evidence_is_added(app, client_request, head, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path))
    before = (_count(EvidenceItem), _count(Attachment))
    page = client_request.post(
        "library.new",
        _data=_form(title="", file=(io.BytesIO(b"MZ"), "plan.pdf")),
        _content_type="multipart/form-data",
        _expected_status=200,
    )
    # Every problem at once, the file's on the file field.
    assert error_summary(page) == ["Enter a title for the evidence", "The file's contents are not a real PDF file"]
    assert field_error(page, "file")[1] == "The file's contents are not a real PDF file"
    assert (_count(EvidenceItem), _count(Attachment)) == before
    response = client_request.post_response(
        "library.new", _data=_form(file=(io.BytesIO(b"%PDF-1.7 plan"), "plan.pdf")), _content_type="multipart/form-data"
    )
    item = db.session.scalars(select(EvidenceItem)).one()
    assert response.location == url("library.detail", item_id=item.id)
    [attachment] = item.attachments
    assert attachment.filename == "plan.pdf" and attachment.size == len(b"%PDF-1.7 plan")
    assert (tmp_path / str(head.council_id) / attachment.sha256).read_bytes() == b"%PDF-1.7 plan"


def test_a_peer_reviewer_is_not_offered_their_own_councils_library(client_request):
    # They review other councils, and read a reviewed council's evidence through the review.
    council = make_council()
    item = make_evidence(council)
    reviewer = make_user(council, Role.PEER_REVIEWER)
    db.session.commit()
    client_request.sign_in(reviewer)
    for endpoint, args in (("library.index", {}), ("library.map", {}), ("library.detail", {"item_id": item.id})):
        client_request.get(endpoint, **args, _expected_status=403)
    client_request.post("library.archive", item_id=item.id, _expected_status=403)
    navigation = [text(a) for a in client_request.get("home.index").select(".govuk-service-navigation a")]
    assert navigation and not {"Evidence", "Case audits", "Performance"} & set(navigation)


def test_the_lists_count_follows_each_change_to_the_evidence(client_request, head):
    """The count of items found is kept between changes: each change shows at once."""
    for number in range(3):
        make_evidence(head.council, title=f"Audit {number}")
    db.session.commit()

    def caption():
        return text(client_request.get("library.index").select_one("caption")).split(" found")[0]

    assert caption() == "3 items"
    counts = []

    def count_statements(_conn, _cursor, statement, *_):
        counts.extend([statement] if "count(" in statement.lower() and "evidence_item" in statement else [])

    event.listen(db.engine, "before_cursor_execute", count_statements)
    try:
        assert caption() == "3 items"
    finally:
        event.remove(db.engine, "before_cursor_execute", count_statements)
    assert counts == []  # kept, not counted again
    client_request.post("library.new", _data=_form(title="Audit 3"), _follow_redirects=True)
    assert caption() == "4 items"
    item = db.session.scalars(select(EvidenceItem).where(EvidenceItem.title == "Audit 0")).one()
    client_request.post("library.archive", item_id=item.id, _data={"confirmed": "yes"}, _follow_redirects=True)
    assert caption() == "3 items"
    assert text(client_request.get("library.index", status="archived").select_one("caption")).startswith("1 item found")


def test_signals_carry_kinds_flags_and_one_per_item_and_area(head):
    council = head.council
    make_evidence(
        council,
        title="Policy",
        kind=EvidenceKind.OTHER,
        links=["help_protection:hp.risk", "help_protection:hp.drift", "leaders"],
    )
    make_evidence(council, title="Draft", status=EvidenceStatus.DRAFT)
    make_audit(council, overall_grade="inadequate", escalation=EscalationInput("Unsafe", head.id, TODAY))
    with acting_for(council.id):
        signals = item_signals(framework_of(council), TODAY)
    by_title = {(s.title.split(" ")[0], s.area_id): s for s in signals}
    policy = by_title[("Policy", "help_protection")]
    assert policy.kind == "document" and policy.criterion_ids == ("hp.drift", "hp.risk")
    assert ("Policy", "leaders") in by_title and not any(t == "Draft" for t, _ in by_title)
    audit = by_title[("Case", "help_protection")]
    assert audit.kind == "case_audit" and audit.flags == {"unresolved_escalation", "concern"}


def test_signals_take_a_fixed_number_of_queries(head):
    council = head.council
    statements = []

    def count(*_args):
        statements.append(1)

    def queries_for(n):
        for i in range(n):
            make_audit(council, case_reference=f"CP-{1000 + i}")
        db.session.flush()
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            with acting_for(council.id):
                item_signals(framework_of(council), TODAY)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    # Open escalations, each audit's case type, team and moderation, and the items themselves.
    assert queries_for(2) == queries_for(20) == 3
