"""Subscriptions, pure: the subscription as stored, its items (what a period bills), and every change
a contact can make, priced by proration.py. No I/O: the use cases load the catalog and the rules,
call `apply`, and store the outcome with its event.

Status: trial → live ⇄ non_renewing (cancel at term end / reactivate); live ⇄ paused; any → cancelled
(cancel now, or a trial cancelled); cancelled → live (reactivate: a new period from that instant).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from pydantic import BaseModel

from services.subscriptions.logic.proration import (
    Coupon,
    Item,
    Line,
    Period,
    change_lines,
    period_at,
    renewal_lines,
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

TRIAL_REMINDER = timedelta(days=3)  # TrialEnding this long before a trial ends
Status = Literal["trial", "live", "non_renewing", "paused", "cancelled", "unpaid"]
# Auto-charge retries after the first failure, in days from it; a failure after the last one: unpaid.
RETRY_DAYS = (1, 3, 5)
ChangeKind = Literal["changed", "paused", "cancelled", "reactivated"]


class RuleForbids(DomainError):
    """A tenant rule forbids the action: 403 naming the rule."""

    status = 403
    code = "forbidden_by_rule"

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message, {"rule": rule})


class SubscribedAddon(BaseModel):
    addon_id: str
    name: str
    unit_amount: int
    quantity: int


class AppliedCoupon(BaseModel):
    code: str
    percent_bps: int | None
    amount_off: int | None
    cycles_left: int | None  # None: forever; 0: used up


class Dunning(BaseModel):
    """The auto-charge of one invoice that failed: how often, and when it is tried again."""

    invoice_id: str
    invoice_number: str
    amount: int  # what was due at the last failure
    first_failed_at: datetime
    failures: int
    next_retry_at: datetime | None  # None: a retry was asked for (waiting), or none is left
    counted: list[str] = []  # the failed payments counted (a redelivered failure counts once)

    def after_failure(self, payment_id: str, at: datetime) -> Dunning:
        failures = self.failures + 1
        retry = (
            self.first_failed_at + timedelta(days=RETRY_DAYS[failures - 1])
            if failures <= len(RETRY_DAYS)
            else None
        )
        return self.model_copy(
            update={"failures": failures, "next_retry_at": retry, "counted": [*self.counted, payment_id]}
        )


class Subscription(BaseModel):
    subscription_id: str
    customer_id: str
    currency: str
    status: Status
    plan_id: str
    plan_name: str
    plan_unit_amount: int  # the price this subscription pays (kept when the catalog changes)
    interval_months: int
    quantity: int
    addons: list[SubscribedAddon] = []
    coupon: AppliedCoupon | None = None
    started_at: datetime
    anchor: datetime  # periods follow it: period_at(anchor, interval_months, period_index)
    period_index: int = 0
    trial_ends_at: datetime | None = None
    trial_extended_days: int = 0
    trial_reminded: bool = False  # TrialEnding was sent for the current trial end
    paused_until: date | None = None
    scheduled_plan: PlanView | None = None  # a downgrade for the term's end
    cancel_reason: str | None = None
    setup_fee_due: int = 0  # billed with the first paid period (at the trial's conversion)
    dunning: Dunning | None = None  # a failed auto-charge being retried
    version: int | None = None

    def period(self) -> Period | None:
        """The paid period running now (None in a trial, paused or cancelled)."""
        if self.status in ("live", "non_renewing"):
            return period_at(self.anchor, self.interval_months, self.period_index)
        return None

    def items(self) -> list[Item]:
        items = [Item("plan", self.plan_name, self.plan_unit_amount, self.quantity)]
        items += [Item(f"addon:{a.addon_id}", a.name, a.unit_amount, a.quantity) for a in self.addons]
        return items

    def coupon_now(self) -> Coupon | None:
        return _coupon(self.coupon)

    def next_renewal_at(self) -> datetime | None:
        if self.status == "trial":
            return self.trial_ends_at
        if self.status == "live":
            period = self.period()
            return period.end if period else None
        return None

    def due_at(self) -> datetime | None:
        """The next instant the renewal job acts on: a renewal, a trial's end, a term-end
        cancellation, a dated pause's end, an auto-charge retry (None: nothing is due)."""
        retry = self.dunning.next_retry_at if self.dunning else None
        lifecycle = self._lifecycle_due()
        if retry is not None and (lifecycle is None or retry <= lifecycle):
            return retry
        return lifecycle

    def retry_due(self, at: datetime) -> bool:
        """The instant `at` is an auto-charge retry's (it comes before any other step due then)."""
        return (
            self.dunning is not None
            and self.dunning.next_retry_at is not None
            and self.dunning.next_retry_at <= at
        )

    def _lifecycle_due(self) -> datetime | None:
        if self.status == "paused":
            return datetime.combine(self.paused_until, time(), UTC) if self.paused_until else None
        if self.status == "non_renewing":
            period = self.period()
            return period.end if period else None
        if self.status == "trial" and not self.trial_reminded and self.trial_ends_at is not None:
            return max(self.trial_ends_at - TRIAL_REMINDER, self.started_at)
        return self.next_renewal_at()

    def next_invoice(self) -> list[Line]:
        """What the next renewal will bill (nothing when it will not renew)."""
        at = self.next_renewal_at()
        if at is None:
            return []
        renewed = self.renewed()
        period = renewed.period()
        assert period is not None
        lines = renewal_lines(renewed.items(), period, _coupon(self.coupon))
        if self.setup_fee_due:
            lines.append(Line("charge", "Setup fee", self.setup_fee_due, period.start, period.start))
        return lines

    def renewed(self) -> Subscription:
        """The subscription in its next period: a scheduled downgrade applied, the coupon's cycle used."""
        if self.status == "trial":
            assert self.trial_ends_at is not None
            return self.model_copy(
                update={
                    "status": "live",
                    "anchor": self.trial_ends_at,
                    "period_index": 0,
                    "trial_ends_at": None,
                    "setup_fee_due": 0,
                    "coupon": used(self.coupon),
                }
            )
        updated = self.model_copy(update={"period_index": self.period_index + 1, "coupon": used(self.coupon)})
        if self.scheduled_plan is not None:
            updated = _on_plan(updated, self.scheduled_plan, self.quantity).model_copy(
                update={"scheduled_plan": None}
            )
        return updated


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
        coupon = catalog.coupons[change.code]
        _check_coupon(coupon, sub, at)
        applied = AppliedCoupon(
            code=coupon.code,
            percent_bps=coupon.percent_bps,
            amount_off=coupon.amount_off.amount if coupon.amount_off else None,
            cycles_left={"once": 1, "cycles": coupon.cycles, "forever": None}[coupon.duration],
        )
        # a coupon applies from the next invoice: this period was billed already
        return Outcome(sub.model_copy(update={"coupon": applied}), [], "changed", redeemed=coupon.code)
    one_off: list[Line] = []
    if isinstance(change, ChangePlan):
        plan = catalog.plans[change.plan_id]
        if plan.currency != sub.currency or plan.interval_months != sub.interval_months:
            raise ValidationFailed(
                "A plan change keeps the currency and the billing interval; this plan has another.",
                [{"field": "plan_id", "message": "another currency or interval"}],
            )
        after = _on_plan(sub, plan, _fit(sub.quantity, plan))
    elif isinstance(change, ChangeQuantity):
        current_plan = catalog.plans.get(sub.plan_id)
        if current_plan is not None:
            _check_quantity(change.quantity, current_plan)
        after = sub.model_copy(update={"quantity": change.quantity})
    elif isinstance(change, AddAddon):
        addon = catalog.addons[change.addon_id]
        if (addon.plan_ids and sub.plan_id not in addon.plan_ids) or addon.currency != sub.currency:
            raise ValidationFailed("This addon does not fit this subscription's plan.")
        quantity = change.quantity if addon.pricing == "per_unit" else 1
        if not addon.recurring:  # billed once, now, in full
            amount = addon.unit_amount * quantity
            one_off = [Line("charge", addon.name, amount, at, at, f"addon:{addon.addon_id}")]
            after = sub
        else:
            kept = [a for a in sub.addons if a.addon_id != addon.addon_id]
            added = SubscribedAddon(
                addon_id=addon.addon_id, name=addon.name, unit_amount=addon.unit_amount, quantity=quantity
            )
            after = sub.model_copy(update={"addons": [*kept, added]})
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
    after = after.model_copy(update={"scheduled_plan": None})
    lines = change_lines(sub.items(), after.items(), period, at, sub.coupon_now()) + one_off
    return Outcome(after, lines, "changed")


