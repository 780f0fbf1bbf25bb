"""shared.dynamo's cursors: opaque, bound to the caller's partition, and anything malformed is a
ValidationFailed (400), never another exception (a 500)."""

from __future__ import annotations

import base64
import json
from types import SimpleNamespace

import pytest

from shared.dynamo import MAX_CURSOR_CHARS, Paging, cursor_after, decode_cursor, encode_cursor, split_page
from shared.errors import ValidationFailed

PAGING = Paging(keys=("pk", "sk", "customer_key", "date_key"), bound={"customer_key": "c1"})
FEED = Paging(keys=("pk", "sk"), bound={"pk": "FEED#c1"}, extra=("u", "n"), digits=("n",))


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_a_cursor_round_trips_into_dynamodbs_start_key() -> None:
    item = SimpleNamespace(pk="INVOICE#1", sk="INVOICE", customer_key="c1", date_key="2026-01-01#1")
    start, extra = decode_cursor(cursor_after(item, PAGING), PAGING)
    assert start == {
        "pk": {"S": "INVOICE#1"},
        "sk": {"S": "INVOICE"},
        "customer_key": {"S": "c1"},
        "date_key": {"S": "2026-01-01#1"},
    }
    assert extra == {}
    feed_cursor = cursor_after(SimpleNamespace(pk="FEED#c1", sk="x"), FEED, {"u": "", "n": "12"})
    assert decode_cursor(feed_cursor, FEED)[1] == {"u": "", "n": "12"}


def test_split_page_links_to_a_next_page_only_when_there_is_one() -> None:
    items = [SimpleNamespace(pk="FEED#c1", sk=str(n)) for n in range(3)]
    assert split_page(items, 3, Paging(keys=("pk", "sk"), bound={}))[1] is None
    page, cursor = split_page(items, 2, Paging(keys=("pk", "sk"), bound={}))
    assert len(page) == 2 and cursor == encode_cursor({"pk": "FEED#c1", "sk": "1"})


VALID = {"pk": "INVOICE#1", "sk": "INVOICE", "customer_key": "c1", "date_key": "d"}


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage!",  # not base64url
        "%%%",
        "a b",
        "",
        b64(b"not json"),
        b64(b"\xff\xfe"),  # not UTF-8
        b64(b"[" * 1100),  # deeply nested JSON: json.loads would recurse past the interpreter's limit
        b64(json.dumps([VALID]).encode()),  # not an object
        b64(json.dumps({**VALID, "customer_key": "c2"}).encode()),  # another customer's partition
        b64(json.dumps({**VALID, "extra": "x"}).encode()),  # a key the list does not use
        b64(json.dumps({k: v for k, v in VALID.items() if k != "sk"}).encode()),  # a key missing
        b64(json.dumps({**VALID, "sk": {"S": "INVOICE"}}).encode()),  # nested value
        b64(json.dumps({**VALID, "sk": 7}).encode()),  # not a string
        b64(json.dumps({**VALID, "sk": "x" * 1000}).encode()),  # absurdly long value
        "A" * (MAX_CURSOR_CHARS + 1),
    ],
)
def test_a_malformed_or_foreign_cursor_is_a_validation_error(cursor: str) -> None:
    with pytest.raises(ValidationFailed) as raised:
        decode_cursor(cursor, PAGING)
    assert raised.value.status == 400


@pytest.mark.parametrize("n", ["²", "٣", "-1", "1.5", " 1", "", "1" * 13])
def test_a_digit_field_takes_ascii_digits_only(n: str) -> None:
    cursor = encode_cursor({"pk": "FEED#c1", "sk": "x", "u": "", "n": n})
    with pytest.raises(ValidationFailed):
        decode_cursor(cursor, FEED)


def test_every_model_shares_one_botocore_session() -> None:
    """A client made from a new session loads the DynamoDB service model again (~150 ms of cold start
    per model class); shared.dynamo makes pynamodb use one session per container."""
    from pynamodb.attributes import UnicodeAttribute
    from pynamodb.models import Model

    from shared.dynamo import transaction

    def model(table: str) -> type[Model]:
        meta = type("Meta", (), {"table_name": table, "region": "us-east-1"})
        return type(f"M_{table}", (Model,), {"Meta": meta, "pk": UnicodeAttribute(hash_key=True)})

    first, second = model("one"), model("two")
    session = first._get_connection().connection.session
    assert second._get_connection().connection.session is session
    assert transaction()._connection.session is session
