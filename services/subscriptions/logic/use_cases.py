"""Subscription use cases: staff keep the catalog and the rules and create subscriptions; contacts
list and open theirs, preview a change and apply it (priced now, or at the instant of the server's
preview it names: logic/previews.py, so the applied amounts equal the preview's). No boto3 and no
HTTP here."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from services.subscriptions.logic import directory, previews, views
from services.subscriptions.logic.domain import (
    Catalog,
    Change,
    apply,
    first_period,
)
from services.subscriptions.logic.proration import Line
from services.subscriptions.logic.subscription import Subscription
from services.subscriptions.logic.views import quote, total
from services.subscriptions.schemas import (
    AddAddon,
    AddonOption,
    AddonRequest,
    AddonView,
    ApplyCoupon,
    ChangeApplied,
    ChangePlan,
    ChangePreview,
    ChangeQuantity,
    CouponRequest,
    CouponView,
    CreateSubscriptionRequest,
    PlanOption,
    PlanOptions,
    PlanRequest,
    PlanView,
    Rules,
    SubscriptionDetail,
    SubscriptionPage,
    SubscriptionSummary,
)
from services.subscriptions.schemas import Catalog as CatalogView
from shared.errors import NotFound, ValidationFailed
from shared.event_models import (
    ChargeLine,
    SubscriptionCancelled,
    SubscriptionChanged,
    SubscriptionCreated,
    SubscriptionEvent,
    SubscriptionPaused,
    SubscriptionReactivated,
)
from shared.events import outbox_event
from shared.ids import new_id, utc_now
from shared.lazy import lazy_module
from shared.money import Money
from shared.preferences import require_module
from shared.principal import Principal

if TYPE_CHECKING:
    from services.subscriptions import store
else:  # pynamodb loads on the first request, not at cold start
    store = lazy_module("services.subscriptions.store")

EVENT_OF: dict[str, type[SubscriptionEvent]] = {
    "changed": SubscriptionChanged,
    "paused": SubscriptionPaused,
    "cancelled": SubscriptionCancelled,
    "reactivated": SubscriptionReactivated,
}

# ---- staff: catalog and rules ------------------------------------------------------------------------


def add_plan(request: PlanRequest) -> PlanView:
    if request.max_quantity is not None and request.max_quantity < request.min_quantity:
        raise ValidationFailed(
            "A plan's max_quantity cannot be below its min_quantity.", [{"field": "max_quantity"}]
        )
    if request.pricing == "flat" and (request.min_quantity != 1 or request.max_quantity not in (None, 1)):
        raise ValidationFailed("A flat-priced plan has a quantity of 1.", [{"field": "min_quantity"}])
    plan = PlanView(plan_id=new_id(), **request.model_dump())
    store.add_entry(plan)
    return plan


def add_addon(request: AddonRequest) -> AddonView:
    addon = AddonView(addon_id=new_id(), **request.model_dump())
    store.add_entry(addon)
    return addon


def add_coupon(request: CouponRequest) -> CouponView:
    if (request.percent_bps is None) == (request.amount_off is None):
        raise ValidationFailed(
            "A coupon takes exactly one of percent_bps and amount_off.", [{"field": "percent_bps"}]
        )
    if (request.duration == "cycles") != (request.cycles is not None):
        raise ValidationFailed(
            "A coupon takes cycles with duration 'cycles', and only then.", [{"field": "cycles"}]
        )
    coupon = CouponView(redemptions=0, **request.model_dump())
    store.add_entry(coupon)
    return coupon


def catalog() -> CatalogView:
    plans, addons, coupons = store.list_catalog()
    return CatalogView(plans=plans, addons=addons, coupons=coupons)


def read_rules() -> Rules:
    return store.read_rules()


def save_rules(rules: Rules) -> Rules:
    store.save_rules(rules)
    return rules


# ---- staff: subscriptions ------------------------------------------------------------------------------


def create(request: CreateSubscriptionRequest, correlation_id: str | None = None) -> SubscriptionDetail:
    plan = _plan(request.plan_id, "plan_id")
    directory.require_customer_currency(request.customer_id, plan.currency)
    now = utc_now()
    starts = request.starts_at or now
    if plan.pricing == "flat" and request.quantity != 1:
        raise ValidationFailed("A flat-priced plan has a quantity of 1.", [{"field": "quantity"}])
    sub = Subscription(
        subscription_id=new_id(),
        customer_id=request.customer_id,
        currency=plan.currency,
        status="trial" if plan.trial_days else "live",
        plan_id=plan.plan_id,
        plan_name=plan.name,
        plan_unit_amount=plan.unit_amount,
        interval_months=plan.interval_months,
        quantity=request.quantity,
        started_at=starts,
        anchor=starts,
        trial_ends_at=starts + timedelta(days=plan.trial_days) if plan.trial_days else None,
        setup_fee_due=plan.setup_fee if plan.trial_days else 0,
    )
    with_addons = sub
    for choice in request.addons:
        change = AddAddon(action="add_addon", addon_id=choice.addon_id, quantity=choice.quantity)
        addon = _addon(choice.addon_id)
        if not addon.recurring:
            raise ValidationFailed("Only recurring addons can be part of a new subscription.")
        with_addons = apply(
            with_addons.model_copy(update={"status": "live"}),
            change,
            starts,
            _catalog_for(change, sub),
            Rules(),
        ).after.model_copy(update={"status": sub.status})
    sub = with_addons
    redeemed = None
    if request.coupon_code:
        change_coupon = ApplyCoupon(action="apply_coupon", code=request.coupon_code)
        live = sub.model_copy(update={"status": "live"})
        outcome = apply(live, change_coupon, starts, _catalog_for(change_coupon, sub), Rules())
        sub, redeemed = outcome.after.model_copy(update={"status": sub.status}), outcome.redeemed
    sub, lines = first_period(sub, plan.setup_fee if not plan.trial_days else 0)
    event = event_of(SubscriptionCreated, sub, "created", lines)
    saved = store.save_with_event(sub, outbox_event(event, correlation_id), int(now.timestamp()), redeemed)
    return views.detail(saved, store.read_rules())


def staff_get(subscription_id: str) -> SubscriptionDetail:
    sub, invoices = store.get_with_invoices(subscription_id)
    if sub is None:
        raise NotFound("No subscription with this id.")
    return views.detail(sub, store.read_rules(), invoices)


# ---- customer contacts ------------------------------------------------------------------------------


def list_for_customer(caller: Principal) -> SubscriptionPage:
    customer_id = caller.require_customer()
    require_module("subscriptions", store.tenant_settings)
    return _page(customer_id)


def staff_list(customer_id: str) -> SubscriptionPage:
    """Any customer's subscriptions (an unknown customer simply has none)."""
    return _page(customer_id)


