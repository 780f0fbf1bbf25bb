"""A subscription change that nets to a credit (a downgrade now, cancel now, pause: the unused time of
what was paid, from the subscriptions service's SubscriptionChanged|Paused|Cancelled with a `charge_id`
and lines summing below zero) becomes an open credit note for that customer, exactly once per charge
id: a redelivered event finds the charge's marker and changes nothing. The note is issued with its
CreditNoteIssued (outbox) in the same transaction, so the contacts are told as of any credit note, and
it can be applied to the next invoice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.credit_notes.logic.use_cases import events, new_note, snapshot
from shared.event_models import CreditNoteIssued, SubscriptionEvent
from shared.events import EventData
from shared.ids import utc_now
from shared.lazy import lazy_module
from shared.line_schemas import LineInput

if TYPE_CHECKING:
    from services.credit_notes import store
else:
    store = lazy_module("services.credit_notes.store")


def credit_charge(data: EventData) -> bool:
    """True when a credit note was issued; False when there was nothing to credit or it was already."""
    if not isinstance(data, SubscriptionEvent):
        raise TypeError(f"credit notes cannot credit {data.detail_type}")
    net = sum(line.amount.amount for line in data.lines)
    if data.charge_id is None or net >= 0:
        return False
    if store.credit_note_of_charge(data.charge_id) is not None:
        return False  # checked before a number is taken, so a redelivery leaves no gap in numbering
    start, end = data.lines[0].start[:10], max(line.end for line in data.lines)[:10]
    line = LineInput(
        description=f"Unused time on subscription {data.plan_name} ({start} – {end})",
        quantity=1,
        unit_price=-net,
    )
    reason = f"Subscription {data.plan_name}: {data.action.replace('_', ' ')}"
    note = new_note(data.customer_id, data.currency, [line], reason)
    [issued] = events(CreditNoteIssued(**snapshot(note), request_id=None))
    return store.insert_from_charge(note, data.charge_id, issued, int(utc_now().timestamp()))
