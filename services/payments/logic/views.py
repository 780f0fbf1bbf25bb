"""Domain objects → response shapes and event snapshots, in one place."""

from __future__ import annotations

from typing import Any

from services.payments.logic.domain import CreditMovement, Payment, SavedMethod
from services.payments.schemas import CreditEntry, MethodView, PaymentDetail, PaymentView, RefundView
from shared.money import Money


def payment_view(payment: Payment) -> PaymentView:
    return PaymentView(**_common(payment))


def payment_detail(payment: Payment) -> PaymentDetail:
    return PaymentDetail(
        **_common(payment),
        customer_id=payment.customer_id,
        contact_id=payment.contact_id,
        refunds=[
            RefundView(
                refund_id=r.refund_id,
                amount=r.amount,
                credit_reversed=r.credit_reversed,
                allocations=list(r.allocations),
                reason=r.reason,
                created_at=r.created_at,
            )
            for r in payment.refunds
        ],
    )


def _common(payment: Payment) -> dict[str, Any]:
    succeeded = payment.status in ("succeeded", "partially_refunded", "refunded")
    return {
        "payment_id": payment.payment_id,
        "status": payment.status,
        "kind": payment.kind,
        "amount": payment.amount,
        "method": payment.method,
        "allocations": list(payment.allocations),
        "credit_created": payment.unallocated if succeeded else Money.zero(payment.amount.currency),
        "refunded": payment.refunded,
        "failure_reason": payment.failure_reason,
        "created_at": payment.created_at,
        "updated_at": payment.updated_at,
    }


def snapshot(payment: Payment) -> dict[str, Any]:
    """The PaymentChanged fields of an event about `payment` (its version after this write)."""
    return {
        "payment_id": payment.payment_id,
        "customer_id": payment.customer_id,
        "contact_id": payment.contact_id,
        "status": payment.status,
        "amount": payment.amount,
        "method": payment.method,
        "allocations": list(payment.allocations),
        "unallocated": payment.unallocated,
        "payment_version": payment.payment_version,
    }


def credit_entry(movement: CreditMovement) -> CreditEntry:
    return CreditEntry(
        credit_id=movement.credit_id,
        kind=movement.kind,
        amount=movement.amount,
        payment_id=movement.payment_id,
        invoice_id=movement.invoice_id,
        invoice_number=movement.invoice_number,
        created_at=movement.created_at,
    )


def method_view(method: SavedMethod, default_id: str | None) -> MethodView:
    return MethodView(
        method_id=method.method_id,
        kind=method.kind,
        brand=method.brand,
        last4=method.last4,
        exp_month=method.exp_month,
        exp_year=method.exp_year,
        is_default=method.method_id == default_id,
    )
