"""A contact pays in the portal with the provider's test cards, through the provider's own card field
(the local Stripe's Stripe.js stand-in), and the portal shows the result: paid, declined (and why),
two invoices at once, the receipt PDF, 3-D Secure. Events (the webhook's, the invoices') are delivered
by draining the local worker while the page waits, as the deployed queues would."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Locator, Page, expect
from pypdf import PdfReader

from shared.ids import utc_today
from tests.browser.test_portal_slice import sign_in
from tests.support import PASSWORD, ApiClient, Customer, PortalHandle, create_invoice

pytestmark = pytest.mark.browser

SUCCEEDS = "4242 4242 4242 4242"
DECLINED = "4000 0000 0000 0002"
NEEDS_3DS = "4000 0025 0000 3155"


def settled(portal: PortalHandle, check: Callable[[], Any], timeout: float = 30.0) -> None:
    """Delivers events until `check` (a Playwright expectation) passes: the page polls the payment
    while the webhook and the invoices' events travel through the local queues."""
    deadline = time.monotonic() + timeout
    while True:
        portal.drain()
        try:
            check()
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise


def quickly(locator: Locator) -> Callable[[], None]:
    return lambda: expect(locator).to_be_visible(timeout=500)


def provider_frame(page: Page, kind: str) -> FrameLocator:
    """The provider's own field: a frame of its origin in our mount point (as Stripe Elements are)."""
    return page.locator(f"#provider-{kind}").frame_locator("iframe")


def fill_card(page: Page, number: str) -> None:
    field = provider_frame(page, "card")
    field.get_by_label(re.compile("card number", re.I)).fill(number)
    field.get_by_label(re.compile("expir|MM ?/ ?YY", re.I)).fill("12/34")
    field.get_by_label(re.compile("cvc|security code", re.I)).fill("123")
    postal = field.get_by_label(re.compile("zip|postal", re.I))
    if postal.count():
        postal.fill("10001")


@pytest.fixture
def payer(portal: PortalHandle, staff: ApiClient) -> Customer:
    return portal.new_customer(staff)


def open_invoices(
    portal: PortalHandle, staff: ApiClient, payer: Customer, count: int
) -> list[dict[str, Any]]:
    today = utc_today()
    invoices = [
        create_invoice(
            staff,
            payer.customer_id,
            today.replace(day=max(1, today.day - (count - n))).isoformat(),
            lines=[{"description": f"Work package {n + 1}", "quantity": "1", "unit_price": (n + 1) * 100_00}],
        )
        for n in range(count)
    ]
    portal.drain()  # payments (and the dashboard) learn the invoices from their events
    return invoices


def pay_button(page: Page) -> Locator:
    return page.get_by_role("button", name=re.compile(r"^Pay "))


def pay_with_card(page: Page, number: str) -> None:
    """Card details, then Pay. Until the page knows where the provider's library is (the preview does
    not say), its first press ("Continue") starts the payment and brings the card field."""
    expect(pay_button(page).or_(page.get_by_role("button", name="Continue"))).to_be_enabled()
    if page.get_by_role("button", name="Continue").count():
        page.get_by_role("button", name="Continue").click()
    fill_card(page, number)
    pay_button(page).click()


def test_contact_pays_an_invoice_with_a_test_card_and_sees_it_paid(
    page: Page, base_url: str, portal: PortalHandle, staff: ApiClient, payer: Customer
) -> None:
    [invoice] = open_invoices(portal, staff, payer, 1)
    sign_in(page, base_url, payer.email, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.goto(f"{base_url}/invoices/{invoice['invoice_id']}")
    page.get_by_role("link", name="Pay now").click()

    expect(page.get_by_role("heading", name="Pay invoices", level=1)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(invoice["number"]))).to_contain_text("$100.00")
    expect(page.get_by_test_id("pay-total")).to_have_text("$100.00")
    pay_with_card(page, SUCCEEDS)

    settled(portal, quickly(page.get_by_role("heading", name="Payment received")))
    expect(page.get_by_text(f"Invoice {invoice['number']}: $100.00")).to_be_visible()
    portal.drain()  # the invoice learns of the payment from its event
    after = payer.api.get(f"/invoices/{invoice['invoice_id']}").json
    assert after["status"] == "paid" and after["amount_due"]["amount"] == 0
    page.get_by_role("link", name=invoice["number"]).click()
    expect(page.get_by_role("heading", name=f"Invoice {invoice['number']}")).to_be_visible()
    expect(page.locator(".title-row .badge")).to_have_text(["Paid"])
    expect(page.get_by_role("link", name="Pay now")).to_have_count(0)
    payments = page.get_by_role("region", name="Payments")
    expect(payments).to_contain_text("$100.00")
    expect(payments).to_contain_text("Card")


