"""Workbooks that break spreadsheet readers, built here byte by byte from what the readers do.

Each is small: the point of each is what reading it costs or raises, not its size.
"""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook


def xlsx(rows: list[list], *, number_format: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if number_format:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def panicking() -> bytes:
    """A duration far out of range: python-calamine 0.9 panics (pyo3's PanicException, a
    BaseException) turning it into a timedelta. About 5 KB."""
    return xlsx([["case_reference", "indicator"], [-1e12, -1e12]], number_format="[h]:mm:ss")


def with_sheet_xml(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through change(xml) -> xml."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(info.filename, content)
    return buffer.getvalue()


def cell_at(row: int, column: str) -> bytes:
    """A header, and one cell far away: a few KB the reader would make row x column cells of."""
    book = Workbook()
    sheet = book.active
    sheet.append(["indicator", "period", "value"])
    sheet[f"{column}{row}"] = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def lying_about_its_dimension(data: bytes) -> bytes:
    """The same cells, the sheet's declared dimension saying A1:C2."""
    return with_sheet_xml(data, lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:C2"', xml))


def without_a_dimension(data: bytes) -> bytes:
    return with_sheet_xml(data, lambda xml: re.sub(rb"<dimension [^>]*/>", b"", xml))


def zip_bomb(unpacked_bytes: int) -> bytes:
    """A real workbook with one more part of zeros, packing a thousand to one."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([["a"], [1]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("xl/media/padding.bin", b"\0" * unpacked_bytes)
    return buffer.getvalue()
