"""Reconciliation (issue 21): per customer, the money the provider holds (charges − refunds) must equal
the portal's settled payments − refunds, and the credit balance must equal the sum of its movements
and never be negative. A difference is a defect to alarm on, never something to correct silently.

Cost per customer: 1 GetItem (the account) + ⌈movements/100⌉ Queries (credit) + ⌈payments/100⌉
Queries (payments), and ⌈charges/100⌉ provider calls; `reconcile_tenant` adds ⌈payments/100⌉ Queries
of the staff index to find the customers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from services.payments import reconciliation_store
from services.payments.logic.domain import Payment
from services.payments.logic.offline import OFFLINE
from services.payments.provider import Charge, PaymentProvider

SETTLED = frozenset({"succeeded", "partially_refunded", "refunded"})


@dataclass(frozen=True)
class CustomerReconciliation:
    customer_id: str
    provider_net: int  # charges − refunds at the provider, minor units
    portal_net: int  # settled payments − refunds in the portal
    credit_balance: int
    credit_movements: int  # Σ of the movements
    reads: int  # DynamoDB requests it took
    differences: list[str] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return not self.differences


def reconcile_customer(customer_id: str, provider: PaymentProvider) -> CustomerReconciliation:
    listed, payment_queries = reconciliation_store.customer_payments(customer_id)
    # What staff recorded offline is in the payment history too, but no provider ever held it.
    payments = [p for p in listed if p.provider != OFFLINE]
    account, movements, credit_reads = reconciliation_store.customer_credit(customer_id)
    charges: list[Charge] = (
        provider.charges(account.provider_customer_id) if account.provider_customer_id else []
    )
    portal_net = sum(p.amount.amount - p.refunded.amount for p in payments if p.status in SETTLED)
    provider_net = sum(c.net for c in charges)
    balance = account.balance.amount if account.balance else 0
    moved = sum(m.amount.amount for m in movements)
    differences = []
    if provider_net != portal_net:
        differences.append(f"provider holds {provider_net}, the portal's payments − refunds are {portal_net}")
    differences += _payment_differences(payments, charges)
    if balance != moved:
        differences.append(f"credit balance {balance} ≠ Σ movements {moved}")
    if balance < 0:
        differences.append(f"credit balance {balance} is negative")
    return CustomerReconciliation(
        customer_id=customer_id,
        provider_net=provider_net,
        portal_net=portal_net,
        credit_balance=balance,
        credit_movements=moved,
        reads=payment_queries + credit_reads,
        differences=differences,
    )


def _payment_differences(payments: list[Payment], charges: list[Charge]) -> list[str]:
    """Each charge belongs to a settled payment of the same net amount (names the payment at fault)."""
    by_id = {p.payment_id: p for p in payments}
    found = []
    for charge in charges:
        payment = by_id.get(charge.payment_id or "")
        if payment is None:
            found.append(f"charge {charge.id} ({charge.net}) has no payment of this customer")
        elif payment.status not in SETTLED:
            found.append(
                f"payment {payment.payment_id} is {payment.status} but the provider took {charge.net}"
            )
        elif payment.amount.amount - payment.refunded.amount != charge.net:
            found.append(
                f"payment {payment.payment_id}: portal {payment.amount.amount - payment.refunded.amount}, "
                f"provider {charge.net}"
            )
    return found


def reconcile_tenant(provider: PaymentProvider) -> list[CustomerReconciliation]:
    """Every customer that ever paid; only the unbalanced ones need a person."""
    return [reconcile_customer(cid, provider) for cid in reconciliation_store.customers_with_payments()]


def run_daily() -> dict[str, Any]:
    """The scheduled check (PaymentsReconcileFunction, daily; `python -m infra.tenants reconcile` on
    demand): every customer that paid, each difference logged with its customer and counted in the
    metric BooksUnbalanced (→ BooksUnbalancedAlarm). It reports; it corrects nothing."""
    from aws_lambda_powertools.metrics import MetricUnit

    from services.payments import providers
    from services.payments.logic.use_cases import PROVIDER
    from shared.observability import logger, metrics

    results = reconcile_tenant(providers.provider(PROVIDER))
    unbalanced = {r.customer_id: r.differences for r in results if not r.balanced}
    for customer_id, differences in unbalanced.items():
        logger.error(
            "the books do not balance", extra={"customer_id": customer_id, "differences": differences}
        )
    metrics.add_metric(name="BooksUnbalanced", unit=MetricUnit.Count, value=len(unbalanced))
    metrics.flush_metrics()
    return {"customers": len(results), "reads": sum(r.reads for r in results), "unbalanced": unbalanced}