def _on_plan(sub: Subscription, plan: PlanView, quantity: int) -> Subscription:
    return sub.model_copy(
        update={
            "plan_id": plan.plan_id,
            "plan_name": plan.name,
            "plan_unit_amount": plan.unit_amount,
            "quantity": quantity if plan.pricing == "per_unit" else 1,
        }
    )


def _fit(quantity: int, plan: PlanView) -> int:
    if plan.pricing == "flat":
        return 1
    _check_quantity(quantity, plan)
    return quantity


def _check_quantity(quantity: int, plan: PlanView) -> None:
    if plan.pricing == "flat" and quantity != 1:
        raise ValidationFailed("A flat-priced plan has a quantity of 1.", [{"field": "quantity"}])
    high = plan.max_quantity
    if quantity < plan.min_quantity or (high is not None and quantity > high):
        raise ValidationFailed(
            f"This plan takes {plan.min_quantity} to {high or 'any number of'} units.",
            [{"field": "quantity", "message": "out of range"}],
        )


def _check_coupon(coupon: CouponView, sub: Subscription, at: datetime) -> None:
    if coupon.expires_on is not None and at.date() > coupon.expires_on:
        raise ValidationFailed("This coupon has expired.", [{"field": "code", "message": "expired"}])
    if coupon.plan_ids and sub.plan_id not in coupon.plan_ids:
        raise ValidationFailed("This coupon is not valid for this plan.", [{"field": "code"}])
    if coupon.amount_off is not None and coupon.amount_off.currency != sub.currency:
        raise ValidationFailed("This coupon is in another currency.", [{"field": "code"}])
    if coupon.max_redemptions is not None and coupon.redemptions >= coupon.max_redemptions:
        raise Conflict("This coupon has been used up.")
    if sub.coupon is not None and sub.coupon.cycles_left != 0:
        raise Conflict("This subscription already has a coupon.")


