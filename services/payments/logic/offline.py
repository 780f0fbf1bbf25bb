"""Payments staff recorded outside the portal (bank transfer, check …: the invoices service's
InvoicePaymentRecorded of kind `offline`), kept among this service's payments so that a customer's
payment history and receipts hold every payment. A projection only: no provider (so no refund through
one), no event, no claim and no credit — the invoice has already counted it. Dated by the day it was
paid, as on the statement."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.payments.logic.domain import Payment
from shared.event_models import Allocation, InvoicePaymentRecorded, PaymentMethodFacts
from shared.ids import utc_now_iso
from shared.lazy import lazy_module
from shared.money import Money

if TYPE_CHECKING:
    from services.payments import offline_store, store
else:
    store = lazy_module("services.payments.store")
    offline_store = lazy_module("services.payments.offline_store")

OFFLINE = "offline"  # the payment's `provider`: none


def record_offline_payment(data: InvoicePaymentRecorded) -> bool:
    """The offline payment as a succeeded payment of its invoice, once (False: it is there already)."""
    now = utc_now_iso()
    payment = Payment(
        payment_id=data.payment_id,
        customer_id=data.customer_id,
        contact_id=None,
        status="succeeded",
        kind="invoice",
        amount=data.payment_amount,
        method=PaymentMethodFacts(kind="offline", brand=data.method.replace("_", " ")),
        allocations=(
            Allocation(invoice_id=data.invoice_id, invoice_number=data.number, amount=data.payment_amount),
        ),
        unallocated=Money.zero(data.payment_amount.currency),
        provider=OFFLINE,
        intent_id=None,
        failure_reason=None,
        refunds=(),
        created_at=f"{data.paid_on}T00:00:00.000Z" if data.paid_on else now,
        updated_at=now,
        released=(data.invoice_id,),  # it never held a claim
        payer=store.account(data.customer_id).display_name,
    )
    return offline_store.project_offline_payment(payment)
