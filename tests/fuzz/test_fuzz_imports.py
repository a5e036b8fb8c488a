"""Every importer, given files with its own header and rows mostly right, wrong cells among
them: the preview never fails, a confirmed preview never fails at the commit (what passes
the check can be saved), and a refused file keeps nothing.

The forms walk (test_fuzz_forms.py) sends these endpoints damaged and random files; here
the files get past the header, so the row checks and the saving are what is tried.
"""

from __future__ import annotations

import io

from hypothesis import given

from councils.db import db
from councils.models import Role
from councils.tenancy import acting_for
from evidence.case_audits.audit_import import expected_columns
from evidence.case_audits.audit_templates import default_template
from evidence.mock_inspections.sample_import import COLUMNS
from evidence.performance import indicators
from evidence.reviews.models import ReviewKind
from tests.fuzz.conftest import EXAMPLES, fuzz_settings
from tests.fuzz.forms import refused, table_counts
from tests.fuzz.values import table_file
from tests.support.factories import make_audit, make_council, make_user, sign_in_as
from tests.support.review_factories import make_review

IMPORT_EXAMPLES = 3 * EXAMPLES
GOOD_AUDIT = {
    "case_reference": "CP-204871",
    "case_type": "child_protection",
    "team": "Safeguarding East",
    "worker": "Sam Worker",
    "auditor": "Alex Auditor",
    "audit_date": "2025-01-15",
    "overall_grade": "good",
    "areas": "help_protection",
    "comment": "Risk understood",
}


def _preview_then_confirm(client, preview_url, field, confirm_url, name, content, tally):
    before = table_counts()
    response = client.post(preview_url, data={field: (io.BytesIO(content), name)}, content_type="multipart/form-data")
    tally["import files"] += 1
    assert response.status_code < 500, f"{name}: {content[:300]!r}"
    if refused(response) or b'action="' + confirm_url.encode() + b'"' not in response.data:
        assert table_counts() == before, f"{name}: refused at the preview, but rows were kept"
        return
    confirmed = client.post(confirm_url)
    tally["import confirmations"] += 1
    assert confirmed.status_code < 500, f"{name}: the preview passed, the commit failed: {content[:300]!r}"


def _leader(client):
    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER)
    with acting_for(council.id):
        indicators.ensure_default_indicators()
    sign_in_as(client, leader)
    return leader


def test_no_case_audit_file_fails_at_the_preview_or_the_commit(client, tally):
    leader = _leader(client)
    template = default_template()
    good = GOOD_AUDIT | {q.id: ("good" if q.scale == "four_point" else "yes") for q in template.questions}

    @fuzz_settings(examples=IMPORT_EXAMPLES)
    @given(table_file(expected_columns(template), good))
    def import_it(file):
        sign_in_as(client, leader)
        _preview_then_confirm(client, "/audits/import", "file", "/audits/import/commit", *file, tally)

    import_it()


def test_no_values_file_fails_at_the_preview_or_the_commit(client, tally):
    leader = _leader(client)
    with acting_for(leader.council_id):
        code = indicators.all_indicators()[0].code
    # A month a row, since a second row for the same month is refused as a repeat.
    good = {
        "indicator": code,
        "period": lambda row: f"2025-{row:02d}",
        "value": "12",
        "numerator": "3",
        "denominator": "25",
    }

    @fuzz_settings(examples=IMPORT_EXAMPLES)
    @given(table_file(["indicator", "period", "value", "numerator", "denominator"], good))
    def import_it(file):
        sign_in_as(client, leader)
        _preview_then_confirm(
            client, "/performance/values/import", "values_file", "/performance/values/import/confirm", *file, tally
        )

    import_it()


def test_no_case_sample_file_fails_at_the_preview_or_the_commit(client, tally):
    leader = _leader(client)
    make_audit(leader.council)  # the council's one team, Safeguarding East
    review = make_review(leader.council, leader, title="Mock inspection, fuzz")
    review.kind = ReviewKind.MOCK_INSPECTION
    db.session.commit()
    good = {
        "reference": lambda row: f"CP-{300000 + row}",  # a reference a row: a repeat is refused
        "age": "5 to 9",
        "kind_of_case": "Child protection",
        "team": "Safeguarding East",
        "ethnicity": "WBRI",
        "disabled": "no",
        "gender": "Girl",
        "judgements": "",
    }
    preview = f"/mock-inspections/{review.id}/sample/import"

    @fuzz_settings(examples=IMPORT_EXAMPLES)
    @given(table_file(COLUMNS, good))
    def import_it(file):
        sign_in_as(client, leader)
        _preview_then_confirm(client, preview, "file", preview + "/confirm", *file, tally)

    import_it()
