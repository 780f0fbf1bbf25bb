"""shared.pricing's tax rounding, by hand: half up per line, or once per tax on its lines' sum (the
lines then carry shares of that figure that add up to it)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from shared.pricing import price_lines


def _lines(*specs: tuple[int, str | None, int]) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(
            description="x", quantity=Decimal(1), unit_price=price, tax_name=name, tax_rate_bps=rate
        )
        for price, name, rate in specs
    ]


def test_per_line_rounds_each_half_up() -> None:
    lines, sums = price_lines(_lines((330_00, None, 825), (405_00, None, 825)), "USD", "line")
    assert [li.tax.amount for li in lines] == [27_23, 33_41]  # 27.225 → 27.23, 33.4125 → 33.41
    assert sums.tax_total.amount == 60_64


def test_per_total_rounds_each_tax_once_and_shares_it_by_largest_remainder() -> None:
    # VAT 8.25 %: 0.30 × 3 = 0.90 → 0.07425 → 7 (per line: 2 + 2 + 2 = 6);
    # GST 5 %: 0.10 + 0.30 = 0.40 → 0.02 exactly (per line: 0.005 → 1, 0.015 → 2, = 3)
    specs = [(30, "VAT", 825), (10, "GST", 500), (30, "VAT", 825), (30, "GST", 500), (30, "VAT", 825)]
    by_line, line_sums = price_lines(_lines(*specs), "USD", "line")
    assert line_sums.tax_total.amount == 6 + 3
    lines, sums = price_lines(_lines(*specs), "USD", "total")
    assert sums.tax_total.amount == 7 + 2
    assert {name: money.amount for name, _, money in sums.taxes} == {"VAT": 7, "GST": 2}
    vat = [lines[i].tax.amount for i in (0, 2, 4)]
    assert sorted(vat) == [2, 2, 3]  # one line takes the extra cent
    assert [li.amount for li in lines] == [li.amount for li in by_line]  # amounts are untouched
