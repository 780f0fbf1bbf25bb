"""Random, sortable identifiers (ULID) and UTC timestamps."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ulid import ULID


def new_id() -> str:
    return str(ULID()).lower()


def utc_now() -> datetime:
    return datetime.now(UTC)


def utc_now_iso() -> str:
    return utc_now().isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_today() -> date:
    return utc_now().date()
