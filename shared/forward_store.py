"""The forwarding rate limit in a document service's own table (used by stores only): one item per
customer holding the times of its forwards in the last hour (a rolling window, exact):

  FORWARDS#<customer_id>  RATE   sent_at [epoch seconds, …], revision, expires_at (TTL)

A forward is recorded by rewriting that item only if nobody else did since it was read (`revision`),
in the same transaction as the forward's outbox event: two requests racing for the last slot cannot
both win, and a refused forward leaves no event behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from pynamodb.attributes import ListAttribute, NumberAttribute

from shared.dynamo import KeyedRecord, OutboxFields, conditional_transaction, table_meta
from shared.events import OutboxEvent

WINDOW_SECONDS = 3600


class ForwardRateFields(KeyedRecord):
    sent_at = ListAttribute(of=NumberAttribute, default=list)
    revision = NumberAttribute(default=0)
    expires_at = NumberAttribute(null=True)


def rate_model(table_name: str) -> type[ForwardRateFields]:
    class ForwardRateRecord(ForwardRateFields):
        Meta = table_meta(table_name)

    return ForwardRateRecord


@dataclass(frozen=True)
class RateWindow:
    sent_at: tuple[int, ...]  # epoch seconds of this customer's forwards, oldest first
    revision: int  # 0: no item yet


def read_window(model: type[ForwardRateFields], customer_id: str) -> RateWindow:
    try:
        item = model.get(f"FORWARDS#{customer_id}", "RATE", consistent_read=True)
    except model.DoesNotExist:
        return RateWindow(sent_at=(), revision=0)
    sent_at = cast(list[int], item.sent_at or [])
    return RateWindow(sent_at=tuple(sorted(int(t) for t in sent_at)), revision=cast(int, item.revision))


def record_forward(
    model: type[ForwardRateFields],
    outbox: type[OutboxFields],
    customer_id: str,
    read: RateWindow,
    sent_at: list[int],
    event: OutboxEvent,
    now_epoch: int,
) -> bool:
    """Save the new window (`sent_at`, this forward included) and the event; False when another
    forward of the customer changed the window since `read` (the caller reads again)."""
    item = model(
        pk=f"FORWARDS#{customer_id}",
        sk="RATE",
        sent_at=sent_at,
        revision=read.revision + 1,
        expires_at=max(sent_at) + WINDOW_SECONDS,
    )
    same = model.pk.does_not_exist() if read.revision == 0 else model.revision == read.revision
    with conditional_transaction() as tx:
        tx.save(item, condition=same)
        tx.save(outbox.of(event, now_epoch), condition=outbox.pk.does_not_exist())
    return tx.committed
