"""Proration to the second, half-even once per line (services/subscriptions/logic/proration.py),
against hand-computed cases and a property over random change sequences."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from services.subscriptions.logic.proration import (
    Coupon,
    Item,
    Line,
    Period,
    change_lines,
    period_at,
    renewal_lines,
)


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[arg-type,misc]


def plan(amount: int, quantity: int = 1, name: str = "Plan") -> Item:
    return Item("plan", name, amount, quantity)


def amounts(lines: list[Line]) -> list[tuple[str, int]]:
    return [(line.kind, line.amount) for line in lines]


def test_mid_cycle_upgrade_in_a_31_day_month() -> None:
    january = Period(at(2027, 1, 1), at(2027, 2, 1))  # 31 days
    lines = change_lines([plan(1000, name="Basic")], [plan(3000, name="Pro")], january, at(2027, 1, 16), None)
    # 16 of 31 days unused: 1000 × 16/31 = 516.13 → 516; 3000 × 16/31 = 1548.39 → 1548
    assert amounts(lines) == [("credit", -516), ("charge", 1548)]
    assert (lines[0].start, lines[0].end) == (at(2027, 1, 16), at(2027, 2, 1))


def test_half_even_in_a_28_day_month() -> None:
    february = Period(at(2027, 2, 1), at(2027, 3, 1))  # 28 days
    lines = change_lines([plan(1001)], [plan(3001)], february, at(2027, 2, 15), None)
    # exactly half unused: 500.5 → 500 and 1500.5 → 1500 (half to even, not up)
    assert amounts(lines) == [("credit", -500), ("charge", 1500)]
    lines = change_lines([plan(1003)], [plan(3003)], february, at(2027, 2, 15), None)
    assert amounts(lines) == [("credit", -502), ("charge", 1502)]  # 501.5 → 502, 1501.5 → 1502


def test_leap_february_has_29_days() -> None:
    february = period_at(at(2028, 2, 1), 1, 0)
    assert february.seconds == 29 * 86_400
    lines = change_lines([plan(2900)], [plan(5800)], february, at(2028, 2, 15), None)
    assert amounts(lines) == [("credit", -1500), ("charge", 3000)]  # 15 of 29 days


def test_periods_keep_the_anchor_day() -> None:
    anchor = at(2028, 1, 31, 9, 30)
    assert period_at(anchor, 1, 0) == Period(anchor, at(2028, 2, 29, 9, 30))
    assert period_at(anchor, 1, 1) == Period(at(2028, 2, 29, 9, 30), at(2028, 3, 31, 9, 30))
    assert period_at(anchor, 3, 1) == Period(at(2028, 4, 30, 9, 30), at(2028, 7, 31, 9, 30))
    assert period_at(at(2028, 1, 1), 12, 0).seconds == 366 * 86_400
    assert period_at(at(2028, 1, 1), 12, 1).seconds == 365 * 86_400


def test_quantity_decrease_credits_the_old_quantity_and_charges_the_new() -> None:
    april = Period(at(2027, 4, 1), at(2027, 5, 1))  # 30 days, 10 unused
    lines = change_lines([plan(500, 10)], [plan(500, 4)], april, at(2027, 4, 21), None)
    # 5000 / 3 = 1666.67 → 1667; 2000 / 3 = 666.67 → 667
    assert amounts(lines) == [("credit", -1667), ("charge", 667)]


def test_to_the_second() -> None:
    january = Period(at(2027, 1, 1), at(2027, 2, 1))
    one_second_later = at(2027, 1, 16) + timedelta(seconds=1)
    lines = change_lines([plan(2_678_400)], [plan(0)], january, one_second_later, None)
    assert amounts(lines) == [("credit", -1_382_399)]  # one minor unit per second of the period


def test_percent_coupon_discounts_the_charges_a_credit_carries_the_discount_it_was_billed_with() -> None:
    january = Period(at(2027, 1, 1), at(2027, 2, 1))
    old, new = [plan(1000)], [plan(3000)]
    save25 = Coupon("SAVE25", percent_bps=2500)
    # January was billed in full: the credit is whole; 25 % of the charge 1548 = 387
    lines = change_lines(old, new, january, at(2027, 1, 16), save25)
    assert amounts(lines) == [("credit", -516), ("charge", 1548), ("discount", -387)]
    # January was billed at 25 % off: a quarter of the credit (129) is taken back
    lines = change_lines(old, new, january, at(2027, 1, 16), save25, {"plan": Fraction(1, 4)})
    assert amounts(lines) == [("credit", -516), ("discount", 129), ("charge", 1548), ("discount", -387)]
    # a fixed coupon comes off whole periods only; 5.00 off January's 10.00 halves the credit
    lines = change_lines(old, new, january, at(2027, 1, 16), Coupon("FIVE", amount_off=500))
    assert amounts(lines) == [("credit", -516), ("charge", 1548)]
    lines = change_lines(old, [], january, at(2027, 1, 16), None, {"plan": Fraction(500, 1000)})
    assert amounts(lines) == [("credit", -516), ("discount", 258)]


def test_a_change_at_the_renewal_instant_prorates_nothing() -> None:
    january = Period(at(2027, 1, 1), at(2027, 2, 1))
    assert change_lines([plan(1000)], [plan(3000)], january, january.end, None) == []


def test_unchanged_items_bill_nothing_and_addons_prorate_alone() -> None:
    january = Period(at(2027, 1, 1), at(2027, 2, 1))
    addon = Item("addon:seats", "Extra seats", 310, 2)
    lines = change_lines([plan(1000)], [plan(1000), addon], january, at(2027, 1, 16), None)
    assert amounts(lines) == [("charge", 320)]  # 620 × 16/31 = 320


def test_renewal_bills_each_item_then_the_coupon() -> None:
    january = Period(at(2027, 1, 1), at(2027, 2, 1))
    items = [plan(1000, 3), Item("addon:x", "X", 499)]
    assert amounts(renewal_lines(items, january, Coupon("P", percent_bps=1250))) == [
        ("charge", 3000),
        ("charge", 499),
        ("discount", -437),  # 12.5 % of 3499 = 437.375
    ]
    assert amounts(renewal_lines([plan(300)], january, Coupon("F", amount_off=500))) == [
        ("charge", 300),
        ("discount", -300),  # capped at the subtotal
    ]


# ---- property: random change sequences over two periods ------------------------------------------

ANCHOR = at(2028, 1, 31)  # a clamped anchor across a leap February
PERIODS = [period_at(ANCHOR, 1, 0), period_at(ANCHOR, 1, 1)]
SPAN = int((PERIODS[1].end - PERIODS[0].start).total_seconds())

changes = st.lists(
    st.tuples(
        st.integers(0, SPAN),  # seconds after the anchor (both ends and the renewal instant included)
        st.integers(0, 100_000),  # unit price
        st.integers(1, 20),  # quantity
    ),
    max_size=6,
)


@settings(max_examples=30, deadline=None)
@given(first_price=st.integers(0, 100_000), first_quantity=st.integers(1, 20), changes=changes)
def test_invoiced_sum_is_the_plan_time_used(
    first_price: int, first_quantity: int, changes: list[tuple[int, int, int]]
) -> None:
    items = [plan(first_price, first_quantity)]
    billed: list[Line] = []
    exact = Fraction(0)
    in_effect: list[tuple[datetime, datetime, bool]] = []  # spans of service, and whether they cost
    for index, period in enumerate(PERIODS):
        billed += renewal_lines(items, period, None)  # each period opens with its renewal
        clock = period.start
        for offset, price, quantity in sorted(changes):
            when = ANCHOR + timedelta(seconds=offset)
            # a change at the renewal instant belongs to the period it ends (and prorates nothing)
            if not (period.start <= when <= period.end if index == 0 else period.start < when <= period.end):
                continue
            new = [Item("plan", f"Plan {price}", price, quantity)]
            billed += change_lines(items, new, period, when, None)
            exact += Fraction(items[0].amount * int((when - clock).total_seconds()), period.seconds)
            in_effect.append((clock, when, items[0].amount > 0))
            items, clock = new, when
        exact += Fraction(items[0].amount * int((period.end - clock).total_seconds()), period.seconds)
        in_effect.append((clock, period.end, items[0].amount > 0))

    # the invoiced sum is the time actually used at each price, within half a minor unit per line
    assert abs(sum(line.amount for line in billed) - exact) <= Fraction(len(billed), 2)
    # every second of paid service is billed exactly once net of credits, and free time not at all
    edges = sorted(
        {line.start for line in billed} | {line.end for line in billed} | {s for s, _, _ in in_effect}
    )
    for left, right in zip(edges, [*edges[1:], PERIODS[1].end], strict=True):
        if left >= right:
            continue
        net = sum(
            1 if line.kind == "charge" else -1 for line in billed if line.start <= left and right <= line.end
        )
        paid = next(cost for start, end, cost in in_effect if start <= left and right <= end)
        assert net == (1 if paid else 0), (left, right)
