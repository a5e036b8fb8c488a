"""The review report and the mock inspection's outcome download as Word and as PDF: the
council's name, the day made, page numbers and the marking, OFFICIAL-SENSITIVE exactly when
a case reference of the council appears."""

import datetime as dt

import pytest
from sqlalchemy import select

from councils import clock
from councils.db import db
from councils.models import Role
from evidence.reviews.models import MemberRole, Review, ReviewStatus
from inspect_ready.pages import govuk_date
from tests.support.documents import footer_xml, header_text, pdf_pages, word, word_text
from tests.support.factories import make_audit, make_council, make_user
from tests.support.review_factories import add_to_team, make_finding, make_review

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture()
def council(database):
    council = make_council("Northshire")
    leader = make_user(council, Role.SENIOR_LEADER, name="Gareth Leader")
    db.session.commit()
    return {"council": council, "leader": leader}


def _report(client_request, review, file_format):
    return client_request.get_response("reviews.report_download", review_id=review.id, file_format=file_format)


def test_the_review_report_downloads_as_word(client_request, council):
    review = make_review(council["council"], council["leader"], status=ReviewStatus.REPORTED)
    make_finding(review.kloes[0], strengths="Leaders know their service well.\nThey visit teams.")
    db.session.commit()
    client_request.sign_in(council["leader"])
    response = _report(client_request, review, "docx")
    today = govuk_date(clock.today())
    assert response.mimetype == DOCX
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="Northshire - Safeguarding peer review - report - {today}.docx"'
    )
    document = word(response.data)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["Judgements in scope", "Team"]
    assert headings[2] == f"1. {review.kloes[0].question}" and len(headings) == 2 + len(review.kloes)
    assert "Strengths" in [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "Leaders know their service well.\nThey visit teams." in word_text(document)
    assert "has not been explored yet" in word_text(document)
    [team] = document.tables
    assert [cell.text for cell in team.rows[0].cells] == ["Name", "Organisation", "Role"]
    assert team.rows[1].cells[0].text == "Gareth Leader"
    assert header_text(document).split("\n") == ["OFFICIAL", "Northshire"]
    assert 'w:instr="PAGE"' in footer_xml(document) and 'w:instr="NUMPAGES"' in footer_xml(document)
    assert document.core_properties.author == "Northshire"
    assert document.core_properties.title == "Safeguarding peer review"


def test_the_review_report_downloads_as_pdf(client_request, council):
    review = make_review(council["council"], council["leader"], status=ReviewStatus.REPORTED)
    make_finding(review.kloes[0], strengths="Leaders know their service well.")
    db.session.commit()
    client_request.sign_in(council["leader"])
    response = _report(client_request, review, "pdf")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].endswith(f'report - {govuk_date(clock.today())}.pdf"')
    pages = pdf_pages(response.data)
    whole = "\n".join(pages)
    assert "Leaders know their service well." in whole and "Gareth Leader" in whole
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert "OFFICIAL" in page and "OFFICIAL-SENSITIVE" not in page
        assert "Northshire" in page and f"Made {govuk_date(clock.today())}" in page


def test_a_report_naming_a_case_of_the_council_is_official_sensitive(client_request, council):
    make_audit(council["council"], case_reference="NS-40017")
    eastbrook = make_council("Eastbrook")
    db.session.commit()
    make_audit(eastbrook, case_reference="EB-50021")
    review = make_review(council["council"], council["leader"], status=ReviewStatus.REPORTED)
    # Another council's case reference is just words here: not this council's child.
    make_finding(review.kloes[0], strengths="Child EB-50021 was seen weekly.")
    db.session.commit()
    client_request.sign_in(council["leader"])
    assert header_text(word(_report(client_request, review, "docx").data)).startswith("OFFICIAL\n")
    make_finding(review.kloes[1], strengths="Child NS-40017's plan (see also NS-4001) is reviewed.")
    db.session.commit()
    assert header_text(word(_report(client_request, review, "docx").data)).startswith("OFFICIAL-SENSITIVE\n")
    pages = pdf_pages(_report(client_request, review, "pdf").data)
    assert all("OFFICIAL-SENSITIVE" in page for page in pages)


def test_another_councils_review_report_is_not_found(client_request, council):
    other = make_council("Eastbrook")
    theirs = make_review(other, make_user(other, Role.SENIOR_LEADER))
    db.session.commit()
    client_request.sign_in(council["leader"])
    for file_format in ("docx", "pdf"):
        client_request.get_response(
            "reviews.report_download", review_id=theirs.id, file_format=file_format, _expected_status=404
        )


# The mock inspection's outcome ---------------------------------------------------------------


def _date(name, day):
    return {name: [str(day.day), str(day.month), str(day.year)]}


