"""A subscription as stored: its items (what a period bills), its coupon, its dunning, and what its
next renewal bills. Pure (no I/O); the changes a contact can make are logic/domain.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel

from services.subscriptions.logic.proration import (
    Coupon,
    Item,
    Line,
    Period,
    coupon_share,
    period_at,
    renewal_lines,
)
from services.subscriptions.schemas import PlanView

TRIAL_REMINDER = timedelta(days=3)  # TrialEnding this long before a trial ends
Status = Literal["trial", "live", "non_renewing", "paused", "cancelled", "unpaid"]
# Auto-charge retries after the first failure, in days from it; a failure after the last one: unpaid.
RETRY_DAYS = (1, 3, 5)


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
    # item key → (numerator, denominator): the share of its price the coupon took off the line that
    # billed its time in this period (absent: none); a credit for unused time takes it back
    discounted: dict[str, tuple[int, int]] = {}
    redeemed: list[str] = []  # coupon codes redeemed on this subscription (each at most once)
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
        return coupon_of(self.coupon)

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

    def paid_shares(self) -> dict[str, Fraction]:
        return {key: Fraction(*share) for key, share in self.discounted.items()}

    def with_shares(self, shares: dict[str, Fraction]) -> Subscription:
        kept = {key: (share.numerator, share.denominator) for key, share in shares.items() if share}
        return self.model_copy(update={"discounted": kept})

    def billed_whole(self) -> tuple[Subscription, list[Line]]:
        """Its current period billed whole (a renewal, a first period, a restart): the lines, and the
        subscription after them (the coupon's cycle used if it applied; each item's discounted share
        kept, so a credit for unused time takes back what the coupon took off)."""
        period = self.period()
        assert period is not None
        lines = renewal_lines(self.items(), period, self.coupon_now())
        share = coupon_share(lines)
        after = self.with_shares({item.key: share for item in self.items()})
        return (after.model_copy(update={"coupon": used(self.coupon)}) if share else after), lines

    def next_invoice(self) -> list[Line]:
        """What the next renewal will bill (nothing when it will not renew)."""
        if self.next_renewal_at() is None:
            return []
        moved = self._moved_on()
        _, lines = moved.billed_whole()
        period = moved.period()
        assert period is not None
        if self.setup_fee_due:
            lines.append(Line("charge", "Setup fee", self.setup_fee_due, period.start, period.start))
        return lines

    def renewed(self) -> Subscription:
        """The subscription in its next period: a scheduled downgrade applied, the period billed."""
        return self._moved_on().billed_whole()[0]

    def _moved_on(self) -> Subscription:
        if self.status == "trial":
            assert self.trial_ends_at is not None
            return self.model_copy(
                update={
                    "status": "live",
                    "anchor": self.trial_ends_at,
                    "period_index": 0,
                    "trial_ends_at": None,
                    "setup_fee_due": 0,
                }
            )
        updated = self.model_copy(update={"period_index": self.period_index + 1})
        if self.scheduled_plan is not None:
            updated = on_plan(updated, self.scheduled_plan, self.quantity).model_copy(
                update={"scheduled_plan": None}
            )
        return updated


def on_plan(sub: Subscription, plan: PlanView, quantity: int) -> Subscription:
    return sub.model_copy(
        update={
            "plan_id": plan.plan_id,
            "plan_name": plan.name,
            "plan_unit_amount": plan.unit_amount,
            "quantity": quantity if plan.pricing == "per_unit" else 1,
        }
    )


def used(applied: AppliedCoupon | None) -> AppliedCoupon | None:
    """The coupon after one more invoice used it."""
    if applied is None or not applied.cycles_left:
        return applied
    return applied.model_copy(update={"cycles_left": applied.cycles_left - 1})


def coupon_of(applied: AppliedCoupon | None) -> Coupon | None:
    if applied is None or applied.cycles_left == 0:
        return None
    return Coupon(applied.code, applied.percent_bps, applied.amount_off)


class Preview(BaseModel):
    """A change preview the server issued (logic/previews.py: stored, single-use, expiring)."""

    preview_id: str
    subscription_id: str
    customer_id: str
    subscription_version: int | None
    change: str  # the change previewed, canonical JSON
    at: datetime
    expires_at: datetime
