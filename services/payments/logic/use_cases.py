"""Payment use cases: preview, pay (exactly once), list, open, receipt; staff list and refund. No boto3
and no HTTP here — state goes through `store`, money through `provider`, events through the outbox."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING, Any

from services.payments.logic import progress, rules
from services.payments.logic.domain import BalanceChange, CreditMovement, InvoiceFacts, Payment, RefundRecord
from services.payments.logic.views import payment_detail, payment_view, snapshot
from services.payments.schemas import (
    AllocationPreview,
    ListPaymentsQuery,
    PaymentDetail,
    PaymentPage,
    PaymentRequest,
    PaymentStarted,
    RefundRequest,
    StaffListPaymentsQuery,
)
from shared.customer_directory import require_same_currency
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.event_models import (
    Allocation,
    CreditReversed,
    PaymentMethodFacts,
    PaymentPending,
    PaymentRefunded,
)
from shared.events import outbox_event
from shared.ids import new_id, utc_now, utc_now_iso
from shared.lazy import lazy_module
from shared.money import Money
from shared.observability import logger
from shared.preferences import PortalPreferences, require_action, require_module
from shared.principal import Principal

if TYPE_CHECKING:
    from services.payments import providers, store
    from services.payments.logic.domain import CustomerAccount, SavedMethod
else:  # pynamodb and the provider SDK load on the first request, not at cold start
    store = lazy_module("services.payments.store")
    providers = lazy_module("services.payments.providers")

PROVIDER = "stripe"
NO_PAYMENT = "No payment with this id."
OPEN = ("sent", "viewed", "partially_paid")


def _customer_prefs(caller: Principal, action: str | None = None) -> tuple[str, PortalPreferences]:
    customer_id = caller.require_customer()
    preferences = require_module("payments", store.tenant_settings)
    if action:
        require_action(action, store.tenant_settings)
    return customer_id, preferences


def check_allowed(caller: Principal, action: str | None = None) -> None:
    """The payments module (and `action`) is on for this portal — checked before a body is read."""
    _customer_prefs(caller, action)


def check_can_pay(caller: Principal) -> None:
    check_allowed(caller, "pay_invoices")


# ---- planning -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Prepared:
    plan: rules.Plan
    account: CustomerAccount
    method: SavedMethod | None


def _prepare(customer_id: str, request: PaymentRequest, preferences: PortalPreferences) -> Prepared:
    ids = [i.invoice_id for i in request.invoices]
    if len(set(ids)) != len(ids):
        raise ValidationFailed("Each invoice may appear once in a payment.")
    if request.all_outstanding and ids:
        raise ValidationFailed("Choose invoices or all outstanding ones, not both.")
    account, found, method = store.what_a_payment_needs(customer_id, ids, request.method_id)
    if request.method_id and method is None:
        raise NotFound("No saved payment method with this id.")
    if request.all_outstanding:
        invoices = store.open_invoices(customer_id)
        if not invoices:
            raise ValidationFailed("There are no outstanding invoices to pay.")
    else:
        invoices = [_payable(found.get(iid), customer_id) for iid in ids]
    currency = invoices[0].currency if invoices else account.currency
    if currency is None:
        raise ValidationFailed("This account has no currency yet; try again in a moment.")
    # An invoice in another currency (raised before the one-currency rule) would leave its
    # overpayment as credit the customer's balance cannot hold, after the provider took the money.
    require_same_currency(account.currency, currency)
    parts = rules.PartRules(
        preferences.action_allowed("partial_payments"), preferences.payments.partial_minimum
    )
    chosen = {i.invoice_id: i.amount for i in request.invoices if i.amount is not None}
    open_invoices = [rules.OpenInvoice(i.invoice_id, i.number, i.issue_date, i.amount_due) for i in invoices]
    plan = rules.allocate(rules.oldest_first(open_invoices), chosen, request.amount, currency, parts)
    return Prepared(plan, account, method)


def _payable(invoice: InvoiceFacts | None, customer_id: str) -> InvoiceFacts:
    # Another customer's invoice is indistinguishable from a missing one.
    if invoice is None or invoice.customer_id != customer_id:
        raise NotFound("No invoice with this id.")
    if invoice.status not in OPEN or invoice.amount_due.amount <= 0:
        raise ValidationFailed(f"Invoice {invoice.number} is not open for payment ({invoice.status}).")
    return invoice


def _allocations(plan: rules.Plan) -> list[Allocation]:
    return [
        Allocation(invoice_id=s.invoice_id, invoice_number=s.number, amount=s.amount) for s in plan.shares
    ]


def preview(caller: Principal, request: PaymentRequest) -> AllocationPreview:
    customer_id, preferences = _customer_prefs(caller, "pay_invoices")
    plan = _prepare(customer_id, request, preferences).plan
    provider = providers.provider(PROVIDER)
    return AllocationPreview(
        total=plan.total,
        allocations=_allocations(plan),
        credit=plan.credit,
        partial_allowed=preferences.action_allowed("partial_payments"),
        partial_minimum=Money(amount=preferences.payments.partial_minimum, currency=plan.total.currency),
        publishable_key=provider.publishable_key,
        js_url=provider.js_url,
    )


# ---- paying -------------------------------------------------------------------------------------


def pay(caller: Principal, request: PaymentRequest, correlation_id: str | None = None) -> dict[str, Any]:
    """Start a payment: the provider's intent (keyed by the new payment id) and, in one transaction,
    the claims on its invoices, the payment and its PaymentPending — in the order that can never
    take money twice (see below). Run once per Idempotency-Key by `idempotency.run_once`."""
    customer_id, preferences = _customer_prefs(caller, "pay_invoices")
    prepared = _prepare(customer_id, request, preferences)
    plan, method = prepared.plan, prepared.method
    provider = providers.provider(PROVIDER)
    provider_customer = prepared.account.provider_customer_id or _provider_customer(caller, prepared.account)
    now = utc_now_iso()
    facts = (
        PaymentMethodFacts(kind=method.kind, brand=method.brand, last4=method.last4)
        if method
        else PaymentMethodFacts(kind="card")
    )
    payment = Payment(
        payment_id=new_id(),
        customer_id=customer_id,
        contact_id=caller.contact_id,
        status="pending",
        kind="invoice" if plan.shares else "advance",
        amount=plan.total,
        method=facts,
        allocations=tuple(_allocations(plan)),
        unallocated=plan.credit,
        provider=provider.name,
        intent_id=None,
        failure_reason=None,
        refunds=(),
        created_at=now,
        updated_at=now,
        payer=prepared.account.display_name,
    )
    numbers = ", ".join(a.invoice_number for a in payment.allocations)
    description = f"Invoices {numbers}" if numbers else "Advance payment"
    if method is None:
        # The browser confirms it: an intent nobody has the client secret of yet cannot take money, so
        # it is made first and the payment is written with its id (one write, not two). If the claim
        # is lost, the unused intent is cancelled.
        intent = provider.create_intent(
            payment.payment_id, payment.amount, provider_customer, None, description
        )
        payment = dataclasses.replace(payment, intent_id=intent.id)
        try:
            payment = _start(payment, correlation_id)
        except Conflict:
            _cancel_quietly(intent.id)
            raise
    else:
        payment, intent = charge_saved_method(payment, provider_customer, method, description, correlation_id)
    started = PaymentStarted(
        payment=payment_detail(payment),
        client_secret=intent.client_secret,
        publishable_key=provider.publishable_key,
        js_url=provider.js_url,
    )
    return started.model_dump(mode="json")


def charge_saved_method(
    payment: Payment,
    provider_customer: str,
    method: SavedMethod,
    description: str,
    correlation_id: str | None,
) -> tuple[Payment, Any]:
    """A saved method is charged as the intent is made: claim the invoices first (Conflict when a
    payment holds one), then the intent, then its outcome (the payment and the provider's intent)."""
    provider = providers.provider(PROVIDER)
    payment = _start(payment, correlation_id)
    try:
        intent = provider.create_intent(
            payment.payment_id, payment.amount, provider_customer, method.provider_method_id, description
        )
    except Exception:
        _give_up(payment, correlation_id)
        raise
    moved = progress.apply_intent(payment, intent, correlation_id)  # its outcome is known now
    if moved.intent_id is None:  # still pending (3-D Secure): keep the intent's id
        store.set_intent(payment, intent.id, None)
        moved = dataclasses.replace(payment, intent_id=intent.id, version=(payment.version or 0) + 1)
    return moved, intent


def _start(payment: Payment, correlation_id: str | None) -> Payment:
    """Claim the invoices with the payment and its PaymentPending; when a claim is held by a payment
    that is settled, or that its contact abandoned (never confirmed, older than STALE_AFTER_SECONDS),
    the claim is freed first (see `_free_claim`) and taken over."""
    pending = [outbox_event(PaymentPending(**snapshot(payment)), correlation_id)]
    try:
        return store.start_payment(payment, pending, progress.now_epoch())
    except Conflict:
        if not any([_free_claim(a.invoice_id) for a in payment.allocations]):
            raise
    return store.start_payment(payment, pending, progress.now_epoch())


STALE_AFTER_SECONDS = 30 * 60
# A webhook normally lands within seconds; a payment still pending after this while its intent
# succeeded lost its event (or its recording failed): it is recorded when someone meets its claim.
UNRECORDED_AFTER_SECONDS = 2 * 60
UNCONFIRMED = ("requires_payment_method", "requires_confirmation", "requires_action")


def _free_claim(invoice_id: str) -> bool:
    """Whether the claim on the invoice was freed. A claim never outlives a payment settled without
    money (failed, cancelled). A pending payment whose intent succeeded is recorded now (money the
    provider took is never left unrecorded; its claim goes when the invoice records it). An
    abandoned one is cancelled at the provider first, so its client secret can no longer pay."""
    holder_id = store.claim_holder(invoice_id)
    holder = store.get_payment(holder_id) if holder_id else None
    if holder is None:
        return False
    if holder.status in ("failed", "cancelled"):
        return store.release_claim(invoice_id, holder.payment_id)
    if holder.status != "pending" or holder.intent_id is None:
        return False
    age = utc_now().timestamp() - datetime.fromisoformat(holder.created_at).timestamp()
    if age < min(STALE_AFTER_SECONDS, UNRECORDED_AFTER_SECONDS):
        return False
    provider = providers.provider(holder.provider)
    intent = provider.get_intent(holder.intent_id)
    if intent.status == "succeeded":
        logger.error("a succeeded payment was still pending; recording it", extra={"payment_id": holder_id})
        progress.apply_intent(holder, intent)
        return False
    if age < STALE_AFTER_SECONDS or intent.status not in UNCONFIRMED:
        return False  # processing, or still the contact's: the provider has it; its webhook decides
    cancelled = provider.cancel_intent(holder.intent_id)
    return progress.apply_intent(holder, cancelled).status == "cancelled"


def _cancel_quietly(intent_id: str) -> None:
    try:
        providers.provider(PROVIDER).cancel_intent(intent_id)
    except Exception:  # never confirmable without its client secret, which nobody received
        logger.warning("could not cancel an unused intent", extra={"intent_id": intent_id})


def _provider_customer(caller: Principal, account: CustomerAccount) -> str:
    provider = providers.provider(PROVIDER)
    created = provider.create_customer(
        account.customer_id, account.email or caller.email or "", account.display_name or account.customer_id
    )
    return str(store.set_provider_customer(account.customer_id, created))


def _give_up(payment: Payment, correlation_id: str | None) -> None:
    """The provider could not start the intent: nothing was charged; the invoices are free again."""
    failed = dataclasses.replace(
        payment,
        status="failed",
        failure_reason="The payment provider could not be reached; nothing was charged.",
        updated_at=utc_now_iso(),
    )
    from services.payments.logic.progress import _save

    _save(failed, correlation_id)


# ---- reading ------------------------------------------------------------------------------------


def list_for_customer(caller: Principal, query: ListPaymentsQuery) -> PaymentPage:
    customer_id, _ = _customer_prefs(caller)
    payments, cursor = store.list_for_customer(
        customer_id, query.kind, query.sort == "amount", query.order == "desc", query.limit, query.cursor
    )
    return PaymentPage(items=[payment_view(p) for p in payments], next_cursor=cursor)


def own_payment(caller: Principal, payment_id: str) -> Payment:
    customer_id, _ = _customer_prefs(caller)
    payment = store.get_payment(payment_id)
    if payment is None or payment.customer_id != customer_id:
        raise NotFound(NO_PAYMENT)
    return payment


def get_for_customer(caller: Principal, payment_id: str) -> PaymentDetail:
    return payment_detail(own_payment(caller, payment_id))


def staff_list(query: StaffListPaymentsQuery) -> PaymentPage:
    payments, cursor = store.list_all(query.order == "desc", query.limit, query.cursor)
    return PaymentPage(items=[payment_view(p) for p in payments], next_cursor=cursor)


# ---- refund (staff) -------------------------------------------------------------------------------


def refund(payment_id: str, request: RefundRequest, correlation_id: str | None = None) -> PaymentDetail:
    payment = store.get_payment(payment_id)
    if payment is None:
        raise NotFound(NO_PAYMENT)
    if payment.status not in ("succeeded", "partially_refunded") or payment.intent_id is None:
        raise Conflict("Only a succeeded payment can be refunded.")
    unsettled = [a.invoice_number for a in payment.allocations if a.invoice_id not in payment.released]
    if unsettled:  # until then, what each invoice took (and what became credit) is not known
        raise Conflict(
            f"The payment is still being recorded on {', '.join(unsettled)}; try again in a moment."
        )
    left = payment.amount - payment.refunded
    amount = Money(amount=request.amount, currency=left.currency) if request.amount else left
    if amount.amount <= 0 or left < amount:
        raise ValidationFailed(f"At most {left.display()} of this payment can still be refunded.")
    account = store.account(payment.customer_id)
    credit_reversed_before = sum(r.credit_reversed.amount for r in payment.refunds)
    credit_left = min(
        payment.unallocated.amount - credit_reversed_before, account.balance.amount if account.balance else 0
    )
    refunded_before: dict[str, int] = {}
    for earlier in payment.refunds:
        for share in earlier.allocations:
            refunded_before[share.invoice_id] = refunded_before.get(share.invoice_id, 0) + share.amount.amount
    shares = [rules.Share(a.invoice_id, a.invoice_number, a.amount) for a in payment.allocations]
    split = rules.split_refund(
        amount, shares, refunded_before, Money(amount=credit_left, currency=amount.currency)
    )
    # The provider's idempotency key: the n-th refund of this payment. A retry after a refund the
    # provider made but this service could not record (or two staff at once) meets the same refund.
    refund_id = f"{payment.payment_id}-refund-{len(payment.refunds) + 1}"
    providers.provider(payment.provider).refund(payment.intent_id, amount, refund_id)
    now = utc_now_iso()
    record = RefundRecord(
        refund_id=refund_id,
        amount=amount,
        credit_reversed=split.credit_reversed,
        allocations=tuple(
            Allocation(invoice_id=s.invoice_id, invoice_number=s.number, amount=s.amount)
            for s in split.shares
        ),
        reason=request.reason,
        created_at=now,
    )
    changed = dataclasses.replace(payment, refunds=(*payment.refunds, record), updated_at=now)
    changed = dataclasses.replace(changed, status=rules.refunded_status(changed.amount, changed.refunded))
    events = [
        outbox_event(
            PaymentRefunded(
                **snapshot(changed),
                refund_id=refund_id,
                refund_amount=amount,
                refund_allocations=list(record.allocations),
                credit_reversed=split.credit_reversed,
                reason=request.reason,
            ),
            correlation_id,
        )
    ]
    balance = None
    if split.credit_reversed.amount > 0:
        before = account.balance or Money.zero(amount.currency)
        after = before - split.credit_reversed
        balance = BalanceChange(
            movement=CreditMovement(
                credit_id=new_id(),
                kind="reversed",
                amount=Money(amount=-split.credit_reversed.amount, currency=amount.currency),
                payment_id=payment.payment_id,
                invoice_id=None,
                invoice_number=None,
                created_at=now,
            ),
            balance_after=after,
            version_before=account.balance_version,
        )
        reversed_event = CreditReversed(
            credit_id=balance.movement.credit_id,
            customer_id=payment.customer_id,
            amount=balance.movement.amount,
            balance=after,
            balance_version=account.balance_version + 1,
            payment_id=payment.payment_id,
            refund_id=refund_id,
        )
        events.append(outbox_event(reversed_event, correlation_id))
    if not store.save_change(changed, events, progress.now_epoch(), balance=balance):
        # The provider refund is keyed by refund_id; a retry of this request makes a new one only
        # after a reload shows what was recorded.
        raise Conflict("The payment or the customer's credit changed meanwhile; reload and try again.")
    return payment_detail(changed)