@pytest.fixture()
def mock_inspection(client_request, council):
    council["council"].framework_id = "sif-2013"
    reviewer = make_user(council["council"], Role.HEAD_OF_SERVICE, name="Rae Reviewer")
    db.session.commit()
    client_request.sign_in(council["leader"])
    today = dt.date.today()
    client_request.post(
        "mock_inspections.new",
        _data={
            "title": "Autumn mock",
            "framework_id": "sif-2013",
            **_date("starts_on", today),
            **_date("ends_on", today + dt.timedelta(days=5)),
        },
    )
    review = db.session.scalars(select(Review)).one()
    add_to_team(review, reviewer, MemberRole.REVIEWER)
    # Under way: a planned one with no proposals has nothing to moderate.
    review.status = ReviewStatus.FIELDWORK
    db.session.commit()
    return review


def _moderate(client_request, review, area_id, grade, rationale):
    page = client_request.get("mock_inspections.judgement", inspection_id=review.id, area_id=area_id)
    version = page.select_one('input[name="moderate-version"]')
    client_request.post(
        "mock_inspections.judgement",
        inspection_id=review.id,
        area_id=area_id,
        _data={
            "action": "moderate",
            "moderate-grade": grade,
            "moderate-rationale": rationale,
            "moderate-version": version["value"] if version else "0",
        },
    )


def _outcome(client_request, review, file_format):
    return client_request.get_response(
        "mock_inspections.outcome_download", inspection_id=review.id, file_format=file_format
    )


def test_the_outcome_downloads_as_word_and_pdf(client_request, mock_inspection):
    _moderate(client_request, mock_inspection, "help_protection", "inadequate", "Plans drift in the east team.")
    response = _outcome(client_request, mock_inspection, "docx")
    assert response.mimetype == DOCX
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="Northshire - Autumn mock - outcome report - {govuk_date(clock.today())}.docx"'
    )
    document = word(response.data)
    [grades] = document.tables
    rows = {row.cells[0].text: row.cells[1].text for row in grades.rows[1:]}
    assert rows["The experiences and progress of children who need help and protection"] == "Inadequate"
    assert rows["Overall effectiveness"] == "Inadequate"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Judgements and grades",
        "How overall effectiveness was reached",
        "Each judgement",
        "What to fix first",
    ]
    assert "The experiences and progress of children who need help and protection: inadequate" in [
        p.text for p in document.paragraphs if p.style.name == "Heading 2"
    ]
    assert "Plans drift in the east team." in word_text(document)
    assert "The best fit of the judgements that feed it is inadequate." in word_text(document)
    assert header_text(document).startswith("OFFICIAL\n")
    pdf = _outcome(client_request, mock_inspection, "pdf")
    assert pdf.mimetype == "application/pdf"
    pages = pdf_pages(pdf.data)
    assert "Plans drift in the east team." in "\n".join(pages)
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, start=1))


def test_an_outcome_naming_a_tracked_case_is_official_sensitive(client_request, mock_inspection):
    client_request.post(
        "mock_inspections.sample",
        inspection_id=mock_inspection.id,
        _data={
            "reference": "CP-100201",
            "age_band": "5 to 9",
            "case_type": "child_protection",
            "gender": "Girl",
            "team": "Safeguarding East",
            "ethnicity": "White British",
            "area_ids": ["help_protection"],
        },
    )
    _moderate(client_request, mock_inspection, "help_protection", "good", "Strong help, as in CP-100201's plan.")
    document = word(_outcome(client_request, mock_inspection, "docx").data)
    assert header_text(document).startswith("OFFICIAL-SENSITIVE\n")
    assert document.core_properties.category == "OFFICIAL-SENSITIVE"
    assert all(
        "OFFICIAL-SENSITIVE" in page for page in pdf_pages(_outcome(client_request, mock_inspection, "pdf").data)
    )


def test_the_old_word_download_is_gone(client_request, council):
    review = make_review(council["council"], council["leader"])
    db.session.commit()
    client_request.sign_in(council["leader"])
    assert client_request.client.get(f"/reviews/{review.id}/report.doc").status_code == 404


def test_the_outcome_says_why_overall_effectiveness_is_limited(client_request, council):
    from councils.tenancy import acting_for
    from councils.versions import NEW
    from evidence.mock_inspections import inspections
    from evidence.reviews.models import ReviewKind
    from judgement_framework import load_framework

    council["council"].framework_id = "sif-2013"
    review = make_review(council["council"], council["leader"], title="Spring mock")
    review.kind = ReviewKind.MOCK_INSPECTION
    framework = load_framework(review.framework_id)
    # One key judgement inadequate among good ones: the best fit is better, the limiter applies.
    grades = {"help_protection": "inadequate", "looked_after": "good", "leadership": "good"}
    with acting_for(council["council"].id):
        for area_id, grade in grades.items():
            inspections.moderate(review, framework, area_id, council["leader"], grade, "Drift in plans", version=NEW)
    db.session.commit()
    client_request.sign_in(council["leader"])
    words = word_text(word(_outcome(client_request, review, "docx").data))
    assert "Overall effectiveness is limited to inadequate." in words and "Drift in plans" in words
    assert ".." not in words  # a theme ending in a full stop is not given a second
    pages = "\n".join(pdf_pages(_outcome(client_request, review, "pdf").data))
    assert "Overall effectiveness is limited to inadequate." in pages
