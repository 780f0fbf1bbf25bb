"""Auto-charge (portal.subscriptions SubscriptionChargeRequested → PaymentsAutoChargeQueue): a
subscription's invoice is charged to the customer's default saved method, off session, when the
customer turned auto-charge on and the invoice is still open here; the customer's credit pays it
first, the card only what the credit does not cover. The payment is like one a contact
makes with a saved method (claim, intent, outcome, events), without a contact: its PaymentFailed
(contact_id None) is what the subscriptions service counts as a failed auto-charge (dunning).

Exactly once per request: the payment's id is derived from the request id (and is the provider's
idempotency key), so a redelivered request finds its payment and charges nothing again."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from services.payments.logic import credits, use_cases
from services.payments.logic.domain import (
    CustomerAccount,
    InvoiceFacts,
    Payment,
    SavedMethod,
)
from shared.errors import Conflict
from shared.event_models import Allocation, PaymentMethodFacts, SubscriptionChargeRequested
from shared.events import EventData
from shared.ids import utc_now_iso
from shared.lazy import lazy_module
from shared.money import Money
from shared.observability import logger

if TYPE_CHECKING:
    from services.payments import providers, store
else:
    store = lazy_module("services.payments.store")
    providers = lazy_module("services.payments.providers")

# Auto-charge payment ids: uuid5 of the (random) request id under this namespace.
NAMESPACE = uuid.UUID("6f1d2a5e-3c1b-4f7e-9a49-2b8e3f0c7d11")
OPEN = ("sent", "viewed", "partially_paid")


class InvoiceNotKnownYet(Exception):
    """The invoice's own event has not reached this service's copy yet: the request is retried."""


class CreditBeingApplied(Exception):
    """Credit went to the invoice first and the invoice has not recorded it yet: the request is
    retried, and then charges the card only for what the credit did not cover."""


def payment_id_for(request_id: str) -> str:
    return str(uuid.uuid5(NAMESPACE, request_id))


def charge(data: EventData, correlation_id: str | None = None) -> bool:
    """True when a charge was made (whatever its outcome); False when there was nothing to do."""
    if not isinstance(data, SubscriptionChargeRequested):
        raise TypeError(f"auto-charge cannot use {data.detail_type}")
    settings = store.tenant_settings()
    if settings is not None and not settings.preferences.module_enabled("payments"):
        return False
    payment_id = payment_id_for(data.request_id)
    if store.get_payment(payment_id) is not None:
        return False  # redelivered: charged already
    account, found, _ = store.what_a_payment_needs(data.customer_id, [data.invoice_id], None)
    if not account.auto_charge or account.default_method_id is None or account.provider_customer_id is None:
        return False  # auto-charge off, or nothing saved to charge: the invoice waits for the contact
    invoice = found.get(data.invoice_id)
    if invoice is None:
        raise InvoiceNotKnownYet(data.invoice_id)
    if (
        invoice.customer_id != data.customer_id
        or invoice.status not in OPEN
        or invoice.amount_due.amount <= 0
    ):
        return False
    _, _, method = store.what_a_payment_needs(data.customer_id, [], account.default_method_id)
    if method is None:
        return False
    if _paid_by_credit(account, invoice, correlation_id):
        return True
    payment = _payment(payment_id, account, invoice, method)
    description = f"Invoice {invoice.number} (subscription auto-charge)"
    try:
        use_cases.charge_saved_method(
            payment, account.provider_customer_id, method, description, correlation_id
        )
    except Conflict:
        logger.info(
            "auto-charge skipped: the invoice has a payment in progress",
            extra={"invoice": invoice.invoice_id},
        )
        return False
    return True


def _payment(
    payment_id: str, account: CustomerAccount, invoice: InvoiceFacts, method: SavedMethod
) -> Payment:
    now = utc_now_iso()
    return Payment(
        payment_id=payment_id,
        customer_id=account.customer_id,
        contact_id=None,  # nobody at the keyboard: an auto-charge
        status="pending",
        kind="invoice",
        amount=invoice.amount_due,
        method=PaymentMethodFacts(kind=method.kind, brand=method.brand, last4=method.last4),
        allocations=(
            Allocation(
                invoice_id=invoice.invoice_id, invoice_number=invoice.number, amount=invoice.amount_due
            ),
        ),
        unallocated=Money.zero(invoice.amount_due.currency),
        provider=providers.provider(use_cases.PROVIDER).name,
        intent_id=None,
        failure_reason=None,
        refunds=(),
        created_at=now,
        updated_at=now,
        payer=account.display_name,
    )


def _paid_by_credit(account: CustomerAccount, invoice: InvoiceFacts, correlation_id: str | None) -> bool:
    """The customer's credit goes to the invoice before the card (issue 21): True when it paid it all.
    When it paid part, or a credit application holds the invoice, the request is retried
    (CreditBeingApplied) until the invoice took it; then the card pays only the rest."""
    holder = store.claim_holder(invoice.invoice_id)
    if holder is not None and store.get_payment(holder) is None:
        raise CreditBeingApplied(invoice.invoice_id)  # a credit application not yet recorded
    balance = account.balance
    if balance is None or balance.amount <= 0 or balance.currency != invoice.currency:
        return False
    amount = min(balance, invoice.amount_due)
    # a Conflict (the credit or the invoice changed meanwhile) fails the request: it is retried
    credits.commit_application(account, invoice, amount, None, correlation_id)
    if amount.amount < invoice.amount_due.amount:
        raise CreditBeingApplied(invoice.invoice_id)
    return True
