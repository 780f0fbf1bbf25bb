"""The payment rules (services/payments/logic/rules.py): allocation, refund split, forward-only status."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from services.payments.logic.rules import (
    OpenInvoice,
    PartRules,
    Share,
    allocate,
    may_move,
    oldest_first,
    split_refund,
    status_of_intent,
)
from shared.errors import Forbidden, ValidationFailed
from shared.money import Money

PARTS = PartRules(allowed=True, minimum=1000)


def usd(amount: int) -> Money:
    return Money(amount=amount, currency="USD")


def invoice(n: int, due: int, issued: str = "2026-11-01") -> OpenInvoice:
    return OpenInvoice(f"01j{n:023d}", f"INV-{n:06d}", issued, usd(due))


invoices_strategy = st.lists(
    st.tuples(st.integers(1, 10**7), st.dates().map(lambda d: d.isoformat())), min_size=0, max_size=8
).map(lambda items: [invoice(i, due, issued) for i, (due, issued) in enumerate(items)])


@given(
    invoices=invoices_strategy,
    amount=st.one_of(st.none(), st.integers(1, 10**8)),
    allowed=st.booleans(),
    minimum=st.integers(1, 10**6),
)
def test_allocations_sum_to_the_payment_minus_the_credit_and_no_invoice_is_overpaid(
    invoices: list[OpenInvoice], amount: int | None, allowed: bool, minimum: int
) -> None:
    assume(invoices or amount is not None)
    try:
        plan = allocate(oldest_first(invoices), {}, amount, "USD", PartRules(allowed, minimum))
    except (ValidationFailed, Forbidden):
        return  # a refused part payment: nothing is allocated at all
    allocated = sum(s.amount.amount for s in plan.shares)
    assert allocated == plan.total.amount - plan.credit.amount
    assert plan.credit.amount >= 0
    due = {i.invoice_id: i.amount_due.amount for i in invoices}
    for share in plan.shares:
        assert 0 < share.amount.amount <= due[share.invoice_id]  # amount due never goes below zero
    if amount is None:
        assert plan.credit.amount == 0 and allocated == sum(due.values())


@given(
    invoices=invoices_strategy.filter(bool),
    picks=st.lists(st.integers(1, 10**7), min_size=8, max_size=8),
    extra=st.integers(0, 10**6),
)
def test_chosen_amounts_are_paid_exactly_and_the_rest_is_credit(
    invoices: list[OpenInvoice], picks: list[int], extra: int
) -> None:
    due = {i.invoice_id: i.amount_due.amount for i in invoices}
    wanted = {i.invoice_id: min(p, i.amount_due.amount) for i, p in zip(invoices, picks, strict=False)}
    # part payments at or above the minimum (or the whole amount due)
    chosen = {iid: part for iid, part in wanted.items() if part >= PARTS.minimum or part == due[iid]}
    assume(chosen)
    amount = sum(chosen.values()) + extra
    selected = [i for i in invoices if i.invoice_id in chosen]
    plan = allocate(oldest_first(selected), chosen, amount, "USD", PARTS)
    assert {s.invoice_id: s.amount.amount for s in plan.shares} == chosen
    assert plan.credit.amount == extra


def test_an_amount_is_spread_oldest_first_and_the_last_may_be_part_paid() -> None:
    old, new = invoice(1, 5000, "2026-01-01"), invoice(2, 7000, "2026-02-01")
    plan = allocate(oldest_first([new, old]), {}, 8000, "USD", PARTS)
    assert [(s.invoice_id, s.amount.amount) for s in plan.shares] == [
        (old.invoice_id, 5000),
        (new.invoice_id, 3000),
    ]
    assert plan.credit.amount == 0


def test_overpayment_becomes_credit_and_an_advance_is_all_credit() -> None:
    plan = allocate([invoice(1, 5000)], {}, 6500, "USD", PARTS)
    assert plan.credit == usd(1500) and plan.shares[0].amount == usd(5000)
    advance = allocate([], {}, 4000, "USD", PARTS)
    assert advance.shares == () and advance.credit == usd(4000)


def test_a_part_payment_needs_the_action_and_the_minimum() -> None:
    with pytest.raises(Forbidden):
        allocate([invoice(1, 5000)], {invoice(1, 5000).invoice_id: 2000}, None, "USD", PartRules(False, 1000))
    with pytest.raises(ValidationFailed, match="at least"):
        allocate([invoice(1, 5000)], {invoice(1, 5000).invoice_id: 500}, None, "USD", PARTS)
    small = invoice(1, 500)  # a whole amount due below the minimum is fine
    assert allocate([small], {}, None, "USD", PARTS).total == usd(500)


def test_no_invoice_gets_more_than_its_amount_due() -> None:
    with pytest.raises(ValidationFailed, match="at most"):
        allocate([invoice(1, 5000)], {invoice(1, 5000).invoice_id: 5001}, None, "USD", PARTS)


@given(
    shares=st.lists(st.integers(1, 10**6), min_size=0, max_size=6),
    credit=st.integers(0, 10**6),
    data=st.data(),
)
def test_a_refund_takes_credit_first_then_invoices_newest_first(
    shares: list[int], credit: int, data: st.DataObject
) -> None:
    paid = [Share(f"i{n}", f"INV-{n}", usd(a)) for n, a in enumerate(shares)]
    total = sum(shares) + credit
    assume(total > 0)
    refund = data.draw(st.integers(1, total))
    split = split_refund(usd(refund), paid, {}, usd(credit))
    assert split.credit_reversed.amount == min(refund, credit)
    assert split.credit_reversed.amount + sum(s.amount.amount for s in split.shares) == refund
    got = {s.invoice_id: s.amount.amount for s in split.shares}
    for share in paid:
        assert got.get(share.invoice_id, 0) <= share.amount.amount
    # newest first: an older invoice is touched only once every newer one is fully refunded
    touched = [i for i, s in enumerate(paid) if s.invoice_id in got]
    if touched:
        for newer in paid[min(touched) + 1 :]:
            assert got.get(newer.invoice_id) == newer.amount.amount


def test_a_refund_beyond_what_is_left_is_refused() -> None:
    with pytest.raises(ValidationFailed):
        split_refund(usd(101), [Share("a", "INV-1", usd(100))], {}, usd(0))
    with pytest.raises(ValidationFailed):
        split_refund(usd(60), [Share("a", "INV-1", usd(100))], {"a": 50}, usd(0))


def test_status_moves_forward_only() -> None:
    assert may_move("pending", "succeeded") and may_move("pending", "failed")
    assert may_move("succeeded", "refunded") and may_move("partially_refunded", "refunded")
    for later in ("succeeded", "failed", "cancelled", "refunded"):
        assert not may_move(later, "pending")
    assert not may_move("failed", "succeeded") and not may_move("refunded", "succeeded")
    assert status_of_intent("requires_payment_method", "Your card was declined.") == "failed"
    assert status_of_intent("requires_payment_method", None) == "pending"
    assert status_of_intent("processing", None) == "pending"
    assert status_of_intent("canceled", None) == "cancelled"
