"""A one-sheet XLSX file written row by row as it is sent: a zip of SpreadsheetML parts, the
text of each cell inline in its row.

openpyxl's writer (even write-only) builds an object per cell and a shared-strings table the
size of the whole sheet, then the file: 3.3 s for a large council's gap list before its first
byte. This writes each row's XML as the row is read and hands on the compressed bytes as they
come, so a download of a hundred thousand rows starts at once and never sits in memory whole.

What it writes is what the app's spreadsheets need, no more: text, numbers, dates, True/False;
a bold header row frozen at the top with a filter on every column; column widths; long text
wrapped; dates shown as dates. openpyxl reads it back (tests/unit/test_spreadsheets.py).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel

# What XML 1.0 cannot hold (a carriage return it can, written as a reference: see escape).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Excel holds at most this many characters in a cell; openpyxl cuts longer text there too.
CELL_CHARACTERS = 32767
# Styles (the order of cellXfs in STYLES): plain, bold header, date, long text wrapped.
PLAIN, HEADER, DATE, WRAPPED = 0, 1, 2, 3
# Bytes are handed on once about this many are ready.
CHUNK_BYTES = 64 * 1024

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = (
    _HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
PACKAGE_RELS = (
    _HEAD + f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    _HEAD + f'<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
_XF = 'fontId="{font}" fillId="0" borderId="0" xfId="0"'


def styles(date_format: str) -> str:
    return (
        _HEAD + f'<styleSheet xmlns="{_MAIN}">'
        f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{escape(date_format)}"/></numFmts>'
        f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="4">'
        f'<xf numFmtId="0" {_XF.format(font=0)}/>'
        f'<xf numFmtId="0" {_XF.format(font=1)} applyFont="1"/>'
        f'<xf numFmtId="164" {_XF.format(font=0)} applyNumberFormat="1"/>'
        f'<xf numFmtId="0" {_XF.format(font=0)} applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


def escape(text: str) -> str:
    """Text as XML character data. A carriage return is written as a reference: XML readers
    turn a bare one into a line feed."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def cell(reference: str, value, style: int = PLAIN) -> str:
    """One cell's XML: None or no text is no cell; text inline; True/False, numbers and dates
    as values. Text first: most cells are."""
    s = f' s="{style}"' if style else ""
    kind = type(value)
    if kind is str or isinstance(value, str):
        if not value:
            return ""
        text = escape(str.__str__(value)[:CELL_CHARACTERS])  # a str kind (Markup) as plain text
        return f'<c r="{reference}"{s} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
    if value is None:
        return ""
    if kind is bool:
        return f'<c r="{reference}"{s} t="b"><v>{int(value)}</v></c>'
    if kind is int or isinstance(value, numbers.Number):
        if isinstance(value, float) and not math.isfinite(value):
            return cell(reference, str(value), style)  # no number in a spreadsheet is infinite
        return f'<c r="{reference}"{s}><v>{value}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{reference}"{s}><v>{to_excel(value)}</v></c>'
    return cell(reference, str(value), style)


class _Pipe:
    """Where the zip is written: bytes wait here until taken. No tell() or seek(), so zipfile
    writes each part's sizes after its data, as a stream must."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return data


def sheet_file(
    sheet_title: str,
    header: Sequence,
    rows: Iterable[Sequence],
    *,
    widths: Sequence[float],
    styles_of: Callable[[object], int] | None = None,
    date_format: str = "d mmm yyyy",
) -> Iterator[bytes]:
    """The file's bytes, a chunk at a time. `header` is the bold first row, `rows` the rest,
    read as the file is written; `widths` one per column; `styles_of(value)` picks a body
    cell's style (PLAIN, DATE or WRAPPED)."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", PACKAGE_RELS)
        package.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        package.writestr("xl/styles.xml", styles(date_format))
        letters = [get_column_letter(n) for n in range(1, max(len(header), 1) + 1)]
        count = 0
        with package.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_sheet_start(widths).encode())
            head = "".join(cell(f"{letters[i]}1", value, HEADER) for i, value in enumerate(header))
            sheet.write(_utf8(f'<row r="1">{head}</row>'))
            for count, row in enumerate(rows, start=1):
                number = count + 1
                while len(letters) < len(row):
                    letters.append(get_column_letter(len(letters) + 1))
                body = "".join(
                    cell(f"{letters[i]}{number}", value, styles_of(value) if styles_of else PLAIN)
                    for i, value in enumerate(row)
                )
                sheet.write(_utf8(f'<row r="{number}">{body}</row>'))
                if pipe.size >= CHUNK_BYTES:
                    yield pipe.take()
            end = "</sheetData>"
            if header:
                end += f'<autoFilter ref="A1:{letters[len(header) - 1]}{count + 1}"/>'
            sheet.write((end + "</worksheet>").encode())
        package.writestr("xl/workbook.xml", _utf8(_workbook(sheet_title, len(header), count + 1)))
    yield pipe.take()


def _utf8(xml: str) -> bytes:
    # A lone surrogate (never valid text) becomes "?" rather than a download that fails.
    return xml.encode("utf-8", "replace")


def _sheet_start(widths: Sequence[float]) -> str:
    columns = "".join(
        f'<col min="{n}" max="{n}" width="{width:g}" customWidth="1"/>' for n, width in enumerate(widths, start=1)
    )
    return (
        _HEAD + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{columns}</cols>" if columns else "") + "<sheetData>"
    )


def _workbook(sheet_title: str, columns: int, rows: int) -> str:
    title = escape(sheet_title)
    # The filter's range, as Excel names it for a sheet with a filter.
    filtered = ""
    if columns:
        quoted = "'" + title.replace("'", "''") + "'"
        filtered = (
            '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            f"{quoted}!$A$1:${get_column_letter(columns)}${rows}</definedName></definedNames>"
        )
    return (
        _HEAD + f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
        "<bookViews><workbookView/></bookViews>"
        f'<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets>{filtered}</workbook>'
    )
