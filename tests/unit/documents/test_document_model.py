"""The document model: its marking follows from the content, case references are found as
whole words, long lists are capped with a count, file names are safe."""

import datetime as dt

from inspect_ready.documents.model import (
    Bullets,
    CaseReference,
    Document,
    Link,
    Marking,
    Paragraph,
    Section,
    Table,
    capped,
    clean,
    file_name,
    parts,
    plain,
    with_case_references,
)


def _document(*content, council="Northshire", title="Autumn review"):
    return Document(title, "Review report", council, dt.date(2026, 12, 1), tuple(content), "report")


def test_a_document_with_no_case_reference_is_official():
    document = _document(
        Paragraph("Leaders know their service."), Section("Team", (Table("", ("Name",), (("Ann",),)),))
    )
    assert document.marking is Marking.OFFICIAL


def test_a_case_reference_anywhere_makes_it_official_sensitive():
    anywhere = [
        Paragraph(("Seen: ", CaseReference("CP-1001"))),
        Bullets(("a", ("b ", CaseReference("CP-1001")))),
        Table("", ("Child",), ((("", CaseReference("CP-1001")),),)),
        Section("Deep", (Section(("Child ", CaseReference("CP-1001")), ()),)),
    ]
    for block in anywhere:
        assert _document(Paragraph("Intro"), block).marking is Marking.OFFICIAL_SENSITIVE


def test_known_references_are_marked_as_whole_words_only():
    text = "CP-1001 was seen; CP-10011 and XCP-1001 were not, nor cp-1001. (CP-1001)"
    marked = with_case_references(text, {"CP-1001"})
    assert [part.text for part in marked if isinstance(part, CaseReference)] == ["CP-1001", "CP-1001"]
    assert plain(marked) == text
    assert with_case_references("Nothing here", {"CP-1001"}) == "Nothing here"
    assert with_case_references("CP-1001", set()) == "CP-1001"


def test_the_longer_of_two_overlapping_references_wins():
    marked = with_case_references("Child AB-123-4 and AB-123", {"AB-123", "AB-123-4"})
    assert [part.text for part in marked if isinstance(part, CaseReference)] == ["AB-123-4", "AB-123"]


def test_long_lists_are_capped_with_a_count():
    assert capped(["a", "b"], 3) == ("a", "b")
    assert capped(["a", "b", "c", "d", "e"], 3) == ("a", "b", "c", "and 2 more")
    assert capped(["a", "b", "c"], 1, "And {count} more, in the gap list.")[-1] == "And 2 more, in the gap list."


def test_characters_no_document_can_hold_are_taken_out():
    assert clean("a\x00b\x0bc\x1fd\ufffee\ud800f\tg\nh") == "abcdef\tg\nh"
    assert clean("one\r\ntwo\rthree\n") == "one\ntwo\nthree\n"
    assert parts(("x\x07", Link("l\x01ink", "https://example.test"), CaseReference("CP\x02-1001"))) == (
        "x",
        Link("link", "https://example.test"),
        CaseReference("CP-1001"),
    )


def test_file_names_carry_the_council_what_and_when_in_safe_characters():
    assert file_name(_document(), "docx") == "Northshire - Autumn review - report - 1 December 2026.docx"
    awkward = _document(council='Brighton & Hove "City"', title="../Review: Jan/Feb \u00e9t\u00e9\r\n")
    assert file_name(awkward, "pdf") == "Brighton & Hove City - Review Jan Feb ete - report - 1 December 2026.pdf"
    assert len(file_name(_document(title="x" * 500), "pdf")) <= 160
