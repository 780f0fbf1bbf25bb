"""Every list route answers a malformed or foreign cursor with 400 `validation_failed`, never a 500,
and writes nothing."""

from __future__ import annotations

import base64
import json

import pytest

from shared.ids import utc_today
from tests.integration.test_notifications import tenant_defaults  # noqa: F401 (autouse fixture)
from tests.support import ApiClient, Customer, PortalHandle, create_invoice


def b64(value: object) -> str:
    raw = value if isinstance(value, bytes) else json.dumps(value).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


BAD = {
    "not base64": "%%%",
    "not json": b64(b"no json here"),
    "deeply nested json": b64(b"[" * 1400),  # under the 2000-character limit, beyond json's recursion
    "a list": b64([1, 2]),
    "nested values": b64({"pk": {"S": "x"}, "sk": {"S": "y"}}),
    "numbers": b64({"pk": 1, "sk": 2}),
}


def _assert_400(response: object) -> None:
    assert response.status_code == 400, response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert response.json["error"]["code"] == "validation_failed"  # type: ignore[attr-defined]


@pytest.mark.parametrize("cursor", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("path", ["/invoices", "/activity"])
def test_customer_lists_refuse_malformed_cursors(customer: Customer, path: str, cursor: str) -> None:
    _assert_400(customer.api.get(path, query_string={"cursor": cursor}))


@pytest.mark.parametrize("cursor", BAD.values(), ids=BAD.keys())
def test_the_staff_feed_refuses_malformed_cursors(staff: ApiClient, cursor: str) -> None:
    _assert_400(staff.get("/staff/activity", query_string={"cursor": cursor}))


def _tampered(cursor: str, **changes: str) -> str:
    fields = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return b64({**fields, **changes})


def test_a_feed_cursor_with_a_unicode_digit_is_400(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    for _ in range(3):
        create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()
    cursor = customer.api.get("/activity?limit=1").json["next_cursor"]
    assert cursor
    assert customer.api.get("/activity", query_string={"limit": 1, "cursor": cursor}).status_code == 200
    _assert_400(customer.api.get("/activity", query_string={"cursor": _tampered(cursor, n="²")}))
    other = portal.new_customer(staff)
    _assert_400(other.api.get("/activity", query_string={"cursor": cursor}))  # another partition


def test_an_invoice_cursor_moved_to_another_partition_is_400(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    for _ in range(3):
        create_invoice(staff, customer.customer_id, utc_today().isoformat())
    cursor = customer.api.get("/invoices?limit=1").json["next_cursor"]
    assert cursor
    other = portal.new_customer(staff)
    moved = _tampered(cursor, customer_key=other.customer_id)
    _assert_400(customer.api.get("/invoices", query_string={"cursor": moved}))
