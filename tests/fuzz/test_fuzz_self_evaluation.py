"""The self-evaluation's forms, given anything: starting a year, a section's text, version and
button (as a plain post and as an autosave), and sign-off. Never a server error; a refusal
keeps nothing; a save that is taken keeps the words as sent (trimmed)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from councils.db import db
from councils.models import Role
from councils.storable import unstorable
from councils.tenancy import acting_for
from evidence.self_evaluation import self_evaluations
from evidence.self_evaluation.models import MAX_TEXT
from judgement_framework import load_framework
from tests.fuzz.conftest import EXAMPLES, fuzz_settings
from tests.fuzz.forms import refused, table_counts
from tests.fuzz.values import TEXT
from tests.support.factories import make_council, make_user, sign_in_as

YEARS = st.one_of(st.integers(-(10**12), 10**12).map(str), TEXT)
WORDS = st.one_of(
    TEXT,
    st.text(max_size=200),
    st.just("x" * MAX_TEXT),
    st.just("x" * (MAX_TEXT + 1)),
    st.just("  Leaders know their service.\r\nThey visit teams.  "),
)
BUTTONS = st.sampled_from(["save", "agree", "unagree", "", "sign off", None])


def _council():
    council = make_council()
    leader = make_user(council, Role.SENIOR_LEADER)
    with acting_for(council.id):
        found = self_evaluations.start(council, load_framework("ilacs-2026"), 2026, by=leader)
        db.session.flush()
    db.session.commit()
    return leader, found


def test_starting_a_year_never_fails_and_a_refusal_keeps_nothing(client, database):
    leader, _ = _council()

    @fuzz_settings(examples=4 * EXAMPLES)
    @given(YEARS)
    def post_it(year):
        sign_in_as(client, leader)
        before = table_counts()
        response = client.post("/self-evaluation/new", data={"year_starting": year})
        assert response.status_code < 500, year
        if refused(response):
            assert table_counts() == before, year

    post_it()


def test_a_section_saved_with_anything_never_fails_and_keeps_what_it_took(client, database):
    leader, found = _council()
    section = found.sections[0]
    path = f"/self-evaluation/{found.id}/sections/{section.id}"

    @fuzz_settings(examples=6 * EXAMPLES)
    @given(WORDS, st.one_of(st.just("current"), TEXT), BUTTONS, st.booleans())
    def post_it(words, version, button, autosave):
        sign_in_as(client, leader)
        # Characters no database stores are refused before any view, with a whole page
        # (inspect_ready/input_checks.py), which an autosave does not swap in: a plain post.
        autosave = autosave and not unstorable(words + version)
        db.session.refresh(section)
        sent_version = str(section.version) if version == "current" else version
        data = {"text": words, "version": sent_version} | ({"action": button} if button is not None else {})
        before = table_counts()
        saved_text = section.text
        response = client.post(path, data=data, headers={"HX-Request": "true"} if autosave else {})
        assert response.status_code < 500, data
        db.session.refresh(section)
        if refused(response) or b"Not saved" in response.data:
            assert table_counts() == before and section.text == saved_text, data
        elif section.text != saved_text:
            assert section.text == words.replace("\r\n", "\n").strip()

    post_it()


def test_sign_off_with_anything_never_fails(client, database):
    leader, found = _council()

    @fuzz_settings(examples=2 * EXAMPLES)
    @given(TEXT, st.sampled_from(["yes", "", "no"]))
    def post_it(version, confirmed):
        sign_in_as(client, leader)
        response = client.post(
            f"/self-evaluation/{found.id}/sign-off", data={"version": version, "confirmed": confirmed}
        )
        assert response.status_code < 500
        db.session.refresh(found)
        assert not found.signed_off  # no section is agreed

    post_it()
