"""Money applied to an invoice, pure: an allocation never takes an invoice below zero, a refund never
takes back more than was paid, and each leaves the status that matches the money."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from services.invoices.logic.payment_rules import (
    AppliedPayment,
    applicable,
    ever_viewed,
    status_after_payment,
    status_after_refund,
)
from shared.money import Money

amounts = st.integers(min_value=0, max_value=10**9)
statuses = st.sampled_from(["draft", "sent", "viewed", "partially_paid", "paid", "void"])


def usd(amount: int) -> Money:
    return Money(amount=amount, currency="USD")


@given(status=statuses, due=amounts, allocation=st.integers(min_value=-(10**6), max_value=10**9))
def test_an_allocation_takes_at_most_the_amount_due_of_an_open_invoice(
    status: str, due: int, allocation: int
) -> None:
    applied = applicable(status, usd(due), usd(allocation))
    assert 0 <= applied.amount <= max(allocation, 0)
    assert applied.amount <= due  # the amount due never goes below zero
    if status in ("sent", "viewed", "partially_paid") and allocation > 0:
        assert applied.amount == min(allocation, due)
    else:
        assert applied.amount == 0  # paid, void or a draft take nothing: it becomes credit


@given(due=st.integers(min_value=1, max_value=10**9), allocation=st.integers(min_value=1, max_value=10**9))
def test_the_status_after_a_payment_matches_what_is_left(due: int, allocation: int) -> None:
    applied = applicable("viewed", usd(due), usd(allocation))
    status = status_after_payment("viewed", usd(due) - applied, applied)
    assert status == ("paid" if allocation >= due else "partially_paid")
    assert status_after_payment("paid", usd(0), usd(0)) == "paid"  # nothing applied: unchanged


def test_a_refund_reopens_the_invoice_as_it_was_before_it_was_paid() -> None:
    viewed_first = AppliedPayment(
        "p1", "payment", usd(100), "card", "2026-11-30T10:00:00Z", status_before="viewed"
    )
    sent_first = AppliedPayment(
        "p1", "payment", usd(100), "card", "2026-11-30T10:00:00Z", status_before="sent"
    )
    assert status_after_refund("paid", usd(40), ever_viewed("paid", (viewed_first,))) == "partially_paid"
    assert status_after_refund("paid", usd(0), ever_viewed("paid", (viewed_first,))) == "viewed"
    assert status_after_refund("paid", usd(0), ever_viewed("paid", (sent_first,))) == "sent"
    assert status_after_refund("void", usd(0), False) == "void"


@given(amount=amounts, refunded=amounts)
def test_what_a_payment_can_still_give_back(amount: int, refunded: int) -> None:
    entry = AppliedPayment("p1", "payment", usd(amount), "card", "t", refunded=usd(min(refunded, amount)))
    assert entry.refundable.amount == amount - min(refunded, amount) >= 0
