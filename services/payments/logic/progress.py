"""Moving a payment forward from what the provider says its intent is now (never from the order the
webhooks came in), and the credit a payment creates. Each change, the claims it releases, a credit
balance change and their events are one transaction; a lost race re-reads and tries again."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from services.payments.logic import rules
from services.payments.logic.domain import BalanceChange, CreditMovement, Payment
from services.payments.logic.views import snapshot
from shared.errors import Conflict
from shared.event_models import CreditCreated, PaymentFailed, PaymentMethodFacts, PaymentSucceeded
from shared.events import OutboxEvent, outbox_event
from shared.ids import new_id, utc_now, utc_now_iso
from shared.lazy import lazy_module
from shared.money import Money

if TYPE_CHECKING:
    from services.payments import store
    from services.payments.provider import Intent, MethodFacts
else:
    store = lazy_module("services.payments.store")

TRIES = 5


def now_epoch() -> int:
    return int(utc_now().timestamp())


def method_facts(method: MethodFacts | None, fallback: PaymentMethodFacts) -> PaymentMethodFacts:
    if method is None:
        return fallback
    return PaymentMethodFacts(kind=method.kind, brand=method.brand, last4=method.last4)


def apply_intent(payment: Payment, intent: Intent, correlation_id: str | None = None) -> Payment:
    """The payment as the intent now says it is; unchanged when the intent says nothing new (an
    older or repeated event) or names another payment."""
    for _ in range(TRIES):
        if intent.payment_id not in (None, payment.payment_id):
            return payment
        new_status = rules.status_of_intent(intent.status, intent.failure_message)
        method = method_facts(intent.method, payment.method)
        if new_status == payment.status == "pending" and method != payment.method:
            # Still waiting (a debit clearing, 3-D Secure), now with the method the contact chose.
            noted = dataclasses.replace(
                payment, method=method, intent_id=payment.intent_id or intent.id, updated_at=utc_now_iso()
            )
            if store.save_change(noted, [], now_epoch()):
                return noted
            payment = store.get_payment(payment.payment_id) or payment
            continue
        if not rules.may_move(payment.status, new_status):
            return payment
        changed = dataclasses.replace(
            payment,
            status=new_status,
            method=method,
            intent_id=payment.intent_id or intent.id,
            failure_reason=_reason(new_status, intent.failure_message),
            updated_at=utc_now_iso(),
        )
        if _save(changed, correlation_id):
            if new_status == "failed":
                _stop_intent(payment.provider, intent.id)
            return changed
        fresh = store.get_payment(payment.payment_id)
        if fresh is None:  # pragma: no cover - payments are never deleted
            return payment
        payment = fresh
    raise Conflict("The payment changed too often at once; it will be retried.")


def _reason(status: str, message: str | None) -> str | None:
    if status == "failed":
        return message or "The payment was declined."
    if status == "cancelled":
        return message or "The payment was cancelled."
    return None


def _save(payment: Payment, correlation_id: str | None) -> bool:
    events: list[OutboxEvent] = []
    release: list[str] = []
    balance = None
    if payment.status == "succeeded":
        events.append(outbox_event(PaymentSucceeded(**snapshot(payment)), correlation_id))
        if payment.unallocated.amount > 0:
            balance, credit_event = credit_from(payment, payment.unallocated, correlation_id)
            events.append(credit_event)
    else:  # failed or cancelled: the invoices may be paid again
        reason = payment.failure_reason or "The payment did not go through."
        events.append(outbox_event(PaymentFailed(**snapshot(payment), failure_reason=reason), correlation_id))
        release = [a.invoice_id for a in payment.allocations]
    return bool(store.save_change(payment, events, now_epoch(), release=release, balance=balance))


def credit_from(
    payment: Payment, amount: Money, correlation_id: str | None
) -> tuple[BalanceChange, OutboxEvent]:
    """The customer's credit grows by `amount` from `payment` (read the balance now; the write
    checks it did not change)."""
    account = store.account(payment.customer_id)
    before = account.balance or Money.zero(amount.currency)
    movement = CreditMovement(
        credit_id=new_id(),
        kind="created",
        amount=amount,
        payment_id=payment.payment_id,
        invoice_id=None,
        invoice_number=None,
        created_at=utc_now_iso(),
    )
    after = before + amount
    change = BalanceChange(movement=movement, balance_after=after, version_before=account.balance_version)
    event = CreditCreated(
        credit_id=movement.credit_id,
        customer_id=payment.customer_id,
        amount=amount,
        balance=after,
        balance_version=account.balance_version + 1,
        payment_id=payment.payment_id,
    )
    return change, outbox_event(event, correlation_id)


def _stop_intent(provider_name: str, intent_id: str) -> None:
    """A failed payment's intent is cancelled at the provider, so a later confirm of the same client
    secret cannot take money for a payment the portal already called failed."""
    from services.payments.providers import provider
    from shared.observability import logger

    try:
        provider(provider_name).cancel_intent(intent_id)
    except Exception:  # the failure is recorded; the provider expires unconfirmed intents anyway
        logger.warning("could not cancel a failed intent", extra={"intent_id": intent_id})
