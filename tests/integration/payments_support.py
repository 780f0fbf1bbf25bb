"""What the payments tests share: the local Stripe the portal pays through (the one `LocalPortal`
starts), the Stripe.js stand-in a contact's browser would be, and small builders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.support import ApiClient, Customer, PortalHandle, bus_spy, create_invoice, spied

VISA = "4242424242424242"
DECLINED = "4000000000000002"


@dataclass
class Pay:
    portal: PortalHandle
    stripe: Any  # infra.local.stripe_local.LocalStripe
    browser: Any  # its StandIn: what Stripe.js does in the contact's browser

    def settle_webhooks(self) -> None:
        """Every webhook the provider sent has been answered, and the events it caused consumed."""
        assert self.stripe.wait_for_webhooks(20)
        self.portal.drain()


def local_stripe(portal: PortalHandle) -> Any:
    """The local Stripe `LocalPortal` started (its keys in PaymentsProviderSecret, the SDK pointed at
    it, webhooks posted to the portal's gateway)."""
    return portal.local.stripe


def paying(portal: PortalHandle) -> Pay:
    """For each test module's `pay` fixture: `@pytest.fixture(name="pay") def pay_fixture(portal)`."""
    stripe = local_stripe(portal)
    return Pay(portal, stripe, stripe.browser())


def open_invoices(
    staff: ApiClient, portal: PortalHandle, customer: Customer, *dates: str
) -> list[dict[str, Any]]:
    """Issued invoices of 240.00 USD each (the payments service learns them from their events)."""
    invoices = [create_invoice(staff, customer.customer_id, day) for day in dates]
    portal.drain()
    return invoices


def start_payment(customer: Customer, body: dict[str, Any], key: str) -> Any:
    return customer.api.post("/payments", body, headers={"Idempotency-Key": key})


def payments_spy(portal: PortalHandle) -> str:
    return bus_spy(portal, {"source": ["portal.payments"]})


def spied_types(queue_url: str, payment_id: str | None = None) -> list[str]:
    found = []
    for event in spied(queue_url):
        data = event["detail"]["data"]
        if payment_id is None or data.get("payment_id") == payment_id:
            found.append(event["detail-type"])
    return found