def _page(customer_id: str) -> SubscriptionPage:
    items = []
    for sub in store.list_for_customer(customer_id):
        upcoming = sub.next_invoice()
        items.append(
            SubscriptionSummary(
                subscription_id=sub.subscription_id,
                plan_id=sub.plan_id,
                plan_name=sub.plan_name,
                status=sub.status,
                next_renewal_at=sub.next_renewal_at(),
                next_invoice_amount=total(upcoming, sub.currency) if upcoming else None,
            )
        )
    return SubscriptionPage(items=items)


def view(caller: Principal, subscription_id: str) -> SubscriptionDetail:
    customer_id = caller.require_customer()
    require_module("subscriptions", store.tenant_settings)
    sub, invoices = store.get_with_invoices(subscription_id)
    if sub is None or sub.customer_id != customer_id:
        raise NotFound("No subscription with this id.")
    return views.detail(sub, store.read_rules(), invoices)


def preview(caller: Principal, subscription_id: str, change: Change) -> ChangePreview:
    """What `change` bills if applied now; its id prices the confirmation at this same instant."""
    sub = customer_subscription(caller, subscription_id)
    at = utc_now()
    outcome = apply(sub, change, at, _catalog_for(change, sub), store.read_rules())
    issued = previews.issue(sub, change, at)
    return ChangePreview(
        **quote(change, at, outcome), preview_id=issued.preview_id, expires_at=issued.expires_at
    )


def apply_change(
    caller: Principal, subscription_id: str, change: Change, correlation_id: str | None = None
) -> ChangeApplied:
    sub = customer_subscription(caller, subscription_id)
    at, preview_id = previews.instant_for(sub, change)
    rules = store.read_rules()
    outcome = apply(sub, change, at, _catalog_for(change, sub), rules)
    event_type = EVENT_OF[outcome.kind]
    extra: dict[str, Any] = {}
    if event_type is SubscriptionPaused:
        paused_until = outcome.after.paused_until
        extra["paused_until"] = paused_until.isoformat() if paused_until else None
    if event_type is SubscriptionCancelled:
        extra = {"at_term_end": outcome.after.status == "non_renewing", "reason": outcome.after.cancel_reason}
    event = event_of(event_type, outcome.after, change.action, outcome.lines, **extra)
    saved = store.save_with_event(
        outcome.after,
        outbox_event(event, correlation_id),
        int(utc_now().timestamp()),
        outcome.redeemed,
        preview_id,
    )
    return ChangeApplied(
        **quote(change, at, outcome), charge_id=event.charge_id, subscription=views.detail(saved, rules)
    )


