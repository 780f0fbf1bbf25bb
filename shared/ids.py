"""Random, sortable identifiers (ULID) and UTC timestamps."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from ulid import ULID

# A ULID as new_id() writes it: 26 Crockford base32 characters, the first at most 7 (48-bit time).
# Crockford base32 is case-insensitive, so upper case is a well-formed id too (it just finds nothing).
ID_PATTERN = r"^[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}$"
_ID = re.compile(ID_PATTERN)


def new_id() -> str:
    return str(ULID()).lower()


def is_id(value: str) -> bool:
    """Whether a value can be an id of ours (path parameters are checked before any DynamoDB call)."""
    return _ID.fullmatch(value) is not None


def utc_now() -> datetime:
    return datetime.now(UTC)


def utc_now_iso() -> str:
    return utc_now().isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_today() -> date:
    return utc_now().date()
