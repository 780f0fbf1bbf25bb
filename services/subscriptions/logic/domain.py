"""Subscriptions, pure: every change a contact can make to a subscription (logic/subscription.py),
priced by proration.py. No I/O: the use cases load the catalog and the rules,
call `apply`, and store the outcome with its event.

Status: trial → live ⇄ non_renewing (cancel at term end / reactivate); live ⇄ paused; any → cancelled
(cancel now, or a trial cancelled); cancelled → live (reactivate: a new period from that instant).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Literal

from services.subscriptions.logic.proration import Line, Period, change_lines, coupon_share
from services.subscriptions.logic.subscription import (
    AppliedCoupon,
    SubscribedAddon,
    Subscription,
    on_plan,
    used,
)
from services.subscriptions.schemas import (
    AddAddon,
    AddonView,
    ApplyCoupon,
    Cancel,
    CancelTrial,
    ChangePlan,
    ChangeQuantity,
    ConvertTrial,
    CouponView,
    ExtendTrial,
    Pause,
    PlanView,
    Reactivate,
    RemoveAddon,
    Resume,
    Rules,
)
from shared.errors import Conflict, DomainError, ValidationFailed

ChangeKind = Literal["changed", "paused", "cancelled", "reactivated"]


class RuleForbids(DomainError):
    """A tenant rule forbids the action: 403 naming the rule."""

    status = 403
    code = "forbidden_by_rule"

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message, {"rule": rule})


@dataclass
class Catalog:
    """The catalog entries a change names (looked up by the use case)."""

    plans: dict[str, PlanView] = field(default_factory=dict)
    addons: dict[str, AddonView] = field(default_factory=dict)
    coupons: dict[str, CouponView] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    after: Subscription
    lines: list[Line]
    kind: ChangeKind
    redeemed: str | None = None  # a coupon code redeemed by this change (its counter goes up)


Change = (
    ChangePlan
    | ChangeQuantity
    | AddAddon
    | RemoveAddon
    | ApplyCoupon
    | Cancel
    | Reactivate
    | Pause
    | Resume
    | ConvertTrial
    | ExtendTrial
    | CancelTrial
)


def allowed_actions(sub: Subscription, rules: Rules) -> list[str]:
    """What the page may offer (the rest is hidden; the API answers 403/409 for it anyway)."""
    actions: list[str] = []
    if sub.status in ("live", "non_renewing"):
        actions += ["change_plan", "quantity", "add_addon", "remove_addon", "apply_coupon"]
    if sub.status == "live":
        if rules.cancel_at_term_end:
            actions.append("cancel_term_end")
        if rules.pause:
            actions.append("pause")
    if sub.status in ("live", "non_renewing", "paused") and rules.cancel_now:
        actions.append("cancel_now")
    if sub.status in ("non_renewing", "cancelled"):
        actions.append("reactivate")
    if sub.status == "paused":
        actions.append("resume")
    if sub.status == "trial":
        actions += ["convert_trial", "cancel_trial"]
        if sub.trial_extended_days < rules.trial_extension_days:
            actions.append("extend_trial")
    return actions


def apply(sub: Subscription, change: Change, at: datetime, catalog: Catalog, rules: Rules) -> Outcome:
    """The subscription after `change` at instant `at`, and what that bills now."""
    if isinstance(change, ConvertTrial | ExtendTrial | CancelTrial):
        return _trial(sub, change, at, rules)
    if isinstance(change, Cancel):
        return _cancel(sub, change, at, rules)
    if isinstance(change, Reactivate):
        return _reactivate(sub, at)
    if isinstance(change, Pause | Resume):
        return _pause(sub, change, at, rules)
    return _change_items(sub, change, at, catalog, rules)


# ---- plan, quantity, addons, coupon --------------------------------------------------------------


def _current_period(sub: Subscription, at: datetime) -> Period | None:
    """The paid period `at` falls in; a renewal not yet run (or one run ahead of this instant) is a
    409 to retry, never a change priced against the wrong period."""
    period = sub.period()
    if period is not None and not period.start <= at <= period.end:
        raise Conflict("This subscription is being renewed; reload and try again in a moment.")
    return period


def _change_items(sub: Subscription, change: Change, at: datetime, catalog: Catalog, rules: Rules) -> Outcome:
    period = _current_period(sub, at)
    if period is None:
        raise Conflict(f"A {sub.status} subscription cannot be changed; only a live one can.")
    if isinstance(change, ApplyCoupon):
        return _apply_coupon(sub, catalog.coupons[change.code], at)
    one_off: list[Line] = []
    if isinstance(change, ChangePlan):
        plan = catalog.plans[change.plan_id]
        if plan.currency != sub.currency or plan.interval_months != sub.interval_months:
            raise ValidationFailed(
                "A plan change keeps the currency and the billing interval; this plan has another.",
                [{"field": "plan_id", "message": "another currency or interval"}],
            )
        after = on_plan(sub, plan, _fit(sub.quantity, plan))
    elif isinstance(change, ChangeQuantity):
        current_plan = catalog.plans.get(sub.plan_id)
        if current_plan is not None:
            _check_quantity(change.quantity, current_plan)
        if sub.scheduled_plan is not None and sub.scheduled_plan.pricing == "per_unit":
            # the downgrade waiting for the term's end keeps this quantity: it must fit it too
            _check_quantity(change.quantity, sub.scheduled_plan, "The plan scheduled for the term's end")
        after = sub.model_copy(update={"quantity": change.quantity})
    elif isinstance(change, AddAddon):
        after, one_off = _add_addon(sub, change, catalog.addons[change.addon_id], at)
    else:
        assert isinstance(change, RemoveAddon)
        if all(a.addon_id != change.addon_id for a in sub.addons):
            raise Conflict("This subscription has no such addon.")
        after = sub.model_copy(update={"addons": [a for a in sub.addons if a.addon_id != change.addon_id]})

    old_total = sum(item.amount for item in sub.items())
    new_total = sum(item.amount for item in after.items())
    if new_total < old_total and isinstance(change, ChangePlan) and rules.downgrade == "term_end":
        # the downgrade waits for the renewal: nothing billed now
        return Outcome(
            sub.model_copy(update={"scheduled_plan": catalog.plans[change.plan_id]}), [], "changed"
        )
    if isinstance(change, ChangePlan):  # a new plan choice replaces a downgrade waiting for the term end
        after = after.model_copy(update={"scheduled_plan": None})
    prorated = change_lines(sub.items(), after.items(), period, at, sub.coupon_now(), sub.paid_shares())
    return Outcome(_billed_change(sub, after, prorated), prorated + one_off, "changed")


def _apply_coupon(sub: Subscription, coupon: CouponView, at: datetime) -> Outcome:
    _check_coupon(coupon, sub, at)
    applied = AppliedCoupon(
        code=coupon.code,
        percent_bps=coupon.percent_bps,
        amount_off=coupon.amount_off.amount if coupon.amount_off else None,
        cycles_left={"once": 1, "cycles": coupon.cycles, "forever": None}[coupon.duration],
    )
    # a coupon applies from the next bill: this period was billed already (its credits keep the
    # discount they were billed with)
    after = sub.model_copy(update={"coupon": applied, "redeemed": [*sub.redeemed, coupon.code]})
    return Outcome(after, [], "changed", redeemed=coupon.code)


def _add_addon(
    sub: Subscription, change: AddAddon, addon: AddonView, at: datetime
) -> tuple[Subscription, list[Line]]:
    """The subscription with a recurring addon (prorated by the caller), or a one-off charge now."""
    if (addon.plan_ids and sub.plan_id not in addon.plan_ids) or addon.currency != sub.currency:
        raise ValidationFailed("This addon does not fit this subscription's plan.")
    scheduled = sub.scheduled_plan
    if addon.recurring and addon.plan_ids and scheduled and scheduled.plan_id not in addon.plan_ids:
        raise ValidationFailed("This addon does not fit the plan scheduled for the term's end.")
    quantity = change.quantity if addon.pricing == "per_unit" else 1
    if not addon.recurring:  # billed once, now, in full
        amount = addon.unit_amount * quantity
        return sub, [Line("charge", addon.name, amount, at, at, f"addon:{addon.addon_id}")]
    kept = [a for a in sub.addons if a.addon_id != addon.addon_id]
    added = SubscribedAddon(
        addon_id=addon.addon_id, name=addon.name, unit_amount=addon.unit_amount, quantity=quantity
    )
    return sub.model_copy(update={"addons": [*kept, added]}), []


def _billed_change(sub: Subscription, after: Subscription, prorated: list[Line]) -> Subscription:
    """After a prorated change: kept items keep the discounted share they were billed with, new ones
    take the share the coupon took off their charges now, and a coupon that applied used a cycle."""
    share = coupon_share(prorated)
    kept, before = set(sub.items()), sub.paid_shares()
    shares = {
        item.key: before.get(item.key, Fraction(0)) if item in kept else share for item in after.items()
    }
    after = after.with_shares(shares)
    return after.model_copy(update={"coupon": used(sub.coupon)}) if share else after


def _fit(quantity: int, plan: PlanView) -> int:
    if plan.pricing == "flat":
        return 1
    _check_quantity(quantity, plan)
    return quantity


def _check_quantity(quantity: int, plan: PlanView, which: str = "This plan") -> None:
    if plan.pricing == "flat" and quantity != 1:
        raise ValidationFailed("A flat-priced plan has a quantity of 1.", [{"field": "quantity"}])
    high = plan.max_quantity
    if quantity < plan.min_quantity or (high is not None and quantity > high):
        raise ValidationFailed(
            f"{which} takes {plan.min_quantity} to {high or 'any number of'} units.",
            [{"field": "quantity", "message": "out of range"}],
        )


def _check_coupon(coupon: CouponView, sub: Subscription, at: datetime) -> None:
    if coupon.expires_on is not None and at.date() > coupon.expires_on:
        raise ValidationFailed("This coupon has expired.", [{"field": "code", "message": "expired"}])
    if coupon.plan_ids and sub.plan_id not in coupon.plan_ids:
        raise ValidationFailed("This coupon is not valid for this plan.", [{"field": "code"}])
    if coupon.amount_off is not None and coupon.amount_off.currency != sub.currency:
        raise ValidationFailed("This coupon is in another currency.", [{"field": "code"}])
    if coupon.code in sub.redeemed or (sub.coupon is not None and sub.coupon.code == coupon.code):
        raise Conflict("This coupon was already redeemed on this subscription.")
    if coupon.max_redemptions is not None and coupon.redemptions >= coupon.max_redemptions:
        raise Conflict("This coupon has been used up.")
    if sub.coupon is not None and sub.coupon.cycles_left != 0:
        raise Conflict("This subscription already has a coupon.")


# ---- cancel, reactivate, pause, resume -------------------------------------------------------------


def _cancel(sub: Subscription, change: Cancel, at: datetime, rules: Rules) -> Outcome:
    if change.when == "term_end":
        if not rules.cancel_at_term_end:
            raise RuleForbids("cancel_at_term_end", "Cancelling at the end of the term is not allowed here.")
        if sub.status != "live":
            raise Conflict(
                f"Only a live subscription can be set to end with its term; this one is {sub.status}."
            )
        after = sub.model_copy(update={"status": "non_renewing", "cancel_reason": change.reason})
        return Outcome(after, [], "cancelled")
    if not rules.cancel_now:
        raise RuleForbids(
            "cancel_now", "Cancelling at once is not allowed here; cancel at the end of the term."
        )
    if sub.status not in ("live", "non_renewing", "paused"):
        raise Conflict(f"This subscription is {sub.status}; it cannot be cancelled now.")
    period = _current_period(sub, at)
    lines = change_lines(sub.items(), [], period, at, None, sub.paid_shares()) if period else []
    after = sub.model_copy(
        update={"status": "cancelled", "cancel_reason": change.reason, "scheduled_plan": None}
    )
    return Outcome(after, lines, "cancelled")


def _reactivate(sub: Subscription, at: datetime) -> Outcome:
    if sub.status == "non_renewing":
        return Outcome(sub.model_copy(update={"status": "live", "cancel_reason": None}), [], "reactivated")
    if sub.status != "cancelled":
        raise Conflict(
            f"Only a non-renewing or cancelled subscription can be reactivated; this one is {sub.status}."
        )
    return Outcome(*_restart(sub, at, cancel_reason=None), "reactivated")


def _pause(sub: Subscription, change: Pause | Resume, at: datetime, rules: Rules) -> Outcome:
    if isinstance(change, Resume):
        if sub.status != "paused":
            raise Conflict(f"Only a paused subscription can be resumed; this one is {sub.status}.")
        return Outcome(*_restart(sub, at, paused_until=None), "reactivated")
    if not rules.pause:
        raise RuleForbids("pause", "Pausing subscriptions is not allowed here.")
    if sub.status != "live":
        raise Conflict(f"Only a live subscription can be paused; this one is {sub.status}.")
    if change.until is not None and change.until <= at.date():
        raise ValidationFailed(
            "Pause until a later date.", [{"field": "until", "message": "not in the future"}]
        )
    period = _current_period(sub, at)
    assert period is not None
    lines = change_lines(sub.items(), [], period, at, None, sub.paid_shares())  # unused time back
    return Outcome(sub.model_copy(update={"status": "paused", "paused_until": change.until}), lines, "paused")


def _restart(sub: Subscription, at: datetime, **updates: object) -> tuple[Subscription, list[Line]]:
    """A new first period from `at`, billed whole now (a resumed, reactivated or converted
    subscription), with a setup fee still due (a trial's), which is then paid: billed once."""
    after = sub.model_copy(
        update={
            "status": "live",
            "anchor": at,
            "period_index": 0,
            "trial_ends_at": None,
            "setup_fee_due": 0,
            **updates,
        }
    )
    after, lines = after.billed_whole()
    if sub.setup_fee_due:
        lines.append(Line("charge", "Setup fee", sub.setup_fee_due, at, at))
    return after, lines


# ---- trials ------------------------------------------------------------------------------------------


def _trial(
    sub: Subscription, change: ConvertTrial | ExtendTrial | CancelTrial, at: datetime, rules: Rules
) -> Outcome:
    if sub.status != "trial":
        raise Conflict(f"This subscription is not in a trial; it is {sub.status}.")
    assert sub.trial_ends_at is not None
    if isinstance(change, CancelTrial):
        return Outcome(
            sub.model_copy(update={"status": "cancelled", "cancel_reason": "trial cancelled"}),
            [],
            "cancelled",
        )
    if isinstance(change, ExtendTrial):
        if sub.trial_extended_days + change.days > rules.trial_extension_days:
            left = rules.trial_extension_days - sub.trial_extended_days
            raise RuleForbids(
                "trial_extension_days", f"A trial can be extended by {left} more day(s) at most here."
            )
        after = sub.model_copy(
            update={
                "trial_ends_at": sub.trial_ends_at + timedelta(days=change.days),
                "trial_extended_days": sub.trial_extended_days + change.days,
                "trial_reminded": False,
            }
        )
        return Outcome(after, [], "changed")
    return Outcome(*_restart(sub, at), "changed")


def first_period(sub: Subscription, setup_fee: int) -> tuple[Subscription, list[Line]]:
    """What a new subscription bills at once — nothing in a trial, else its first period (the coupon's
    cycle used if it applied) and setup fee — and the subscription after it."""
    if sub.period() is None:
        return sub, []
    after, lines = sub.billed_whole()
    if setup_fee:
        period = sub.period()
        assert period is not None
        lines.append(Line("charge", "Setup fee", setup_fee, period.start, period.start))
    return after, lines
