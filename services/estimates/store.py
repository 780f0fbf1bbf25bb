"""Estimates table: pynamodb models, keys designed for every read, and the outbox.

Projections of other services' facts (customers, settings): `directory_store.py`.
Keys: `ESTIMATE#<id>`/`ESTIMATE` per estimate (GetItem). Sent estimates carry the attributes of three
sparse indexes (drafts carry none, so customers never see them):
  by_customer_date   all of a customer's estimates, by issue date
  by_status_date     one stored status of a customer (`<cid>#<status>`), by issue date
  open_by_expiry     sent and viewed ones by expiry date: expired = expiry_key < today
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pynamodb.attributes import (
    UnicodeAttribute,
)

from services.estimates.directory_store import (  # re-exported: logic reads these copies here
    customer_party as customer_party,
)
from services.estimates.directory_store import tenant_settings as tenant_settings
from services.estimates.logic.domain import OPEN, Estimate
from services.estimates.settings import Settings
from shared import comment_store, forward_store, line_store
from shared.comments import Comment
from shared.dynamo import (
    Paging,
    counter_model,
    next_number,
    outbox_model,
    query_page,
    save_with_outbox,
    sparse_index,
    table_meta,
)
from shared.events import OutboxEvent
from shared.settings import load

TABLE_NAME = load(Settings).estimates_table

ByCustomerDate = sparse_index("by_customer_date", "customer_key", "date_key")
ByStatusDate = sparse_index("by_status_date", "status_key", "date_key")
OpenByExpiry = sparse_index("open_by_expiry", "open_key", "expiry_key")


class EstimateRecord(line_store.PricedRecord):
    Meta = table_meta(TABLE_NAME)

    estimate_id = UnicodeAttribute()
    expiry_date = UnicodeAttribute()
    decline_reason = UnicodeAttribute(null=True)
    answered_by_contact_id = UnicodeAttribute(null=True)
    answered_at = UnicodeAttribute(null=True)
    # sparse index attributes of its own indexes (absent on drafts)
    expiry_key = UnicodeAttribute(null=True)

    by_customer_date = ByCustomerDate()
    by_status_date = ByStatusDate()
    open_by_expiry = OpenByExpiry()


OutboxRecord = outbox_model(TABLE_NAME)
CounterRecord = counter_model(TABLE_NAME)


# ---- mapping -------------------------------------------------------------------------------------


def _record(estimate: Estimate) -> EstimateRecord:
    record = EstimateRecord(
        pk=f"ESTIMATE#{estimate.estimate_id}",
        sk="ESTIMATE",
        estimate_id=estimate.estimate_id,
        status=estimate.status,
        **line_store.record_fields(estimate),
        expiry_date=estimate.expiry_date.isoformat(),
        decline_reason=estimate.decline_reason,
        answered_by_contact_id=estimate.answered_by_contact_id,
        answered_at=estimate.answered_at,
    )
    if estimate.version is not None:
        record.version = estimate.version
    if estimate.status != "draft":
        cid = estimate.customer_id
        record.customer_key = cid
        record.status_key = f"{cid}#{estimate.status}"
        record.date_key = f"{estimate.issue_date.isoformat()}#{estimate.estimate_id}"
        if estimate.status in OPEN:
            record.open_key = cid
            record.expiry_key = f"{estimate.expiry_date.isoformat()}#{estimate.estimate_id}"
    return record


def _estimate(record: EstimateRecord) -> Estimate:
    return Estimate(
        estimate_id=record.estimate_id,
        status=record.status,
        expiry_date=date.fromisoformat(record.expiry_date),
        decline_reason=record.decline_reason,
        answered_by_contact_id=record.answered_by_contact_id,
        answered_at=record.answered_at,
        **line_store.document_fields(record),
    )


# ---- commands ------------------------------------------------------------------------------------


def next_estimate_number() -> str:
    """Human estimate numbers from a tenant-wide counter (EST-000001, …)."""
    return next_number(CounterRecord, "ESTIMATE_NUMBER", "EST-", "an estimate number")


def insert(estimate: Estimate) -> Estimate:
    record = _record(estimate)
    record.save(condition=EstimateRecord.pk.does_not_exist())
    return _estimate(record)


def save_with_event(estimate: Estimate, event: OutboxEvent, now_epoch: int) -> Estimate:
    """The new state (only if nobody changed it since it was read) and its outbox event, in one
    transaction."""
    record = _record(estimate)
    save_with_outbox(
        record,
        OutboxRecord.of(event, now_epoch),
        "This estimate was changed by someone else; reload and try again.",
    )
    return _estimate(record)


# ---- queries -------------------------------------------------------------------------------------


def get(estimate_id: str) -> Estimate | None:
    try:
        return _estimate(EstimateRecord.get(f"ESTIMATE#{estimate_id}", "ESTIMATE"))
    except EstimateRecord.DoesNotExist:
        return None


def list_for_customer(
    customer_id: str, status: str | None, today: date, limit: int, cursor: str | None
) -> tuple[list[Estimate], str | None]:
    """One page, newest first, from the index designed for the filter (one Query)."""
    options: dict[str, Any] = {"scan_index_forward": False}
    if status == "expired":
        index: Any = EstimateRecord.open_by_expiry
        hash_attr, range_attr, hash_value = "open_key", "expiry_key", customer_id
        options["range_key_condition"] = EstimateRecord.expiry_key < today.isoformat()
    elif status is None:
        index = EstimateRecord.by_customer_date
        hash_attr, range_attr, hash_value = "customer_key", "date_key", customer_id
    else:
        index = EstimateRecord.by_status_date
        hash_attr, range_attr, hash_value = "status_key", "date_key", f"{customer_id}#{status}"
        if status in OPEN:  # still open: not past its expiry date
            options["filter_condition"] = EstimateRecord.expiry_date >= today.isoformat()
    # The cursor is bound to this customer's partition of the index: it cannot page anyone else's.
    paging = Paging(keys=("pk", "sk", hash_attr, range_attr), bound={hash_attr: hash_value})
    records, next_cursor = query_page(index.query, hash_value, paging, limit, cursor, **options)
    return [_estimate(record) for record in records], next_cursor


# ---- comment threads (shared/comment_store.py: `ESTIMATE#<id>` / `COMMENT#<created_at>#<comment_id>`) ------


CommentRecord = comment_store.thread_model(TABLE_NAME)


def read_thread(estimate_id: str) -> comment_store.Thread | None:
    """The estimate's owner, status and number with its comments, oldest first: one Query."""
    return comment_store.read_thread(CommentRecord, f"ESTIMATE#{estimate_id}", "ESTIMATE")


def add_comment(estimate_id: str, comment: Comment, event: OutboxEvent, now_epoch: int) -> None:
    comment_store.add_comment(
        CommentRecord, OutboxRecord, f"ESTIMATE#{estimate_id}", comment, event, now_epoch
    )


# ---- forwarding rate limit (shared/forward_store.py: `FORWARDS#<customer_id>` / `RATE`) -------------


ForwardRateRecord = forward_store.rate_model(TABLE_NAME)


def forward_window(customer_id: str) -> forward_store.RateWindow:
    return forward_store.read_window(ForwardRateRecord, customer_id)


def record_forward(
    customer_id: str, read: forward_store.RateWindow, sent_at: list[int], event: OutboxEvent, now_epoch: int
) -> bool:
    return forward_store.record_forward(
        ForwardRateRecord, OutboxRecord, customer_id, read, sent_at, event, now_epoch
    )
