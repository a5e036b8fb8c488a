"""What a new password may not be: short, common, easy to guess, or holding the email's name."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from councils import accounts
from councils.accounts import AccountError, check_new_password

EMAIL = "jane.smith@riverton.gov.uk"
# zxcvbn's list of passwords from leaks: the long ones pass the length rule on their own.
COMMON = [password for password in FREQUENCY_LISTS["passwords"] if len(password) >= accounts.MIN_PASSWORD_LENGTH]


def refusal(password: str, email: str = EMAIL, name: str = "Jane Smith") -> str | None:
    try:
        check_new_password(password, email, name)
    except AccountError as error:
        return str(error)
    return None


def test_there_are_long_common_passwords_to_refuse():
    assert len(COMMON) > 100 and "password1234" in COMMON


@given(st.sampled_from(COMMON), st.sampled_from([str.lower, str.upper, str.capitalize]))
def test_a_common_password_is_refused_however_it_is_capitalised(password, case):
    assert refusal(case(password)).startswith("Password is too easy to guess")


@pytest.mark.parametrize("password", ["Password123!", "qwertyuiopasdf", "letmeinletmein", "aaaaaaaaaaaaaaa"])
def test_easily_guessed_passwords_are_refused(password):
    assert refusal(password).startswith("Password is too easy to guess")


@pytest.mark.parametrize(
    "password", ["jane.smith-horse-battery", "kettle SMITH lantern orbit", "orbit kettle Jane lantern", "xjane.smithx99"]
)
def test_a_password_holding_the_email_or_a_name_in_it_is_refused(password):
    assert refusal(password) == "Password must not contain your email address or the name in it"


def test_short_names_in_an_email_do_not_refuse_ordinary_words():
    assert refusal("enjoy kettle lantern orbit", email="jo.ng@riverton.gov.uk", name="Jo Ng") is None


def test_length_limits():
    assert refusal("Xk7#q") == f"Password must be {accounts.MIN_PASSWORD_LENGTH} characters or more"
    assert refusal("kettle " * 30) == f"Password must be {accounts.MAX_PASSWORD_LENGTH} characters or fewer"


@pytest.mark.parametrize("password", ["correct horse battery staple", "lantern orbit kettle meadow", "x7Hq2LpQ9vZ3"])
def test_strong_passwords_are_accepted(password):
    assert refusal(password) is None


@given(st.emails(), st.text(max_size=40))
def test_a_temporary_password_always_passes_the_rules_for_its_email(email, name):
    check_new_password(accounts.temporary_password(email, name), email, name)
