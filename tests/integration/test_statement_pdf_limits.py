"""A statement PDF is the most expensive answer a contact can ask for (three years of entries, laid
out page by page): each caller has a per-minute limit, and a document a bound on its entries."""

from __future__ import annotations

import time

import pytest

from shared.ids import utc_today
from tests.support import ApiClient, Customer, PortalHandle, create_invoice

PDF = {"Accept": "application/pdf"}
PER_MINUTE = 5  # services/statements/logic/use_cases.py STATEMENT_PDFS_PER_MINUTE


def _fresh_minute() -> None:
    """The limit's window is the clock minute: start the burst early in one."""
    if time.time() % 60 > 50:
        time.sleep(60 - time.time() % 60 + 0.5)


def test_each_caller_may_ask_for_a_few_pdfs_a_minute(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    query = f"from={utc_today().replace(day=1).isoformat()}&to={utc_today().isoformat()}&format=pdf"
    _fresh_minute()
    answers = [customer.api.get(f"/statement?{query}", headers=PDF) for _ in range(PER_MINUTE + 2)]
    assert [a.status_code for a in answers] == [200] * PER_MINUTE + [429] * 2
    refused = answers[-1]
    assert refused.json["error"]["code"] == "too_many_attempts"
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    # JSON and CSV stay available, and the limit is the caller's own: another contact is not refused
    assert customer.api.get("/statement").status_code == 200
    other = portal.new_customer(staff)
    assert other.api.get(f"/statement?{query}", headers=PDF).status_code == 200


def test_a_pdf_of_too_many_entries_is_refused_with_a_way_out(
    portal: PortalHandle, staff: ApiClient, customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services.statements.logic import documents

    monkeypatch.setattr(documents, "PDF_MAX_ENTRIES", 2)  # three invoices are over this bound
    for _ in range(3):
        create_invoice(staff, customer.customer_id, utc_today().isoformat())
    portal.drain()
    _fresh_minute()
    query = f"from={utc_today().isoformat()}&to={utc_today().isoformat()}"
    refused = customer.api.get(f"/statement?{query}&format=pdf", headers=PDF)
    assert refused.status_code == 400, refused.status_code
    assert refused.json["error"]["code"] == "validation_failed"
    assert "CSV" in refused.json["error"]["message"]
    assert len(customer.api.get(f"/statement?{query}").json["entries"]) == 3
    assert customer.api.get(f"/statement?{query}&format=csv").status_code == 200
    shorter = customer.api.get("/statement?from=2020-01-01&to=2020-01-31&format=pdf", headers=PDF)
    assert shorter.status_code == 200
