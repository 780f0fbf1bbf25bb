"""Test helpers: an API client that signs in through the local gateway like the web app does, and
builders for customers and invoices that go through the staff API."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from werkzeug.test import Client, TestResponse

PASSWORD = "Correct-horse-battery-9"
_counter = itertools.count(1)


class ApiClient:
    def __init__(self, gateway: Any, token: str | None = None) -> None:
        self.client = Client(gateway)
        self.token = token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        merged = dict(headers or {})
        if self.token and "Authorization" not in merged:
            merged["Authorization"] = self.token
        return merged

    def get(self, path: str, headers: dict[str, str] | None = None, **kwargs: Any) -> TestResponse:
        return self.client.get(f"/api{path}", headers=self._headers(headers), **kwargs)

    def post(
        self, path: str, json: Any = None, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> TestResponse:
        return self.client.post(
            f"/api{path}", json=json if json is not None else {}, headers=self._headers(headers), **kwargs
        )

    def put(self, path: str, json: Any = None, headers: dict[str, str] | None = None) -> TestResponse:
        return self.client.put(f"/api{path}", json=json, headers=self._headers(headers))


@dataclass
class Customer:
    customer_id: str
    contact_id: str
    email: str
    api: ApiClient
    currency: str = "USD"


@dataclass
class DemoTenant:
    logins: list[Any] = field(default_factory=list)

    def contact(self, index: int = 0) -> Any:
        return [login for login in self.logins if "staff" not in login.who][index]


class PortalHandle:
    def __init__(self, local: Any) -> None:
        self.local = local
        self.gateway = local.gateway
        self._staff: ApiClient | None = None
        self._demo: DemoTenant | None = None

    def drain(self) -> None:
        self.local.worker.drain()

    def login(self, email: str, password: str = PASSWORD) -> ApiClient:
        api = ApiClient(self.gateway)
        response = api.post("/auth/login", {"email": email, "password": password})
        assert response.status_code == 200, response.get_data(as_text=True)
        api.token = response.json["id_token"]  # type: ignore[index]
        return api

    def staff(self) -> ApiClient:
        if self._staff is None:
            from services.auth.logic.use_cases import provision_login

            email = f"staff{next(_counter)}@renotech.solutions"
            provision_login(email, PASSWORD, staff=True)
            self._staff = self.login(email)
        return self._staff

    def new_customer(self, staff: ApiClient, currency: str = "USD") -> Customer:
        from services.auth.logic.use_cases import provision_login

        n = next(_counter)
        created = staff.post(
            "/staff/customers",
            {"display_name": f"Customer {n}", "email": f"ap{n}@customer{n}.com", "currency": currency},
        )
        assert created.status_code == 201, created.get_data(as_text=True)
        customer_id = created.json["customer_id"]  # type: ignore[index]
        email = f"contact{n}@customer{n}.com"
        contact = staff.post(
            f"/staff/customers/{customer_id}/contacts",
            {"first_name": "Casey", "last_name": f"Contact{n}", "email": email, "is_primary": True},
        )
        assert contact.status_code == 201, contact.get_data(as_text=True)
        contact_id = contact.json["contact_id"]  # type: ignore[index]
        provision_login(email, PASSWORD, customer_id, contact_id)
        return Customer(customer_id, contact_id, email, self.login(email), currency)

    def seed_demo(self) -> DemoTenant:
        if self._demo is None:
            from infra.local.seed import seed_demo

            self._demo = DemoTenant(seed_demo())
            self.drain()
        return self._demo


def invoice_body(
    customer_id: str,
    issue_date: str,
    lines: list[dict[str, Any]] | None = None,
    currency: str = "USD",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "currency": currency,
        "issue_date": issue_date,
        "lines": lines
        or [
            {
                "description": "Design sprint",
                "quantity": "2",
                "unit_price": 100_00,
                "tax_name": "VAT",
                "tax_rate_bps": 2000,
            }
        ],
        **extra,
    }


def create_invoice(
    staff: ApiClient, customer_id: str, issue_date: str, issue: bool = True, **kwargs: Any
) -> Any:
    created = staff.post("/staff/invoices", invoice_body(customer_id, issue_date, **kwargs))
    assert created.status_code == 201, created.get_data(as_text=True)
    invoice = created.json
    if issue:
        issued = staff.post(f"/staff/invoices/{invoice['invoice_id']}/issue")  # type: ignore[index]
        assert issued.status_code == 200, issued.get_data(as_text=True)
        invoice = issued.json
    return invoice
