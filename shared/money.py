"""Money as integer minor units of an ISO 4217 currency. No floats, ever."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt

# Minor-unit exponents of the currencies the portal accepts (ISO 4217).
CURRENCY_EXPONENTS: dict[str, int] = {
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "CAD": 2,
    "AUD": 2,
    "CHF": 2,
    "INR": 2,
    "SEK": 2,
    "JPY": 0,
}

CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]


class CurrencyMismatch(ValueError):
    pass


class Money(BaseModel):
    model_config = ConfigDict(frozen=True)

    amount: StrictInt
    currency: CurrencyCode

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(amount=0, currency=currency)

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot combine {self.currency} with {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(amount=self.amount + other.amount, currency=self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(amount=self.amount - other.amount, currency=self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def is_zero(self) -> bool:
        return self.amount == 0

    def multiply(self, factor: Decimal) -> Money:
        """Scale by an exact decimal factor, rounding half-to-even to a whole minor unit."""
        scaled = (Decimal(self.amount) * factor).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
        return Money(amount=int(scaled), currency=self.currency)

    def percent_bps(self, basis_points: int) -> Money:
        """`basis_points` / 10,000 of this amount (2000 bps = 20 %)."""
        return self.multiply(Decimal(basis_points) / Decimal(10_000))

    def display(self) -> str:
        exponent = CURRENCY_EXPONENTS.get(self.currency, 2)
        units = Decimal(self.amount).scaleb(-exponent)
        return f"{units:,.{exponent}f} {self.currency}"


def is_supported_currency(code: str) -> bool:
    return code in CURRENCY_EXPONENTS


def _supported(code: str) -> str:
    if not is_supported_currency(code):
        raise ValueError(f"currency {code} is not supported")
    return code


# For requests: a currency the portal can bill in.
SupportedCurrency = Annotated[
    str,
    Field(pattern=r"^[A-Z]{3}$", json_schema_extra={"enum": sorted(CURRENCY_EXPONENTS)}),
    AfterValidator(_supported),
]


def sum_money(values: list[Money], currency: str) -> Money:
    total = Money.zero(currency)
    for value in values:
        total = total + value
    return total
