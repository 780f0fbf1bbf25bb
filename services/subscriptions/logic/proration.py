"""Billing periods and proration, pure (no I/O): Stripe's rules, in integer minor units.

- A period runs [start, end) and is measured in seconds. Periods of an every-N-months plan follow the
  anchor day: Jan 31 + 1 month = Feb 28 (29 in a leap year), + 2 months = Mar 31 (day clamped per
  month, never drifting).
- A change at instant `at` inside a period credits each replaced item for the unused time and charges
  each new item for the same time: amount × unused seconds ÷ period seconds, rounded half-even once
  per line (so each line is within half a minor unit of the exact value).
- A change exactly at the period's end (the renewal instant) prorates nothing: the renewal bills the
  new items for the whole next period.
- Coupons apply after proration, as Stripe: a credit carries the discount that applied to the time it
  credits (the share of the item's price the coupon took off the line that billed it, whatever the
  coupon now); a percent coupon discounts a change's charges. A fixed-amount coupon comes off whole
  periods only (renewals, first periods), capped at the subtotal.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from typing import Literal

LineKind = Literal["charge", "credit", "discount"]


def add_months(anchor: datetime, months: int) -> datetime:
    """`anchor` moved by whole months, its day clamped to the target month's length."""
    index = anchor.month - 1 + months
    year, month = anchor.year + index // 12, index % 12 + 1
    day = min(anchor.day, calendar.monthrange(year, month)[1])
    return anchor.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    @property
    def seconds(self) -> int:
        return int((self.end - self.start).total_seconds())


def period_at(anchor: datetime, interval_months: int, index: int) -> Period:
    """The `index`-th period (0 = the first) of a plan billed every `interval_months` from `anchor`."""
    return Period(
        add_months(anchor, interval_months * index), add_months(anchor, interval_months * (index + 1))
    )


def half_even(value: Fraction) -> int:
    return round(value)  # Fraction rounds half to even


def prorate(amount: int, seconds: int, period_seconds: int) -> int:
    """`amount` (per whole period) for `seconds` of it, rounded half-even to the minor unit."""
    return half_even(Fraction(amount * seconds, period_seconds))


@dataclass(frozen=True)
class Item:
    """Something billed each period: the plan or a recurring addon, at `unit_amount` per unit."""

    key: str  # "plan" or "addon:<addon_id>"
    description: str
    unit_amount: int
    quantity: int = 1

    @property
    def amount(self) -> int:
        return self.unit_amount * self.quantity


@dataclass(frozen=True)
class Coupon:
    code: str
    percent_bps: int | None = None  # 2500 = 25 %
    amount_off: int | None = None


@dataclass(frozen=True)
class Line:
    kind: LineKind
    description: str
    amount: int  # signed: credits and discounts are negative
    start: datetime  # the span of service the line is for
    end: datetime
    item_key: str | None = None


def renewal_lines(items: list[Item], period: Period, coupon: Coupon | None) -> list[Line]:
    """A whole period of each item, then the coupon's discount."""
    lines = [
        Line("charge", item.description, item.amount, period.start, period.end, item.key)
        for item in items
        if item.amount
    ]
    subtotal = sum(line.amount for line in lines)
    if coupon is None:
        return lines
    if coupon.percent_bps:
        discount = half_even(Fraction(subtotal * coupon.percent_bps, 10_000))
    else:
        discount = min(coupon.amount_off or 0, subtotal)
    if discount:
        lines.append(Line("discount", f"Coupon {coupon.code}", -discount, period.start, period.end))
    return lines


def change_lines(
    old: list[Item],
    new: list[Item],
    period: Period,
    at: datetime,
    coupon: Coupon | None,
    paid_shares: Mapping[str, Fraction] | None = None,
) -> list[Line]:
    """What a change from `old` to `new` items at `at` bills now: a credit per replaced item for the
    rest of the period, with the discount that applied to that time taken back (`paid_shares`: the
    share of each item's price the coupon took off the line that billed it); a charge per new item,
    then a percent coupon's discount of the charges. Unchanged items bill nothing; a change at the
    renewal instant bills nothing."""
    if not period.start <= at <= period.end:
        raise ValueError("a change must fall inside the current period")
    unused = int((period.end - at).total_seconds())
    if unused == 0:
        return []
    total = period.seconds
    kept = set(old) & set(new)
    lines: list[Line] = []
    for item in old:
        if item not in kept and item.amount:
            credit = prorate(item.amount, unused, total)
            lines.append(
                Line("credit", f"Unused time on {item.description}", -credit, at, period.end, item.key)
            )
            taken_back = half_even(credit * (paid_shares or {}).get(item.key, Fraction(0)))
            if taken_back:
                description = f"Discount on unused time on {item.description}"
                lines.append(Line("discount", description, taken_back, at, period.end, item.key))
    charged = 0
    for item in new:
        if item not in kept and item.amount:
            charge = prorate(item.amount, unused, total)
            charged += charge
            lines.append(
                Line("charge", f"Remaining time on {item.description}", charge, at, period.end, item.key)
            )
    if coupon and coupon.percent_bps and charged:
        discount = half_even(Fraction(charged * coupon.percent_bps, 10_000))
        if discount:
            lines.append(Line("discount", f"Coupon {coupon.code}", -discount, at, period.end))
    return lines


def coupon_share(lines: list[Line]) -> Fraction:
    """The share of the charges a coupon took off, in lines that bill a whole period or a change's
    new items (0: no coupon applied)."""
    charged = sum(line.amount for line in lines if line.kind == "charge")
    discount = -sum(line.amount for line in lines if line.kind == "discount" and line.amount < 0)
    return Fraction(discount, charged) if discount and charged else Fraction(0)
