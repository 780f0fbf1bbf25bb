"""The storage toolkit every store shares (pynamodb plumbing): one botocore session and one
transaction connection per container, the conditional transaction, the pk/sk model base, the
sparse-index factory and limit+1 cursor paging.

Cursors are opaque to callers (base64url of a flat JSON object) and bound to the partition they page:
a cursor is accepted only if it names exactly the expected key attributes, as short plain strings,
with the partition the caller may read. Anything else — not base64, not JSON, nested, another
partition, a number where a digit string belongs — is a 400 (`ValidationFailed`), never a 500, and a
cursor can never reach outside the caller's own partition.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from types import TracebackType
from typing import Any, TypeVar

import pynamodb.connection.base
from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import PynamoDBException, TransactWriteError, UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from shared.aws import session
from shared.errors import Conflict, ValidationFailed
from shared.events import OutboxEvent, outbox_item_fields
from shared.settings import common

T = TypeVar("T")
BAD_CURSOR = "The page cursor is not valid for this list; start again from the first page."
MAX_CURSOR_CHARS = 1500  # a real cursor is a few key strings; anything longer is not ours
MAX_VALUE_CHARS = 400
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_DIGITS = re.compile(r"[0-9]{1,12}")  # ASCII only: "²".isdigit() is True, int("²") fails


# pynamodb gives every model class (and every Connection) a botocore session of its own, and a client
# made from a new session loads the DynamoDB service model again (~150 ms of cold start each). One
# session per container (shared.aws, every other client's too): a client after the first costs ~10 ms.
pynamodb.connection.base.get_session = session


@cache
def _connection() -> Connection:
    # One per container: a new Connection builds a new botocore client (~150 ms).
    return Connection(region=common().region)


def transaction() -> TransactWrite:
    return TransactWrite(connection=_connection())


def cancelled(error: TransactWriteError) -> bool:
    """A condition of the transaction failed. A conflict with a concurrent transaction is not that:
    it answers False, so the caller re-raises and the request or event is retried, never dropped."""
    if error.cause_response_code != "TransactionCanceledException":
        return False
    codes = {reason.code for reason in error.cancellation_reasons if reason is not None}
    return "TransactionConflict" not in codes


def condition_failed(error: PynamoDBException) -> bool:
    """A single-item write (put, update, delete) whose condition did not hold."""
    return error.cause_response_code == "ConditionalCheckFailedException"


class ConditionalTransaction(TransactWrite):
    """`with conditional_transaction() as tx: …` then `tx.committed` is False when one of its
    conditions failed (nothing was written). Conflicts and outages still raise, to be retried."""

    committed = True

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            super().__exit__(exc_type, exc, tb)  # type: ignore[no-untyped-call]  # commits
        except TransactWriteError as error:
            if not cancelled(error):
                raise
            self.committed = False


def conditional_transaction() -> ConditionalTransaction:
    return ConditionalTransaction(connection=_connection())


class KeyedRecord(Model):
    """Base of every table's models: each table here is keyed by the strings `pk` and `sk`."""

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True)


def table_meta(table_name: str) -> Any:
    """A model's `Meta`: its table, in the function's region."""
    return type("Meta", (), {"table_name": table_name, "region": common().region})


class OutboxFields(KeyedRecord):
    """An outbox item's attributes (shared.events.outbox_item_fields); outbox_model binds a table."""

    event_id = UnicodeAttribute()
    source = UnicodeAttribute()
    detail_type = UnicodeAttribute()
    detail = UnicodeAttribute()
    expires_at = NumberAttribute()

    @classmethod
    def of(cls, event: OutboxEvent, now_epoch: int) -> OutboxFields:
        return cls(**outbox_item_fields(event, now_epoch))


def outbox_model(table_name: str) -> type[OutboxFields]:
    """The outbox item's model on one service's table (published from that table's stream)."""

    class OutboxRecord(OutboxFields):
        Meta = table_meta(table_name)

    return OutboxRecord


def save_with_outbox(record: Model, outbox: OutboxFields, conflict: str) -> None:
    """A state change (only if nobody changed it since it was read: the record's version) and its
    outbox event in one transaction; `Conflict(conflict)` when someone did."""
    with conditional_transaction() as tx:
        tx.save(record)
        tx.save(outbox, condition=type(outbox).pk.does_not_exist())
    if not tx.committed:
        raise Conflict(conflict)


