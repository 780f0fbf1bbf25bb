"""The receipt of a succeeded payment as a PDF (shared.pdf): the business (from this service's copy
of the business profile), the payer, the payment, its allocation and the credit it created."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.payments.logic.domain import Payment
from services.payments.logic.use_cases import own_payment
from shared.business import BusinessFacts
from shared.errors import NotFound
from shared.lazy import lazy_module
from shared.preferences import load_settings
from shared.principal import Principal

if TYPE_CHECKING:
    from services.payments import store
else:
    store = lazy_module("services.payments.store")

PAID = ("succeeded", "partially_refunded", "refunded")


def receipt(caller: Principal, payment_id: str) -> bytes:
    payment = own_payment(caller, payment_id)
    if payment.status not in PAID:
        raise NotFound("This payment has no receipt (it has not succeeded).")
    # The settings copy as every request reads it (cached per container): the receipt costs one read.
    settings = load_settings(store.tenant_settings)
    business = BusinessFacts.model_validate_json(settings.business_json) if settings.business_json else None
    return render(payment, business, payment.payer or payment.customer_id, caller.email)


def render(payment: Payment, business: BusinessFacts | None, payer: str, payer_email: str | None) -> bytes:
    from shared.pdf import Column, PdfDocument

    pdf = PdfDocument(f"Receipt {payment.payment_id}", business)
    pdf.heading("RECEIPT", f"Payment {payment.payment_id}", f"Date {payment.created_at[:10]}")
    pdf.party("Paid by", payer, payer_email)
    method = payment.method
    method_text = " ".join(p for p in (method.brand, f"•••• {method.last4}" if method.last4 else None) if p)
    pdf.key_values(
        [
            ("Method", method_text or method.kind.replace("_", " ")),
            ("Status", payment.status.replace("_", " ")),
        ]
    )
    if payment.allocations:
        pdf.table(
            [Column("Invoice", 3), Column("Amount", 2, "R")],
            [[a.invoice_number, a.amount.display()] for a in payment.allocations],
        )
    lines = []
    if payment.unallocated.amount:
        lines.append(("Credit created", payment.unallocated.display()))
    if payment.refunds:
        lines.append(("Refunded", payment.refunded.display()))
    lines.append(("Total paid", payment.amount.display()))
    pdf.totals(lines)
    return pdf.output()
