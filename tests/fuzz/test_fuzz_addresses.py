"""Every page's address with what a hand-edited or hostile address holds: ids past every
integer column, negative and zero ids, and query strings of any argument the views read
(page, filters, ids) with NUL, control characters, huge numbers and long text. Never a
server error, and a GET changes nothing (the audit log's record of a refusal apart)."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.conftest import fuzz_settings
from tests.fuzz.forms import table_counts
from tests.fuzz.values import TEXT
from tests.support.every_page import pages, sample_council
from tests.support.factories import sign_in_as

PASSWORD = "a long enough password for fuzzing"
NASTY_IDS = ["0", "2147483647", "2147483648", "99999999999999999999", "9223372036854775808", "%00", "x", "%2e%2e"]
# Every argument a view reads from the query string (grep request.args), and some it does not.
ARGUMENTS = [
    "page", "status", "owner", "indicator", "area_id", "review", "gap", "template", "next", "service_area",
    "area", "kind", "grade", "stale", "earlier", "later", "action", "record_type", "record_id", "actor",
    "since", "until", "format", "q", "meeting_date", "submit",
]  # fmt: skip


def _address(rule, ids: dict, id_values: dict) -> str:
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(rf"<[^>]*\b{name}>", str(id_values.get(name, ids[name])), url)
    return url


def test_no_address_or_query_string_is_a_server_error(app, client, tmp_path, monkeypatch, tally):
    monkeypatch.setitem(app.config, "ATTACHMENTS_DIR", str(tmp_path))
    sample = sample_council(app, PASSWORD)
    users = sample["users"]
    walk = [(rule, next(iter(roles))) for rule, roles in pages(app, sample["ids"])]

    @fuzz_settings(examples=len(walk) * 2)
    @given(
        st.sampled_from(walk),
        st.dictionaries(st.sampled_from(sorted(sample["ids"])), st.sampled_from(NASTY_IDS), max_size=2),
        st.dictionaries(st.sampled_from(ARGUMENTS), TEXT, max_size=3),
    )
    def visit(rule_and_role, id_values, arguments):
        rule, role = rule_and_role
        sign_in_as(client, users[role])
        before = table_counts()
        address = _address(rule, sample["ids"], id_values)
        if arguments:
            address += "?" + urlencode(arguments)
        response = client.get(address)
        tally["addresses"] += 1
        assert response.status_code < 500, f"GET {address[:300]} as {role.value}"
        response.close()
        assert table_counts() == before, f"GET {address[:300]} changed what is stored"

    visit()
