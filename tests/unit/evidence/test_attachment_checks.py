"""Attachments are accepted only when the extension and the contents agree on an allowed type."""

import io
import zipfile

import pytest

from evidence.library.attachments import check_file
from evidence.library.items import EvidenceError


def _office(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{folder}document.xml", "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("plan.pdf", b"%PDF-1.7 ...", "application/pdf"),
        ("notes.txt", "Café notes".encode(), "text/plain"),
        ("data.csv", b"a,b\n1,2\n", "text/csv"),
        ("photo.JPG", b"\xff\xd8\xff\xe0rest", "image/jpeg"),
        ("chart.png", b"\x89PNG\r\n\x1a\nrest", "image/png"),
        ("report.docx", _office("word/"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("sheet.xlsx", _office("xl/"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_allowed_files_are_accepted(name, content, content_type):
    assert check_file(name, content) == content_type


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("run.exe", b"MZ...", "must be a PDF"),
        ("fake.pdf", b"MZ not a pdf", "not a real PDF"),
        ("fake.docx", _office("xl/"), "not a real DOCX"),
        ("binary.txt", b"abc\x00def", "not a real TXT"),
        ("big.txt", b"x" * 11, "smaller than"),
        ("empty.pdf", b"", "empty"),
        ("", b"x", "Choose a file"),
    ],
)
def test_bad_files_are_refused_with_a_reason(name, content, words):
    with pytest.raises(EvidenceError, match=words):
        check_file(name, content, max_bytes=10 if name == "big.txt" else 1000)