class CounterFields(KeyedRecord):
    value = NumberAttribute(default=0)


def counter_model(table_name: str) -> type[CounterFields]:
    """A tenant-wide counter's model on one service's table (`COUNTER` / <what it counts>)."""

    class CounterRecord(CounterFields):
        Meta = table_meta(table_name)

    return CounterRecord


def next_number(model: type[CounterFields], counter_sk: str, prefix: str, what: str) -> str:
    """The next human number from a tenant-wide counter: `<prefix>000001`, … (one atomic ADD)."""
    counter = model(pk="COUNTER", sk=counter_sk)
    try:
        counter.update(actions=[model.value.add(1)])
    except UpdateError as error:  # pragma: no cover - table missing or throttled
        raise RuntimeError(f"could not allocate {what}") from error
    return f"{prefix}{int(counter.value):06d}"


def sparse_index(name: str, hash_attr: str, range_attr: str) -> type[GlobalSecondaryIndex[Any]]:
    """A GSI (all attributes projected) over string keys; items lacking its keys are not in it."""
    meta = type("Meta", (), {"index_name": name, "projection": AllProjection()})
    attrs = {
        "Meta": meta,
        hash_attr: UnicodeAttribute(hash_key=True),
        range_attr: UnicodeAttribute(range_key=True),
    }
    return type(f"Index_{name}", (GlobalSecondaryIndex,), attrs)


# ---- cursors and pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paging:
    """What a list's cursor holds: the key attributes DynamoDB needs to resume (`keys`), of which
    `bound` must equal the caller's partition, plus the caller's own string fields (`extra`)."""

    keys: tuple[str, ...]
    bound: Mapping[str, str]
    extra: tuple[str, ...] = ()
    digits: tuple[str, ...] = ()  # extra fields that must be ASCII digit strings


def encode_cursor(fields: Mapping[str, str]) -> str:
    raw = json.dumps(dict(fields), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, paging: Paging) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """(DynamoDB's ExclusiveStartKey, the extra fields) of a cursor this list handed out."""
    fields = _decode(cursor)
    expected = set(paging.keys) | set(paging.extra)
    valid = (
        fields is not None
        and set(fields) == expected
        and all(isinstance(v, str) and len(v) <= MAX_VALUE_CHARS for v in fields.values())
        and all(fields.get(name) == value for name, value in paging.bound.items())
        and all(_DIGITS.fullmatch(fields[name]) for name in paging.digits)
    )
    if not valid or fields is None:
        raise ValidationFailed(BAD_CURSOR, [{"field": "cursor", "message": "not a cursor of this list"}])
    start = {name: {"S": fields[name]} for name in paging.keys}
    return start, {name: fields[name] for name in paging.extra}


def _decode(cursor: str) -> dict[str, Any] | None:
    if not (0 < len(cursor) <= MAX_CURSOR_CHARS) or not _BASE64URL.fullmatch(cursor):
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def cursor_after(item: Any, paging: Paging, extra: Mapping[str, str] | None = None) -> str:
    """The cursor that resumes a list after `item` (a pynamodb model instance)."""
    return encode_cursor({name: str(getattr(item, name)) for name in paging.keys} | dict(extra or {}))


def query_page(
    query: Callable[..., Iterator[T]],
    hash_value: str,
    paging: Paging,
    limit: int,
    cursor: str | None,
    **query_options: Any,
) -> tuple[list[T], str | None]:
    """One page in one Query: one extra item tells whether another page exists, so the last page
    never links to an empty one."""
    start = decode_cursor(cursor, paging)[0] if cursor else None
    items = list(
        query(hash_value, limit=limit + 1, page_size=limit + 1, last_evaluated_key=start, **query_options)
    )
    return split_page(items, limit, paging)


def split_page(items: Iterable[T], limit: int, paging: Paging) -> tuple[list[T], str | None]:
    found = list(items)
    page = found[:limit]
    return page, cursor_after(page[-1], paging) if len(found) > limit else None
