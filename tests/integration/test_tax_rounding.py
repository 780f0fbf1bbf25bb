"""Tax rounding, as Zoho: half up, per line (default) or once per tax on the document's total (a tenant
setting, `tax.rounding` in the portal preferences). Figures by hand: 8.25 % (825 bps)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from pypdf import PdfReader

from shared.ids import utc_today
from tests.support import ApiClient, Customer, PortalHandle, create_estimate, create_invoice

PDF = {"Accept": "application/pdf"}


def line(description: str, unit_price: int) -> dict[str, Any]:
    return {"description": description, "quantity": "1", "unit_price": unit_price, "tax_rate_bps": 825}


@pytest.fixture
def tax_rounding(portal: PortalHandle, staff: ApiClient) -> Iterator[Any]:
    """Sets the tenant's tax rounding; puts the preferences back afterwards."""
    before = staff.get("/staff/portal/preferences").json

    def set_rounding(rounding: str) -> None:
        preferences = staff.get("/staff/portal/preferences").json
        changed = staff.put("/staff/portal/preferences", {**preferences, "tax": {"rounding": rounding}})
        assert changed.status_code == 200, changed.get_data(as_text=True)
        assert changed.json["tax"] == {"rounding": rounding}
        portal.drain()  # every service's copy follows from PortalPreferencesChanged

    yield set_rounding
    assert staff.put("/staff/portal/preferences", before).status_code == 200
    portal.drain()


def test_by_default_each_line_is_rounded_half_up(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    assert staff.get("/staff/portal/preferences").json["tax"] == {"rounding": "line"}
    # 330.00 × 8.25 % = 27.225 → 27.23 (half even gave 27.22); 405.00 × 8.25 % = 33.4125 → 33.41
    two = [line("Design", 330_00), line("Build", 405_00)]
    invoice = create_invoice(staff, customer.customer_id, utc_today().isoformat(), lines=two)
    assert [li["tax"]["amount"] for li in invoice["lines"]] == [27_23, 33_41]
    assert invoice["tax_total"]["amount"] == 60_64  # 8.25 % of 735.00 = 60.6375, not 60.63
    assert invoice["total"]["amount"] == 795_64
    text = "\n".join(
        page.extract_text()
        for page in PdfReader(
            io.BytesIO(customer.api.get(f"/invoices/{invoice['invoice_id']}/pdf", headers=PDF).data)
        ).pages
    )
    assert "60.64 USD" in text and "795.64 USD" in text, text
    portal.drain()
    today = utc_today().isoformat()
    statement = customer.api.get(f"/statement?from={today}&to={today}").json
    (entry,) = [e for e in statement["entries"] if e["kind"] == "invoice"]
    assert entry["amount"]["amount"] == 795_64


def test_a_tenant_may_round_once_on_the_total(
    portal: PortalHandle, staff: ApiClient, customer: Customer, tax_rounding: Any
) -> None:
    three = [line("Sticker", 30), line("Sticker", 30), line("Sticker", 30)]
    # per line: 0.30 × 8.25 % = 0.02475 → 0.02, three times 0.06
    by_line = create_invoice(staff, customer.customer_id, utc_today().isoformat(), lines=three)
    assert by_line["tax_total"]["amount"] == 6

    tax_rounding("total")
    # on the total: 0.90 × 8.25 % = 0.07425 → 0.07, spread over the lines so they still add up
    by_total = create_invoice(staff, customer.customer_id, utc_today().isoformat(), lines=three)
    assert by_total["tax_total"]["amount"] == 7 and by_total["total"]["amount"] == 97
    assert sum(li["tax"]["amount"] for li in by_total["lines"]) == 7
    assert by_total["taxes"] == [{"name": "Tax", "rate_bps": 825, "amount": {"amount": 7, "currency": "USD"}}]
    estimate = create_estimate(staff, customer.customer_id, lines=three)
    assert estimate["tax_total"]["amount"] == 7

    # an estimate converted after the setting changed keeps the sums the customer accepted
    tax_rounding("line")
    assert customer.api.post(f"/estimates/{estimate['estimate_id']}/accept").status_code == 200
    assert staff.post(f"/staff/estimates/{estimate['estimate_id']}/convert").status_code == 200
    portal.drain()
    invoice = staff.get(f"/staff/invoices/by-estimate/{estimate['estimate_id']}").json
    assert invoice["tax_total"]["amount"] == 7 and invoice["total"] == estimate["total"]


def test_an_unknown_rounding_is_refused(staff: ApiClient) -> None:
    preferences = staff.get("/staff/portal/preferences").json
    refused = staff.put("/staff/portal/preferences", {**preferences, "tax": {"rounding": "banker"}})
    assert refused.status_code == 400
    assert staff.get("/staff/portal/preferences").json == preferences
