"""The warning before saving text that seems to name a child with an age or date of birth."""

from hypothesis import given
from hypothesis import strategies as st

from evidence.library.child_names import named_child

NAMED = [
    ("Jayden Smith (age 9) told me he feels safe at his foster carers'.", "Jayden Smith"),
    ("Jayden (9) said his social worker listens.", "Jayden"),
    ("Amira Khan, aged 14, was seen alone.", "Amira Khan"),
    ("Lily DOB 03/04/2015 is on a plan.", "Lily"),
    ("Tom O'Neill date of birth: 3 April 2015.", "Tom O'Neill"),
    ("We met a 9 year old, Jayden Smith, at school.", None),  # the comma parts age and name
    ("A 15-year-old Mohammed Ali said the plan was his.", "Mohammed Ali"),
]

NOT_NAMED = [
    "The child (age 9) told me they feel safe.",
    "Child A (aged 9) was seen alone.",
    "J (age 9) said he feels safe.",
    "JS, DOB 03/04/2015, is on a plan.",
    "Year 9 pupils were spoken to.",
    "Staff in Team 3 (12 workers) know their children well.",
    "In March (12) visits were late.",
    "Visits were in time for 9 of 12 children.",
    "The social worker saw the child on 3 April 2026.",
    "",
]


def test_text_naming_a_child_with_an_age_or_birth_date_is_caught():
    for text, name in NAMED:
        assert named_child(text) == name, text


def test_text_about_children_without_naming_one_is_not():
    for text in NOT_NAMED:
        assert named_child(text) is None, text


NAME = st.from_regex(r"[A-Z][a-z]{2,9} [A-Z][a-z]{2,9}", fullmatch=True).filter(
    lambda n: not ({w.lower() for w in n.split()} & {"the", "and", "for", "but", "all", "our", "age", "year"})
)


@given(name=NAME, age=st.integers(0, 17), form=st.sampled_from(["{n} (age {a})", "{n}, aged {a}", "{n} ({a})"]))
def test_any_name_with_an_age_is_caught(name, age, form):
    assert named_child(f"Seen at home: {form.format(n=name, a=age)} said little.") == name


@given(st.text(alphabet=st.characters(blacklist_categories=("Nd",)), max_size=300))
def test_text_with_no_digits_never_warns(text):
    assert named_child(text) is None
