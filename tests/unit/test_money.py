from decimal import Decimal

import pytest
from pydantic import ValidationError

from shared.money import CurrencyMismatch, Money, sum_money


def usd(amount: int) -> Money:
    return Money(amount=amount, currency="USD")


def test_adds_and_subtracts_in_minor_units() -> None:
    assert usd(1050) + usd(250) == usd(1300)
    assert usd(1050) - usd(2000) == usd(-950)


def test_refuses_to_mix_currencies() -> None:
    with pytest.raises(CurrencyMismatch):
        usd(100) + Money(amount=100, currency="EUR")
    with pytest.raises(CurrencyMismatch):
        _ = usd(100) < Money(amount=100, currency="EUR")


def test_refuses_floats_and_numeric_strings() -> None:
    with pytest.raises(ValidationError):
        Money(amount=10.5, currency="USD")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Money(amount="100", currency="USD")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Money(amount=100, currency="usd")


@pytest.mark.parametrize(
    ("amount", "factor", "expected"),
    [(12_500, "37.5", 468_750), (333, "0.5", 166), (335, "0.5", 168), (1, "0.5", 0), (3, "0.5", 2)],
)
def test_multiply_rounds_half_to_even(amount: int, factor: str, expected: int) -> None:
    assert usd(amount).multiply(Decimal(factor)) == usd(expected)


def test_percent_in_basis_points() -> None:
    assert usd(10_000).percent_bps(2000) == usd(2000)
    assert usd(12_345).percent_bps(863) == usd(1065)  # 1065.37… rounds down
    assert usd(999).percent_bps(0) == usd(0)


def test_display_uses_the_currency_exponent() -> None:
    assert usd(123_456).display() == "1,234.56 USD"
    assert Money(amount=1500, currency="JPY").display() == "1,500 JPY"


def test_sum_money() -> None:
    assert sum_money([usd(1), usd(2), usd(3)], "USD") == usd(6)
    assert sum_money([], "EUR") == Money.zero("EUR")
