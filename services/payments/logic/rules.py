"""Payment rules, pure (no I/O): how a payment is split over invoices, how a refund is taken back,
and which way a payment's status may move.

Allocation (`allocate`):
- Invoices are paid in the order given to `allocate`: the caller passes them oldest first (issue
  date, then id) unless the contact chose amounts, in which case each invoice gets exactly its chosen
  amount.
- Without chosen amounts each invoice is paid in full; with a payment `amount` the money runs over
  the invoices oldest first until it is used up, the last one touched may be paid in part.
- A part payment (less than the invoice's amount due) needs the tenant's `partial_payments` action
  and at least `partial_minimum` minor units (paying a whole amount due smaller than that is fine).
- No invoice gets more than its amount due. What is left of `amount` after the invoices becomes the
  customer's credit (an advance payment is all credit).

Refund (`split_refund`): a refund first takes back the credit this payment created (as far as the
customer still has it), then the invoices' shares newest first (the last invoice paid is the first
reopened), never more than an invoice received from this payment less what was refunded before.

Status (`next_status`): forward only. pending → succeeded | failed | cancelled; succeeded →
partially_refunded | refunded; partially_refunded → partially_refunded | refunded. An older or
repeated provider event can never move a payment back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from shared.errors import Forbidden, ValidationFailed
from shared.money import Money

MAX_INVOICES = 50
MAX_AMOUNT = 99_999_999  # one payment's ceiling (the schemas' too)


@dataclass(frozen=True)
class OpenInvoice:
    invoice_id: str
    number: str
    issue_date: str
    amount_due: Money


@dataclass(frozen=True)
class Share:
    """What one invoice receives from a payment (or a refund gives back)."""

    invoice_id: str
    number: str
    amount: Money


@dataclass(frozen=True)
class Plan:
    total: Money
    shares: tuple[Share, ...]
    credit: Money  # what is left over: the customer's credit


@dataclass(frozen=True)
class PartRules:
    allowed: bool
    minimum: int


def oldest_first(invoices: Sequence[OpenInvoice]) -> list[OpenInvoice]:
    return sorted(invoices, key=lambda i: (i.issue_date, i.invoice_id))


def allocate(
    invoices: Sequence[OpenInvoice],
    chosen: Mapping[str, int],
    amount: int | None,
    currency: str,
    parts: PartRules,
) -> Plan:
    """Split a payment over `invoices` (in the order to pay them) — see the module docstring."""
    for invoice in invoices:
        if invoice.amount_due.currency != currency:
            raise ValidationFailed("All invoices of one payment must be in the same currency.")
    if amount is not None and not 0 < amount <= MAX_AMOUNT:
        raise ValidationFailed("The amount must be more than zero.", [{"field": "amount", "message": "> 0"}])
    if not invoices:
        if amount is None:
            raise ValidationFailed("Choose invoices to pay or an amount to pay in advance.")
        return Plan(Money(amount=amount, currency=currency), (), Money(amount=amount, currency=currency))
    for invoice in invoices:
        if invoice.amount_due.amount <= 0:
            raise ValidationFailed(f"Invoice {invoice.number} has nothing left to pay.")
    if chosen:
        shares = [_chosen_share(invoice, chosen.get(invoice.invoice_id), parts) for invoice in invoices]
        paid = sum(s.amount.amount for s in shares)
        if amount is not None and amount < paid:
            raise ValidationFailed("The amount is less than the amounts chosen for the invoices.")
    else:
        left = amount if amount is not None else sum(i.amount_due.amount for i in invoices)
        shares = []
        for invoice in invoices:
            if left <= 0:
                break
            part = min(left, invoice.amount_due.amount)
            shares.append(_checked_share(invoice, part, parts))
            left -= part
        paid = sum(s.amount.amount for s in shares)
    total = amount if amount is not None else paid
    return Plan(
        total=Money(amount=total, currency=currency),
        shares=tuple(shares),
        credit=Money(amount=total - paid, currency=currency),
    )


def _chosen_share(invoice: OpenInvoice, chosen: int | None, parts: PartRules) -> Share:
    part = invoice.amount_due.amount if chosen is None else chosen
    if part > invoice.amount_due.amount:
        raise ValidationFailed(
            f"Invoice {invoice.number} has {invoice.amount_due.display()} due; pay at most that "
            "(a larger payment amount becomes credit).",
            [{"field": "invoices", "message": "more than the amount due"}],
        )
    return _checked_share(invoice, part, parts)


def _checked_share(invoice: OpenInvoice, part: int, parts: PartRules) -> Share:
    due = invoice.amount_due.amount
    if part < due:
        if not parts.allowed:
            raise Forbidden(f"Invoice {invoice.number} can only be paid in full in this portal.")
        if part < parts.minimum:
            minimum = Money(amount=parts.minimum, currency=invoice.amount_due.currency)
            raise ValidationFailed(
                f"A part payment must be at least {minimum.display()}.",
                [{"field": "amount", "message": "below the part-payment minimum"}],
            )
    if part <= 0:
        raise ValidationFailed("Each invoice's amount must be more than zero.")
    return Share(invoice.invoice_id, invoice.number, Money(amount=part, currency=invoice.amount_due.currency))


@dataclass(frozen=True)
class RefundSplit:
    credit_reversed: Money
    shares: tuple[Share, ...]


def split_refund(
    refund: Money,
    shares: Sequence[Share],
    refunded_before: Mapping[str, int],
    credit_left: Money,
) -> RefundSplit:
    """Credit first (at most `credit_left`: this payment's credit the customer still has), then the
    invoices newest first; `shares` are the payment's allocations in the order they were paid."""
    left = refund.amount
    from_credit = min(left, max(credit_left.amount, 0))
    left -= from_credit
    back: list[Share] = []
    for share in reversed(shares):
        if left <= 0:
            break
        room = share.amount.amount - refunded_before.get(share.invoice_id, 0)
        part = min(left, room)
        if part > 0:
            back.append(Share(share.invoice_id, share.number, Money(amount=part, currency=refund.currency)))
            left -= part
    if left > 0:
        most = Money(amount=refund.amount - left, currency=refund.currency)
        raise ValidationFailed(
            f"At most {most.display()} of this payment can be refunded now: the rest became credit "
            "the customer has already used (or was refunded before).",
            [{"field": "amount", "message": "more than what is left to refund"}],
        )
    return RefundSplit(Money(amount=from_credit, currency=refund.currency), tuple(back))


# ---- status ------------------------------------------------------------------------------------

FORWARD: dict[str, set[str]] = {
    "pending": {"succeeded", "failed", "cancelled"},
    "succeeded": {"partially_refunded", "refunded"},
    "partially_refunded": {"partially_refunded", "refunded"},
    "failed": set(),
    "cancelled": set(),
    "refunded": set(),
}


def may_move(current: str, new: str) -> bool:
    return new in FORWARD.get(current, set())


def status_of_intent(intent_status: str, failure_message: str | None) -> str:
    """Our payment status for the provider intent's status."""
    if intent_status == "succeeded":
        return "succeeded"
    if intent_status == "canceled":
        return "cancelled"
    if intent_status == "requires_payment_method" and failure_message:
        return "failed"  # a declined attempt: the intent waits for another method, we do not
    return "pending"


def refunded_status(amount: Money, refunded: Money) -> str:
    return "refunded" if refunded.amount >= amount.amount else "partially_refunded"
