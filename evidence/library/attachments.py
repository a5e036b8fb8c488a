"""Files behind evidence items, kept on disk outside the database.

Each file is stored as <folder>/<council id>/<sha256>: the checksum names it, so the same
file uploaded twice is stored once, and one council's files never share a folder with
another's. A file is accepted only if its extension and its first bytes agree on a type we
allow, so a renamed executable is refused.
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

from councils import audit_log
from councils.db import db
from evidence.library.items import EvidenceError
from evidence.library.models import Attachment, EvidenceItem

MAX_BYTES = 10 * 1024 * 1024
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "txt": "text/plain",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
ALLOWED = "PDF, DOCX, XLSX, CSV, TXT, PNG or JPEG"


def sniff_matches(extension: str, content: bytes) -> bool:
    """Whether the bytes look like the type the extension claims."""
    if extension == "pdf":
        return content.startswith(b"%PDF-")
    if extension == "png":
        return content.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return content.startswith(b"\xff\xd8\xff")
    if extension in ("docx", "xlsx"):
        return _office_zip_has(content, "word/" if extension == "docx" else "xl/")
    if extension in ("csv", "txt"):
        if b"\x00" in content:
            return False
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return False


def _office_zip_has(content: bytes, folder: str) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return any(name.startswith(folder) for name in archive.namelist())
    except zipfile.BadZipFile:
        return False


def check_file(filename: str, content: bytes, max_bytes: int = MAX_BYTES) -> str:
    """The content type to serve the file as, or an error saying what is wrong with it."""
    name = os.path.basename(filename or "").strip()
    if not name:
        raise EvidenceError("Choose a file to attach", "file")
    if not content:
        raise EvidenceError("The chosen file is empty", "file")
    if len(content) > max_bytes:
        raise EvidenceError(f"The file must be smaller than {max_bytes // (1024 * 1024)} MB", "file")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in CONTENT_TYPES:
        raise EvidenceError(f"The file must be a {ALLOWED}", "file")
    if not sniff_matches(extension, content):
        raise EvidenceError(f"The file's contents are not a real {extension.upper()} file", "file")
    return CONTENT_TYPES[extension]


def add_attachment(
    item: EvidenceItem, filename: str, content: bytes, folder: Path, uploaded_by: str, max_bytes: int = MAX_BYTES
) -> Attachment:
    content_type = check_file(filename, content, max_bytes)
    digest = hashlib.sha256(content).hexdigest()
    attachment = Attachment(
        item=item,
        filename=os.path.basename(filename)[:200],
        content_type=content_type,
        size=len(content),
        sha256=digest,
        uploaded_by=uploaded_by,
    )
    db.session.add(attachment)
    db.session.flush()
    _store(stored_path(folder, item.council_id, digest), content)
    audit_log.record(
        "evidence.attachment_added",
        "evidence_item",
        item.id,
        after={"attachment_id": attachment.id, "filename": attachment.filename, "sha256": digest, "size": len(content)},
    )
    return attachment


def stored_path(folder: Path, council_id: int, digest: str) -> Path:
    return Path(folder) / str(council_id) / digest


def _store(path: Path, content: bytes) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_bytes(content)
    partial.replace(path)  # atomic: a reader never sees half a file
