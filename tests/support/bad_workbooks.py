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


def damaged_inside(data: bytes) -> bytes:
    """The same workbook with the packed bytes of its first sheet overwritten halfway: its zip
    directory and its index of sheets are whole, so it opens; the sheet cannot be unpacked."""
    package = zipfile.ZipFile(io.BytesIO(data))
    info = package.getinfo("xl/worksheets/sheet1.xml")
    damaged = bytearray(data)
    name_length, extra_length = (
        int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little"),
        (int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")),
    )
    start = info.header_offset + 30 + name_length + extra_length
    middle = start + info.compress_size // 2
    damaged[middle : middle + 16] = b"\xff" * 16
    return bytes(damaged)


def lying_about_its_size(data: bytes, declared: int = 100) -> bytes:
    """The same workbook, its first sheet's zip entries declaring it unpacks to `declared`
    bytes: a zip bomb's trick for getting past a check of the zip's directory."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
    changed = bytearray(data)
    changed[info.header_offset + 22 : info.header_offset + 26] = declared.to_bytes(4, "little")  # local header
    position = data.find(b"PK\x01\x02")  # the central directory's entries
    while position >= 0:
        name_length = int.from_bytes(data[position + 28 : position + 30], "little")
        if data[position + 46 : position + 46 + name_length] == info.filename.encode():
            changed[position + 24 : position + 28] = declared.to_bytes(4, "little")
        position = data.find(b"PK\x01\x02", position + 4)
    return bytes(changed)


def with_rows(data: bytes, rows: bytes) -> bytes:
    """The same workbook with `rows` (the XML of its rows) as its first sheet's rows."""
    return with_sheet_xml(
        data,
        lambda xml: re.sub(
            rb"<sheetData>.*</sheetData>|<sheetData/>",
            lambda _: b"<sheetData>" + rows + b"</sheetData>",
            xml,
            flags=re.S,
        ),
    )
