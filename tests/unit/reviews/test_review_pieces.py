"""Pure pieces of reviews: invitation token hashes and report file names."""

from types import SimpleNamespace

from evidence.reviews.invitations import token_hash
from inspect_ready.review_report import file_name


def test_a_token_hash_is_stable_and_hides_the_token():
    assert token_hash("abc") == token_hash("abc") != token_hash("abd")
    assert "abc" not in token_hash("abc") and len(token_hash("abc")) == 64


def test_report_file_names_are_safe():
    assert file_name(SimpleNamespace(title="Peer review: Jan/Feb 2026!")) == "peer-review-jan-feb-2026-report"
    assert file_name(SimpleNamespace(title="../../")) == "review-report"
