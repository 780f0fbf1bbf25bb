from datetime import date
from decimal import Decimal

import pytest

from services.invoices.logic.domain import (
    apply_payment,
    check_issue,
    check_void,
    effective_status,
    price_line,
    totals,
)
from shared.errors import Conflict, ValidationFailed
from shared.money import Money
from shared.overdue import is_overdue

TODAY = date(2026, 11, 22)


def usd(amount: int) -> Money:
    return Money(amount=amount, currency="USD")


@pytest.mark.parametrize("status", ["sent", "viewed", "partially_paid"])
def test_open_invoice_past_due_is_overdue(status: str) -> None:
    assert is_overdue(status, date(2026, 11, 21), TODAY)
    assert effective_status(status, date(2026, 11, 21), TODAY) == "overdue"  # type: ignore[arg-type]


@pytest.mark.parametrize("status", ["sent", "viewed", "partially_paid"])
def test_open_invoice_due_today_is_not_overdue(status: str) -> None:
    assert not is_overdue(status, TODAY, TODAY)
    assert effective_status(status, TODAY, TODAY) == status  # type: ignore[arg-type]


@pytest.mark.parametrize("status", ["draft", "paid", "void"])
def test_closed_or_draft_invoice_is_never_overdue(status: str) -> None:
    assert not is_overdue(status, date(2020, 1, 1), TODAY)
    assert effective_status(status, date(2020, 1, 1), TODAY) == status  # type: ignore[arg-type]


def test_line_amount_and_tax_are_integer_minor_units() -> None:
    line = price_line("Development", Decimal("37.5"), 12_500, "USD", "Sales tax", 863)
    assert line.amount == usd(468_750)
    assert line.tax == usd(40_453)  # 40453.125 → 40453


def test_totals_group_taxes_by_name_and_rate() -> None:
    lines = [
        price_line("A", Decimal(1), 10_000, "EUR", "VAT", 1900),
        price_line("B", Decimal(2), 5_000, "EUR", "VAT", 1900),
        price_line("C", Decimal(1), 1_000, "EUR", None, 0),
    ]
    result = totals(lines, "EUR")
    assert result.subtotal.amount == 21_000
    assert result.tax_total.amount == 3_800
    assert result.total.amount == 24_800
    assert result.taxes == [("VAT", 1900, Money(amount=3_800, currency="EUR"))]


def test_only_a_draft_with_a_positive_total_can_be_issued() -> None:
    check_issue("draft", usd(1))
    with pytest.raises(Conflict):
        check_issue("sent", usd(1))
    with pytest.raises(ValidationFailed):
        check_issue("draft", usd(0))


def test_payments_move_status_and_refuse_overpayment() -> None:
    assert apply_payment("sent", usd(10_000), usd(2_500)) == "partially_paid"
    assert apply_payment("partially_paid", usd(7_500), usd(7_500)) == "paid"
    with pytest.raises(ValidationFailed):
        apply_payment("sent", usd(10_000), usd(10_001))
    with pytest.raises(ValidationFailed):
        apply_payment("sent", usd(10_000), Money(amount=100, currency="EUR"))
    with pytest.raises(Conflict):
        apply_payment("paid", usd(0), usd(1))


def test_void_refuses_paid_and_partly_paid_invoices() -> None:
    check_void("sent", usd(0))
    with pytest.raises(Conflict):
        check_void("paid", usd(100))
    with pytest.raises(Conflict):
        check_void("partially_paid", usd(100))
