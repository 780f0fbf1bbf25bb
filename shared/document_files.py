"""Document PDFs in the documents bucket (template.yaml DocumentsBucket): a cache by document version
for downloads, and the file a forward or the invoice-issued email attaches (events carry the key,
never the bytes).

Keys: `<service>/<customer_id>/<document_id>/v<version>[-<status>].pdf`. Built from the authorised,
stored document only (never from the request), so one customer can never name another's file; a
changed document has a new version and so a new key. `-<status>` is added when the status a reader
sees differs from the stored one (an invoice turned overdue, an estimate expired): the PDF shows it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import Field

from shared.settings import EnvSettings, load


class DocumentsSettings(EnvSettings):
    bucket: str = Field(alias="DOCUMENTS_BUCKET")


def fingerprint(updated_at: str, business_json: str | None) -> str:
    """What the file was made from besides its key: the document's last change and the letterhead
    (a changed business profile renders the file again)."""
    letterhead = hashlib.sha256((business_json or "").encode()).hexdigest()[:16]
    return f"{updated_at}|{letterhead}"


def pdf_key(
    service: str, customer_id: str, document_id: str, version: int | None, variant: str | None = None
) -> str:
    suffix = f"-{variant}" if variant else ""
    return f"{service}/{customer_id}/{document_id}/v{version or 0}{suffix}.pdf"


@cache
def _s3() -> Any:
    from shared.aws import client  # lazily: only a request that needs a file pays for it

    return client("s3")


def _bucket() -> str:
    return load(DocumentsSettings).bucket


@dataclass(frozen=True)
class DocumentFile:
    """An authorised document's PDF: where it lives, and how to make it on a cache miss.
    `fingerprint` (the document's last change time) is stored with the file: a file written for
    a version whose save then failed can never be served for the state that later takes that version."""

    filename: str
    key: str
    fingerprint: str
    render: Callable[[], bytes]

    def content(self) -> bytes:
        """The cached file, rendered and stored on the first ask (or a stale fingerprint)."""
        found = read(self.key, self.fingerprint)
        if found is None:
            found = self.render()
            write(self.key, found, self.fingerprint)
        return found

    def ensure(self) -> str:
        """Make sure the file exists (an event carries its key, not its bytes); returns the key."""
        self.content()
        return self.key


def read(key: str, fingerprint: str | None = None) -> bytes | None:
    """The file at `key` (None if missing, or if it was written for another `fingerprint`)."""
    s3 = _s3()
    try:
        response = s3.get_object(Bucket=_bucket(), Key=key)
    except s3.exceptions.NoSuchKey:
        return None
    body = bytes(response["Body"].read())
    if fingerprint is not None and response.get("Metadata", {}).get("fingerprint") != fingerprint:
        return None
    return body


def write(key: str, content: bytes, fingerprint: str) -> None:
    _s3().put_object(
        Bucket=_bucket(),
        Key=key,
        Body=content,
        ContentType="application/pdf",
        ServerSideEncryption="AES256",
        Metadata={"fingerprint": fingerprint},
    )
