"""The engagement meeting pack's date form, sent what people and fuzzers type into its three
boxes (a GET form: the fuzz of posted forms does not reach it): never a server error, either
the pack for a real date in range or the date's own message on the field, and nothing stored."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from councils.models import Role
from tests.fuzz.conftest import fuzz_settings
from tests.fuzz.forms import table_counts
from tests.fuzz.values import DATE_PARTS, today_parts
from tests.support.every_page import sample_council
from tests.support.factories import sign_in_as

PASSWORD = "a long enough password for fuzzing"
ADDRESSES = ["/engagement-meeting/", "/engagement-meeting/pack.docx", "/engagement-meeting/pack.pdf"]


def test_no_meeting_date_is_a_server_error(app, client, tally):
    sample = sample_council(app, PASSWORD)
    sign_in_as(client, sample["users"][Role.SENIOR_LEADER])

    @fuzz_settings(examples=30)
    @given(st.sampled_from(ADDRESSES), st.one_of(DATE_PARTS, st.just(today_parts())))
    def choose(address, parts):
        before = table_counts()
        response = client.get(address, query_string={"meeting_date": parts})
        tally["meeting dates"] += 1
        if response.status_code == 400:  # a control character: refused at the door (inspect_ready/input_checks.py)
            assert b"hidden control character" in response.data
            return
        assert response.status_code == 200, f"{address} {parts!r}: {response.status_code}"
        if response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            shown = 'id="pack"' in html
            refused = "govuk-error-summary" in html and 'id="meeting_date-error"' in html
            assert shown != refused, f"{parts!r}: the pack or the date's message, one of the two"
        else:
            assert response.mimetype in (
                "application/pdf",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
        response.close()
        assert table_counts() == before, f"{address} {parts!r} changed what is stored"

    choose()
