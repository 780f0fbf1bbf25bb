"""Credit: what the customer has with the business (over- and advance payments), where each credit
went, and applying it to an invoice (the invoice is claimed like a payment would claim it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.payments.logic.domain import BalanceChange, CreditMovement, CustomerAccount, InvoiceFacts
from services.payments.logic.progress import now_epoch
from services.payments.logic.use_cases import _customer_prefs, _payable
from services.payments.logic.views import credit_entry
from services.payments.schemas import ApplyCreditRequest, CreditApplication, CreditsView
from services.payments.schemas import CreditNoteCredit as CreditNoteCreditView
from shared.errors import ValidationFailed
from shared.event_models import Allocation, CreditApplied, CreditReturned, InvoicePaymentRecorded
from shared.events import outbox_event
from shared.ids import new_id, utc_now_iso
from shared.lazy import lazy_module
from shared.money import Money
from shared.principal import Principal

if TYPE_CHECKING:
    from services.payments import store
else:
    store = lazy_module("services.payments.store")


def view(caller: Principal) -> CreditsView:
    customer_id, _ = _customer_prefs(caller)
    account, movements, notes = store.credits(customer_id)
    total = account.balance
    for note in notes:  # a customer has one currency: a note in another is not this credit
        if total is None or note.remaining.currency == total.currency:
            total = note.remaining if total is None else total + note.remaining
    return CreditsView(
        balance=total,
        payments_credit=account.balance,
        credit_notes=[
            CreditNoteCreditView(credit_note_id=n.credit_note_id, number=n.number, remaining=n.remaining)
            for n in notes
        ],
        entries=[credit_entry(m) for m in movements],
    )


def settle_application(data: InvoicePaymentRecorded) -> bool:
    """The invoice recorded a credit application (`data.payment_id`): release its claim, and what the
    invoice did not take (it was paid meanwhile) returns to the balance in the same transaction.
    True when settled (or settled before); False when a race was lost (read again and retry)."""
    claim = store.claim(data.invoice_id)
    if claim is None or claim[0] != data.payment_id:
        return True  # settled before: the claim goes with the first settlement
    applied = store.credit_movement(data.customer_id, claim[1], data.payment_id)
    short = -applied.amount.amount - data.payment_amount.amount if applied is not None else 0
    if short <= 0:
        store.release_claim(data.invoice_id, data.payment_id)
        return True
    account = store.account(data.customer_id)
    returned = Money(amount=short, currency=data.payment_amount.currency)
    after = (account.balance or Money.zero(returned.currency)) + returned
    movement = CreditMovement(
        credit_id=new_id(),
        kind="returned",
        amount=returned,
        payment_id=None,
        invoice_id=data.invoice_id,
        invoice_number=data.number,
        created_at=utc_now_iso(),
    )
    event = CreditReturned(
        credit_id=movement.credit_id,
        customer_id=data.customer_id,
        amount=returned,
        balance=after,
        balance_version=account.balance_version + 1,
        application_id=data.payment_id,
        invoice_id=data.invoice_id,
    )
    change = BalanceChange(movement=movement, balance_after=after, version_before=account.balance_version)
    return store.return_credit(
        data.customer_id, data.invoice_id, data.payment_id, change, outbox_event(event), now_epoch()
    )


def apply(
    caller: Principal, request: ApplyCreditRequest, correlation_id: str | None = None
) -> CreditApplication:
    customer_id, _ = _customer_prefs(caller, "apply_credits")
    account, found, _ = store.what_a_payment_needs(customer_id, [request.invoice_id], None)
    invoice = _payable(found.get(request.invoice_id), customer_id)
    balance = account.balance
    if balance is None or balance.amount <= 0 or balance.currency != invoice.currency:
        raise ValidationFailed("There is no credit to apply to this invoice.")
    wanted = request.amount or min(balance.amount, invoice.amount_due.amount)
    if wanted > balance.amount or wanted > invoice.amount_due.amount:
        raise ValidationFailed(
            f"At most {min(balance, invoice.amount_due).display()} of credit can be applied to this invoice."
        )
    amount = Money(amount=wanted, currency=invoice.currency)
    return commit_application(account, invoice, amount, caller.contact_id, correlation_id)


def commit_application(
    account: CustomerAccount,
    invoice: InvoiceFacts,
    amount: Money,
    contact_id: str | None,
    correlation_id: str | None,
) -> CreditApplication:
    """`amount` of the account's credit to the invoice: the movement, the balance, the invoice's claim
    and CreditApplied in one transaction (a Conflict if the credit or the claim changed meanwhile)."""
    balance = account.balance or Money.zero(amount.currency)
    application_id = new_id()
    movement = CreditMovement(
        credit_id=application_id,
        kind="applied",
        amount=Money(amount=-amount.amount, currency=amount.currency),
        payment_id=None,
        invoice_id=invoice.invoice_id,
        invoice_number=invoice.number,
        created_at=utc_now_iso(),
    )
    after = balance - amount
    allocation = Allocation(invoice_id=invoice.invoice_id, invoice_number=invoice.number, amount=amount)
    event = CreditApplied(
        credit_id=application_id,
        customer_id=account.customer_id,
        amount=amount,
        balance=after,
        balance_version=account.balance_version + 1,
        application_id=application_id,
        allocation=allocation,
        contact_id=contact_id,
    )
    change = BalanceChange(movement=movement, balance_after=after, version_before=account.balance_version)
    store.apply_credit(
        account.customer_id, invoice.invoice_id, change, outbox_event(event, correlation_id), now_epoch()
    )
    return CreditApplication(application_id=application_id, allocation=allocation, balance=after)