def plan_options(caller: Principal, subscription_id: str) -> PlanOptions:
    """The plans this subscription may move to (same currency and interval), the current one marked,
    and the addons that fit its plan (one Query of the catalog)."""
    sub = customer_subscription(caller, subscription_id)
    plans, addons, _ = store.list_catalog()
    current = next((plan for plan in plans if plan.plan_id == sub.plan_id), None)
    added = {addon.addon_id for addon in sub.addons}
    return PlanOptions(
        plans=[
            PlanOption(
                plan_id=plan.plan_id,
                name=plan.name,
                pricing=plan.pricing,
                unit_amount=Money(amount=plan.unit_amount, currency=plan.currency),
                interval_months=plan.interval_months,
                current=plan.plan_id == sub.plan_id,
            )
            for plan in plans
            if plan.currency == sub.currency and plan.interval_months == sub.interval_months
        ],
        addons=[
            AddonOption(
                addon_id=addon.addon_id,
                name=addon.name,
                pricing=addon.pricing,
                recurring=addon.recurring,
                unit_amount=Money(amount=addon.unit_amount, currency=addon.currency),
                added=addon.addon_id in added,
            )
            for addon in addons
            if addon.currency == sub.currency and (not addon.plan_ids or sub.plan_id in addon.plan_ids)
        ],
        min_quantity=current.min_quantity if current else 1,
        max_quantity=current.max_quantity if current else None,
    )


def customer_subscription(caller: Principal, subscription_id: str) -> Subscription:
    """One of the caller's customer's subscriptions; another customer's is a 404 like a missing one."""
    customer_id = caller.require_customer()
    require_module("subscriptions", store.tenant_settings)
    sub = store.get(subscription_id)
    if sub is None or sub.customer_id != customer_id:
        raise NotFound("No subscription with this id.")
    return sub


# ---- helpers ------------------------------------------------------------------------------------------


def _plan(plan_id: str, field: str) -> PlanView:
    plan = store.get_entry(PlanView, plan_id)
    if plan is None:
        raise ValidationFailed("No plan has this id.", [{"field": field, "message": "unknown"}])
    return plan


def _addon(addon_id: str) -> AddonView:
    addon = store.get_entry(AddonView, addon_id)
    if addon is None:
        raise ValidationFailed("No addon has this id.", [{"field": "addon_id", "message": "unknown"}])
    return addon


def _catalog_for(change: Change, sub: Subscription) -> Catalog:
    """The catalog entries the change names (GetItems), each a 400 when unknown."""
    found = Catalog()
    if isinstance(change, ChangeQuantity):  # its plan's quantity limits
        current = store.get_entry(PlanView, sub.plan_id)
        if current is not None:
            found.plans[sub.plan_id] = current
    if isinstance(change, ChangePlan):
        found.plans[change.plan_id] = _plan(change.plan_id, "plan_id")
    if isinstance(change, AddAddon):
        found.addons[change.addon_id] = _addon(change.addon_id)
    if isinstance(change, ApplyCoupon):
        coupon = store.get_entry(CouponView, change.code)
        if coupon is None:
            raise ValidationFailed("No coupon has this code.", [{"field": "code", "message": "unknown"}])
        found.coupons[change.code] = coupon
    return found


def event_of(
    event_type: type[SubscriptionEvent],
    sub: Subscription,
    action: str,
    lines: list[Line],
    charge_id: str | None = None,
    **extra: Any,
) -> SubscriptionEvent:
    """The event of a change: the subscription after it and the lines it bills (under `charge_id`,
    a new one by default)."""
    renewal = sub.next_renewal_at()
    return event_type(
        subscription_id=sub.subscription_id,
        customer_id=sub.customer_id,
        status=sub.status,
        plan_id=sub.plan_id,
        plan_name=sub.plan_name,
        quantity=sub.quantity,
        currency=sub.currency,
        action=action,
        next_renewal_at=renewal.isoformat() if renewal else None,
        subscription_version=(sub.version or 0) + 1,
        charge_id=(charge_id or new_id()) if lines else None,
        lines=[
            ChargeLine(
                kind=line.kind,
                description=line.description,
                amount=Money(amount=line.amount, currency=sub.currency),
                start=line.start.isoformat(),
                end=line.end.isoformat(),
            )
            for line in lines
        ],
        **extra,
    )