def used(applied: AppliedCoupon | None) -> AppliedCoupon | None:
    """The coupon after one more invoice used it."""
    if applied is None or not applied.cycles_left:
        return applied
    return applied.model_copy(update={"cycles_left": applied.cycles_left - 1})


def _coupon(applied: AppliedCoupon | None) -> Coupon | None:
    if applied is None or applied.cycles_left == 0:
        return None
    return Coupon(applied.code, applied.percent_bps, applied.amount_off)


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
    lines = change_lines(sub.items(), [], period, at, sub.coupon_now()) if period else []
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
    lines = change_lines(sub.items(), [], period, at, sub.coupon_now())  # the unused time comes back
    return Outcome(sub.model_copy(update={"status": "paused", "paused_until": change.until}), lines, "paused")


def _restart(sub: Subscription, at: datetime, **updates: object) -> tuple[Subscription, list[Line]]:
    """A new first period from `at`, billed whole now (a resumed or reactivated subscription)."""
    after = sub.model_copy(update={"status": "live", "anchor": at, "period_index": 0, **updates})
    period = after.period()
    assert period is not None
    return after, renewal_lines(after.items(), period, sub.coupon_now())


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
    after, lines = _restart(sub, at, trial_ends_at=None, setup_fee_due=0)
    if sub.setup_fee_due:
        lines.append(Line("charge", "Setup fee", sub.setup_fee_due, at, at))
    return Outcome(after, lines, "changed")


def first_period_lines(sub: Subscription, setup_fee: int) -> list[Line]:
    """What a new subscription bills at once: nothing in a trial, else its first period and setup fee."""
    period = sub.period()
    if period is None:
        return []
    lines = renewal_lines(sub.items(), period, sub.coupon_now())
    if setup_fee:
        lines.append(Line("charge", "Setup fee", setup_fee, period.start, period.start))
    return lines
