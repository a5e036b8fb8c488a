"""The shape of a downloadable document: a title, the council, the day it was made, its
protective marking, and headed sections of paragraphs, bullet lists and tables.

Nothing here knows Word or PDF. Text is either a string or a tuple of parts: plain strings,
links and case references. A case reference is marked as such where the content is built, and
the marking follows from the content: a document holding any case reference is
OFFICIAL-SENSITIVE, any other OFFICIAL (the Government Security Classifications' marking
for personal data about children)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from inspect_ready.pages import govuk_date


class Marking(Enum):
    OFFICIAL = "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class CaseReference:
    """A child's pseudonymised case reference, wherever it appears in the text."""

    text: str


Part = str | Link | CaseReference
Text = str | tuple[Part, ...]


@dataclass(frozen=True)
class Paragraph:
    text: Text
    # A note is smaller print: a count of what was left out, a caveat.
    note: bool = False
    kind = "paragraph"


@dataclass(frozen=True)
class Bullets:
    items: tuple[Text, ...]
    numbered: bool = False
    kind = "bullets"


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Text, ...], ...]
    kind = "table"


@dataclass(frozen=True)
class Section:
    """A heading and what follows it; a section inside a section is one heading level down."""

    heading: Text
    content: tuple[Block, ...]
    kind = "section"


Block = Paragraph | Bullets | Table | Section


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    council: str
    made_on: dt.date
    content: tuple[Block, ...]
    # What the document is, for its file name: "review report", "outcome report".
    kind_of_document: str = "report"

    @property
    def marking(self) -> Marking:
        holds_cases = any(isinstance(part, CaseReference) for text in texts(self.content) for part in parts(text))
        return Marking.OFFICIAL_SENSITIVE if holds_cases else Marking.OFFICIAL


def texts(blocks: Iterable[Block]) -> Iterator[Text]:
    """Every piece of text of these blocks, headings and table cells included."""
    for block in blocks:
        if isinstance(block, Section):
            yield block.heading
            yield from texts(block.content)
        elif isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, Bullets):
            yield from block.items
        else:
            yield block.caption
            yield from block.header
            for row in block.rows:
                yield from row


# XML 1.0 has no place for most control characters, lone surrogates or U+FFFE/U+FFFF: Word
# refuses the file over one. Text stored before such characters were refused at the door
# still renders, without them (in the PDF too, so the two formats say the same).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(value: str) -> str:
    """The text without characters XML cannot hold, and with one kind of line break: browsers
    send a textarea's lines ending CR LF, which Word would show as two breaks."""
    return _NOT_XML.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def parts(text: Text) -> tuple[Part, ...]:
    """The parts of a text, each cleaned of characters no document can hold."""
    if isinstance(text, str):
        return (clean(text),)
    return tuple(clean(part) if isinstance(part, str) else replace(part, text=clean(part.text)) for part in text)


def plain(text: Text) -> str:
    return "".join(part if isinstance(part, str) else part.text for part in parts(text))


def capped(items: Sequence[Text], limit: int, more: str = "and {count} more") -> tuple[Text, ...]:
    """A list bounded at `limit` items, the rest counted in a last line."""
    if len(items) <= limit:
        return tuple(items)
    return (*items[:limit], more.format(count=len(items) - limit))


def with_case_references(text: str, references: Iterable[str]) -> Text:
    """Free text with every known case reference in it marked as one: a reference counts only
    as a whole word, so "CP1234" does not mark "CP12345"."""
    found = sorted({ref for ref in references if ref}, key=len, reverse=True)
    if not found or not text:
        return text
    pattern = re.compile(r"(?<![A-Za-z0-9-])(" + "|".join(map(re.escape, found)) + r")(?![A-Za-z0-9-])")
    pieces = pattern.split(text)
    if len(pieces) == 1:
        return text
    # re.split with one group alternates text, reference, text, ...
    return tuple(
        CaseReference(piece) if index % 2 else piece for index, piece in enumerate(pieces) if piece or index % 2
    )


def file_name(document: Document, extension: str) -> str:
    """ "Northshire - Autumn review - review report - 1 December 2026.docx": the council, what
    the document is and the day it was made, in characters every system's files allow (and
    an HTTP header can carry)."""
    words = [document.council, document.title, document.kind_of_document, govuk_date(document.made_on)]
    safe = [_safe_words(word) for word in words]
    return " - ".join(word for word in safe if word)[:150].rstrip(" -") + f".{extension}"


def _safe_words(value: str) -> str:
    ascii_only = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", re.sub(r"[^A-Za-z0-9 ,()&'-]", " ", ascii_only)).strip(" -")
