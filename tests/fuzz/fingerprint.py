"""A digest of every item of every table in the in-process moto server, cheap enough to take before
and after each fuzzed request: equal means the request wrote nothing.

Hashing every item each time grew with the session's data and took three quarters of the fuzz
suite's time, so each table's digest is kept until something writes to that table. Every way moto
changes an item goes through `Table.put_item`, `Table.delete_item` or, in place,
`DynamoDBBackend.update_item` (transactions and batches call these); a cancelled transaction puts a
copied `Table` object back, which the cache sees as a different table. `full_digest` recomputes
everything, the control that the cache misses no write."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

_digests: dict[int, tuple[Any, int, bytes]] = {}  # id(table) -> (table, its write count then, digest)
_writes: dict[int, int] = {}  # id(table) -> writes seen (the local worker's threads write too)
_installed = False


def _mark_dirty(table: Any) -> None:
    _writes[id(table)] = _writes.get(id(table), 0) + 1


def _watch_table_write(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def write(table: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(table, *args, **kwargs)
        finally:
            _mark_dirty(table)

    return write


def _watch_update(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def update_item(backend: Any, table_name: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(backend, table_name, *args, **kwargs)
        finally:
            table = backend.tables.get(table_name)
            if table is not None:
                _mark_dirty(table)

    return update_item


def install() -> None:
    global _installed
    if _installed:
        return
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    Table.put_item = _watch_table_write(Table.put_item)  # type: ignore[method-assign]
    Table.delete_item = _watch_table_write(Table.delete_item)  # type: ignore[method-assign]
    DynamoDBBackend.update_item = _watch_update(DynamoDBBackend.update_item)  # type: ignore[method-assign]
    _installed = True


def _table_digest(table: Any) -> bytes:
    items = sorted(json.dumps(item.to_json(), sort_keys=True) for item in table.all_items())
    return hashlib.sha256("\n".join(items).encode()).digest()


def _tables() -> list[tuple[str, Any]]:
    from moto.dynamodb.models import dynamodb_backends

    return [
        (f"{account}/{region}/{name}", backend.tables[name])
        for account in list(dynamodb_backends.keys())
        for region, backend in dynamodb_backends[account].items()
        for name in sorted(backend.tables)
    ]


def digest() -> str:
    install()
    combined = hashlib.sha256()
    for name, table in _tables():
        writes = _writes.get(id(table), 0)
        cached = _digests.get(id(table))
        if cached is None or cached[0] is not table or cached[1] != writes:
            # A write landing while this runs bumps the count again, so it is not trusted next time.
            cached = (table, writes, _table_digest(table))
            _digests[id(table)] = cached
        combined.update(name.encode() + cached[2])
    return combined.hexdigest()


def full_digest() -> str:
    combined = hashlib.sha256()
    for name, table in _tables():
        combined.update(name.encode() + _table_digest(table))
    return combined.hexdigest()