def test_a_declined_card_says_why_pays_nothing_and_the_contact_can_try_again(
    page: Page, base_url: str, portal: PortalHandle, staff: ApiClient, payer: Customer
) -> None:
    [invoice] = open_invoices(portal, staff, payer, 1)
    sign_in(page, base_url, payer.email, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.goto(f"{base_url}/pay?invoices={invoice['invoice_id']}")
    pay_with_card(page, DECLINED)

    expect(page.get_by_test_id("payment-error")).to_contain_text("Your card was declined.")
    settled(portal, lambda: expect(pay_button(page)).to_be_enabled(timeout=500))
    portal.drain()
    unpaid = payer.api.get(f"/invoices/{invoice['invoice_id']}").json
    assert unpaid["amount_paid"]["amount"] == 0 and unpaid["amount_due"]["amount"] == 100_00
    assert not unpaid.get("payment_pending")
    [failed] = payer.api.get("/payments").json["items"]
    assert failed["status"] == "failed"

    # Another card, another press: a new attempt (a fresh Idempotency-Key), which goes through.
    pay_with_card(page, SUCCEEDS)
    settled(portal, quickly(page.get_by_role("heading", name="Payment received")))
    portal.drain()
    assert payer.api.get(f"/invoices/{invoice['invoice_id']}").json["status"] == "paid"


def test_contact_selects_two_invoices_pays_them_at_once_and_opens_the_receipt(
    page: Page, base_url: str, portal: PortalHandle, staff: ApiClient, payer: Customer
) -> None:
    older, newer = open_invoices(portal, staff, payer, 2)
    sign_in(page, base_url, payer.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Invoices").click()
    page.get_by_label(f"Select invoice {older['number']}").check()
    page.get_by_label(f"Select invoice {newer['number']}").check()
    expect(page.get_by_role("region", name="Pay several invoices")).to_contain_text("2 selected: $300.00")
    page.get_by_role("button", name="Pay selected").click()

    rows = page.locator("table.allocation tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(older["number"])  # oldest first
    expect(page.get_by_test_id("pay-total")).to_have_text("$300.00")
    pay_with_card(page, SUCCEEDS)
    settled(portal, quickly(page.get_by_role("heading", name="Payment received")))
    expect(page.get_by_text(f"Invoice {older['number']}: $100.00")).to_be_visible()
    expect(page.get_by_text(f"Invoice {newer['number']}: $200.00")).to_be_visible()
    portal.drain()
    for invoice in (older, newer):
        assert payer.api.get(f"/invoices/{invoice['invoice_id']}").json["status"] == "paid"

    page.get_by_role("link", name="View receipt").click()
    expect(page.get_by_role("heading", name="Payment of $300.00")).to_be_visible()
    allocation = page.get_by_role("region", name="Where the money went")
    expect(allocation).to_contain_text(older["number"])
    expect(allocation).to_contain_text(newer["number"])
    expect(page.get_by_text(re.compile(r"ending in 4242"))).to_be_visible()
    receipt_route = re.compile(r"/api/payments/[^/]+/receipt$")
    with page.expect_response(receipt_route) as receipt, page.expect_download() as saved:
        page.get_by_role("button", name="Download receipt").click()
    assert receipt.value.status == 200
    assert receipt.value.headers["content-type"].startswith("application/pdf")
    assert saved.value.suggested_filename.endswith(".pdf")
    # The file the contact gets is this payment's receipt, allocation included.
    text = "".join(sheet.extract_text() for sheet in PdfReader(saved.value.path()).pages)
    for expected in (older["number"], newer["number"], "300.00"):
        assert expected in text
    expect(page.get_by_role("heading", name="Payment of $300.00")).to_be_visible()  # still on the page

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Payments").click()
    expect(page.locator("table.payments tbody tr")).to_have_count(1)
    expect(page.locator("table.payments tbody tr").first).to_contain_text("$300.00")


def test_3d_secure_is_completed_in_the_providers_dialog(
    page: Page, base_url: str, portal: PortalHandle, staff: ApiClient, payer: Customer
) -> None:
    [invoice] = open_invoices(portal, staff, payer, 1)
    sign_in(page, base_url, payer.email, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.get_by_role("link", name="Pay all outstanding").click()
    expect(page.get_by_test_id("pay-total")).to_have_text("$100.00")
    pay_with_card(page, NEEDS_3DS)

    dialog = page.get_by_role("dialog", name="3D Secure authentication")  # the provider's, not ours
    dialog.get_by_role("button", name="Complete authentication").click()
    settled(portal, quickly(page.get_by_role("heading", name="Payment received")))
    portal.drain()
    assert payer.api.get(f"/invoices/{invoice['invoice_id']}").json["status"] == "paid"


def test_contact_saves_a_card_pays_with_it_turns_auto_charge_on_and_removes_it(
    page: Page, base_url: str, portal: PortalHandle, staff: ApiClient, payer: Customer
) -> None:
    [invoice] = open_invoices(portal, staff, payer, 1)
    sign_in(page, base_url, payer.email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Payment methods").click()
    expect(page.get_by_text("You have no saved payment methods.")).to_be_visible()
    page.get_by_role("button", name="Add a card").click()
    fill_card(page, SUCCEEDS)
    page.get_by_role("button", name="Save card").click()
    expect(page.get_by_role("status")).to_have_text("Visa ending in 4242 was saved.")
    saved = page.get_by_role("region", name="Saved").get_by_role("listitem")
    expect(saved).to_have_count(1)
    expect(saved.first).to_contain_text("expires 12/2034")
    expect(saved.first).to_contain_text("Default")

    auto = page.get_by_label("Charge my default payment method automatically for subscriptions")
    auto.check()
    expect(page.get_by_role("status")).to_have_text("Automatic payments are on.")
    assert payer.api.get("/payment-methods").json["auto_charge"] is True

    # The saved card is the one offered, and it pays without typing anything.
    page.goto(f"{base_url}/pay?invoices={invoice['invoice_id']}")
    expect(page.get_by_label(re.compile("Visa ending in 4242"))).to_be_checked()
    expect(page.locator("#provider-card")).to_have_count(0)
    pay_button(page).click()
    settled(portal, quickly(page.get_by_role("heading", name="Payment received")))
    portal.drain()
    assert payer.api.get(f"/invoices/{invoice['invoice_id']}").json["status"] == "paid"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Payment methods").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove Visa ending in 4242").click()
    expect(page.get_by_role("status")).to_have_text("Visa ending in 4242 was removed.")
    expect(page.get_by_text("You have no saved payment methods.")).to_be_visible()
    assert payer.api.get("/payment-methods").json["methods"] == []


@pytest.fixture
def bank_settles_when_told(portal: PortalHandle) -> Iterator[Any]:
    """The local Stripe leaves debits processing until the test settles them (the bank's days)."""
    stripe = portal.local.stripe
    before, stripe.account.settle_seconds = stripe.account.settle_seconds, None
    try:
        yield stripe
    finally:
        stripe.account.settle_seconds = before


def intent_of(stripe: Any, payment_id: str) -> str:
    """The provider's intent for one of our payments (its metadata names our payment id)."""
    with stripe.account.lock:
        events = list(stripe.ledger.events.values())
    for event in events:
        intent = event["data"]["object"]
        if intent.get("object") == "payment_intent" and intent["metadata"].get("payment_id") == payment_id:
            return str(intent["id"])
    raise AssertionError(f"the provider has no intent for payment {payment_id}")


def test_a_bank_debit_shows_payment_pending_until_it_clears(
    page: Page, base_url: str, portal: PortalHandle, staff: ApiClient, bank_settles_when_told: Any
) -> None:
    payer = portal.new_customer(staff, currency="EUR")
    invoice = create_invoice(staff, payer.customer_id, utc_today().isoformat(), currency="EUR")
    portal.drain()
    sign_in(page, base_url, payer.email, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.goto(f"{base_url}/pay?invoices={invoice['invoice_id']}")
    page.get_by_label("Bank debit (SEPA)").check()
    expect(pay_button(page).or_(page.get_by_role("button", name="Continue"))).to_be_enabled()
    if page.get_by_role("button", name="Continue").count():
        page.get_by_role("button", name="Continue").click()
    provider_frame(page, "iban").get_by_label("IBAN").fill("AT61 1904 3002 3457 3201")
    pay_button(page).click()

    # No events delivered yet: the debit is processing, and the page says so instead of waiting days.
    expect(page.get_by_role("heading", name="Payment pending")).to_be_visible(timeout=20_000)
    portal.drain()
    page.get_by_role("link", name=invoice["number"]).click()
    expect(page.get_by_text("Payment pending", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Pay now")).to_have_count(0)

    assert payer.api.get(f"/invoices/{invoice['invoice_id']}").json["payment_pending"] is True

    # The bank clears it: the provider's webhook, then the invoice's own event.
    [payment] = payer.api.get("/payments").json["items"]
    assert payment["status"] == "pending"
    bank_settles_when_told.settle(intent_of(bank_settles_when_told, payment["payment_id"]))
    assert bank_settles_when_told.wait_for_webhooks(20)
    portal.drain()
    after = payer.api.get(f"/invoices/{invoice['invoice_id']}").json
    assert after["status"] == "paid" and after["payment_pending"] is False
    cleared = payer.api.get(f"/payments/{payment['payment_id']}").json
    assert cleared["status"] == "succeeded" and cleared["method"]["kind"] == "bank_debit"
    page.reload()
    expect(page.locator(".title-row .badge")).to_have_text(["Paid"])


def test_contact_sees_credit_from_an_advance_payment_and_applies_it_to_an_invoice(
    page: Page, base_url: str, portal: PortalHandle, staff: ApiClient, payer: Customer
) -> None:
    started = payer.api.post("/payments", {"amount": 50_00}, headers={"Idempotency-Key": "advance-1"})
    assert started.status_code == 201, started.get_data(as_text=True)
    stripe = portal.local.stripe
    stripe.browser().pay_with_card(started.json["client_secret"], SUCCEEDS.replace(" ", ""))
    assert stripe.wait_for_webhooks(20)
    [invoice] = open_invoices(portal, staff, payer, 1)

    sign_in(page, base_url, payer.email, PASSWORD)
    expect(page.get_by_role("region", name="Available credit")).to_contain_text("$50.00")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Credit", exact=True).click()
    expect(page.get_by_test_id("credit-balance")).to_have_text("$50.00")
    history = page.get_by_role("region", name="History").locator("tbody tr")
    expect(history).to_have_count(1)
    expect(history.first).to_contain_text("Added")
    expect(history.first).to_contain_text("+$50.00")

    page.get_by_label("Invoice", exact=True).select_option(invoice["invoice_id"])
    page.get_by_role("button", name="Apply credit").click()
    expect(page.get_by_role("status")).to_have_text(
        f"$50.00 of credit was applied to invoice {invoice['number']}."
    )
    expect(page.get_by_test_id("credit-balance")).to_have_text("$0.00")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text(f"Paid invoice {invoice['number']}")

    portal.drain()
    after = payer.api.get(f"/invoices/{invoice['invoice_id']}").json
    assert after["amount_due"]["amount"] == 50_00 and after["status"] == "partially_paid"
    page.get_by_role("link", name=invoice["number"]).click()
    expect(page.get_by_role("region", name="Payments")).to_contain_text("Credit applied")


@pytest.fixture
def preferences(portal: PortalHandle, staff: ApiClient) -> Iterator[Callable[..., None]]:
    """Changes the tenant's portal preferences for one test and puts them back."""
    before = staff.get("/staff/portal/preferences").json

    def change(modules: dict[str, bool] | None = None, actions: dict[str, bool] | None = None) -> None:
        changed = {
            **before,
            "modules": {**before["modules"], **(modules or {})},
            "actions": {**before["actions"], **(actions or {})},
        }
        assert staff.put("/staff/portal/preferences", json=changed).status_code == 200
        portal.drain()

    yield change
    assert staff.put("/staff/portal/preferences", json=before).status_code == 200
    portal.drain()


def test_payment_pages_follow_the_tenants_module_and_actions(
    page: Page,
    base_url: str,
    portal: PortalHandle,
    staff: ApiClient,
    payer: Customer,
    preferences: Callable[..., None],
) -> None:
    [invoice] = open_invoices(portal, staff, payer, 1)
    preferences(actions={"partial_payments": False})
    sign_in(page, base_url, payer.email, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.goto(f"{base_url}/pay?invoices={invoice['invoice_id']}")
    expect(page.get_by_test_id("pay-total")).to_have_text("$100.00")
    expect(page.get_by_role("textbox", name=re.compile("Amount to pay"))).to_have_count(0)  # whole only

    preferences(modules={"payments": False})
    page.goto(f"{base_url}/invoices/{invoice['invoice_id']}")
    expect(page.get_by_role("heading", name=f"Invoice {invoice['number']}")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    for hidden in ("Payments", "Credit", "Payment methods"):
        expect(nav.get_by_role("link", name=hidden, exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Pay now")).to_have_count(0)
    page.goto(f"{base_url}/payments")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
