"""How subscriptions are shown: a subscription's page, billed lines, and the quote a preview and an
applied change share. Pure shaping, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from services.subscriptions.logic.domain import Change, Outcome, allowed_actions
from services.subscriptions.logic.proration import Line
from services.subscriptions.logic.subscription import AppliedCoupon, Subscription
from services.subscriptions.schemas import (
    CouponApplied,
    DunningView,
    ItemView,
    LineView,
    Rules,
    SubscriptionDetail,
    SubscriptionInvoice,
)
from shared.money import Money


def total(lines: list[Line], currency: str) -> Money:
    return Money(amount=sum(line.amount for line in lines), currency=currency)


def line_views(lines: list[Line], currency: str) -> list[LineView]:
    return [
        LineView(
            kind=line.kind,
            description=line.description,
            amount=Money(amount=line.amount, currency=currency),
            start=line.start,
            end=line.end,
        )
        for line in lines
    ]


def quote(change: Change, at: datetime, outcome: Outcome) -> dict[str, Any]:
    """The fields a preview and an applied change share (ChangeQuote)."""
    after, currency = outcome.after, outcome.after.currency
    upcoming = after.next_invoice()
    return {
        "action": change.action,
        "at": at,
        "lines": line_views(outcome.lines, currency),
        "due_now": total(outcome.lines, currency),
        "status_after": after.status,
        "next_renewal_at": after.next_renewal_at(),
        "next_invoice_amount": total(upcoming, currency) if upcoming else None,
        "next_invoice_lines": line_views(upcoming, currency),
    }


def detail(
    sub: Subscription, rules: Rules, invoices: Sequence[SubscriptionInvoice] = ()
) -> SubscriptionDetail:
    period, upcoming, currency = sub.period(), sub.next_invoice(), sub.currency
    coupon: AppliedCoupon | None = sub.coupon
    return SubscriptionDetail(
        subscription_id=sub.subscription_id,
        customer_id=sub.customer_id,
        currency=currency,
        status=sub.status,
        plan_id=sub.plan_id,
        plan_name=sub.plan_name,
        interval_months=sub.interval_months,
        quantity=sub.quantity,
        items=[
            ItemView(
                key=item.key,
                description=item.description,
                unit_amount=Money(amount=item.unit_amount, currency=currency),
                quantity=item.quantity,
                amount=Money(amount=item.amount, currency=currency),
            )
            for item in sub.items()
        ],
        coupon=CouponApplied(
            code=coupon.code,
            percent_bps=coupon.percent_bps,
            amount_off=Money(amount=coupon.amount_off, currency=currency) if coupon.amount_off else None,
            cycles_left=coupon.cycles_left,
        )
        if coupon
        else None,
        started_at=sub.started_at,
        current_period_start=period.start if period else None,
        current_period_end=period.end if period else None,
        trial_ends_at=sub.trial_ends_at,
        paused_until=sub.paused_until,
        scheduled_plan_id=sub.scheduled_plan.plan_id if sub.scheduled_plan else None,
        cancel_reason=sub.cancel_reason,
        next_renewal_at=sub.next_renewal_at(),
        next_invoice_amount=total(upcoming, currency) if upcoming else None,
        next_invoice_lines=line_views(upcoming, currency),
        allowed=allowed_actions(sub, rules),
        invoices=list(invoices),
        dunning=DunningView(
            invoice_id=sub.dunning.invoice_id,
            invoice_number=sub.dunning.invoice_number,
            failures=sub.dunning.failures,
            next_retry_at=sub.dunning.next_retry_at,
        )
        if sub.dunning
        else None,
    )
