"""Any text in a document (control characters, lone surrogates, very long runs, any script)
renders to Word and to PDF without error, each file opens back, and its name is one an HTTP
header can carry. Characters XML cannot hold are left out, in both formats alike."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspect_ready import create_app
from inspect_ready.documents.model import (
    Bullets,
    CaseReference,
    Document,
    Link,
    Paragraph,
    Section,
    Table,
    file_name,
    plain,
)
from inspect_ready.documents.pdf import pdf
from inspect_ready.documents.word import docx
from tests.fuzz.conftest import EXAMPLES, fuzz_settings
from tests.fuzz.values import NASTY_TEXT
from tests.support.documents import pdf_pages, word, word_text

# Drawn by index and by length, not sampled from literals: the strategy's own description
# (which hypothesis writes out) stays short although the texts are long.
LONG = ["x", "word ", "🙂", "\u202eevil ", "a\r\nb\rc\x00\x0b\ufffe\uffff\ud800"]
WORDS = st.one_of(
    st.integers(0, len(NASTY_TEXT) - 1).map(lambda index: NASTY_TEXT[index]),
    st.text(max_size=40),
    st.text(alphabet=st.characters(exclude_categories=()), max_size=60),  # lone surrogates too
    st.tuples(st.integers(0, len(LONG) - 1), st.integers(50, 1500)).map(lambda pair: LONG[pair[0]] * pair[1]),
)
TEXTS = st.one_of(
    WORDS,
    st.lists(
        st.one_of(WORDS, st.builds(Link, WORDS, st.just("https://www.gov.uk/")), st.builds(CaseReference, WORDS)),
        max_size=4,
    ).map(tuple),
)
BLOCKS = st.recursive(
    st.one_of(
        st.builds(Paragraph, TEXTS, st.booleans()),
        st.builds(Bullets, st.lists(TEXTS, max_size=4).map(tuple), st.booleans()),
        st.builds(
            Table,
            WORDS,
            st.lists(WORDS, min_size=1, max_size=3).map(tuple),
            st.lists(st.lists(TEXTS, max_size=3).map(tuple), max_size=3).map(tuple),
        ),
    ),
    lambda inner: st.builds(Section, TEXTS, st.lists(inner, max_size=3).map(tuple)),
    max_leaves=6,
)
DOCUMENTS = st.builds(
    Document,
    WORDS,
    WORDS,
    WORDS,
    st.dates(dt.date(1900, 1, 1), dt.date(2999, 12, 31)),
    st.lists(BLOCKS, max_size=4).map(tuple),
    WORDS,
)


@pytest.fixture(scope="module")
def request_context():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context():
        yield


@fuzz_settings(EXAMPLES * 4)
@given(document=DOCUMENTS)
def test_any_text_makes_a_word_file_that_opens(document, tally):
    opened = word(docx(document))
    assert plain(document.title) in "\n".join(p.text for p in opened.paragraphs) or not plain(document.title)
    word_text(opened)
    assert opened.sections[0].header.paragraphs[0].text == document.marking.value
    name = file_name(document, "docx")
    name.encode("latin-1")
    assert name.endswith(".docx") and not set(name) & set('"\r\n\\/')
    tally["documents as Word"] += 1


@fuzz_settings(EXAMPLES)
@given(document=DOCUMENTS)
def test_any_text_makes_a_pdf_that_opens(document, request_context, tally):
    # pypdf reads a page mixing fonts of one- and two-byte codes with NULs between letters.
    pages = [page.replace("\x00", "") for page in pdf_pages(pdf(document))]
    assert all(f"of {len(pages)}" in page and document.marking.value in page for page in pages)
    tally["documents as PDF"] += 1
