"""The local Stripe's Stripe.js stand-in in real Chromium, under the portal's local Content-Security-Policy
(the `page` fixture fails a test on any CSP violation): a checkout page of its own (not the portal's
pages: those are tests/browser/test_payments.py) mounts the card and IBAN fields (frames of the local
Stripe, as Stripe's are), fills them by label and confirms; 3-D Secure answers through its dialog; card
data reaches the local Stripe only."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Page, expect
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from infra.local.headers import security_headers
from infra.local.stripe_local import LocalStripe
from infra.local.template import load
from shared.ids import new_id
from tests.support import PortalHandle

pytestmark = pytest.mark.browser

CHECKOUT_JS = """
const main = document.querySelector("main");
const stripe = Stripe(main.dataset.key);
const elements = stripe.elements();
const kind = main.dataset.kind;
const element = elements.create(kind);
element.mount("#fields");
const result = document.querySelector("#result");
element.on("change", (event) => { result.textContent = event.error ? event.error.message : ""; });
document.querySelector("#pay").addEventListener("click", async () => {
  const secret = main.dataset.secret;
  const answer = kind === "card"
    ? await stripe.confirmCardPayment(secret, {payment_method: {card: element}})
    : await stripe.confirmSepaDebitPayment(secret, {payment_method: {sepa_debit: element,
        billing_details: {name: "Ada Lovelace", email: "ada@example.com"}}});
  result.textContent = answer.error ? answer.error.message : answer.paymentIntent.status;
  const again = await stripe.retrievePaymentIntent(secret);
  document.querySelector("#status").textContent = again.paymentIntent.status;
});
"""


class CheckoutSite:
    """A page of the portal's origin (its CSP) that pays one intent with the stand-in."""

    def __init__(self, stripe: LocalStripe) -> None:
        self.stripe = stripe
        # The uploads origin is the branding bucket's; any concrete origin stands for it here.
        policy = security_headers(load(), local_stripe=stripe.url, local_uploads="http://127.0.0.1:9")
        self.csp = policy["Content-Security-Policy"][0]
        self.bodies: list[bytes] = []
        self.server = make_server("127.0.0.1", 0, self, threaded=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        self.bodies.append(request.full_path.encode() + request.get_data())
        if request.path == "/checkout.js":
            response = Response(CHECKOUT_JS, content_type="text/javascript")
        else:
            attributes = " ".join(
                f'data-{name}="{html.escape(request.args.get(name, ""))}"'
                for name in ("key", "secret", "kind")
            )
            response = Response(
                f"""<!doctype html><html lang="en"><head><title>Checkout</title>
                <script src="{self.stripe.js_url}"></script><script src="/checkout.js" defer></script></head>
                <body><main {attributes}><div id="fields"></div><button id="pay" type="button">Pay</button>
                <p id="result" role="status"></p><p id="status"></p></main></body></html>""",
                content_type="text/html",
            )
        response.headers["Content-Security-Policy"] = self.csp
        return response(environ, start_response)


@pytest.fixture(scope="module")
def stripe(portal: PortalHandle) -> LocalStripe:
    return portal.local.stripe  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def site(stripe: LocalStripe) -> Iterator[CheckoutSite]:
    checkout = CheckoutSite(stripe)
    yield checkout
    checkout.server.shutdown()


def open_checkout(page: Page, site: CheckoutSite, kind: str = "card", currency: str = "usd") -> str:
    made = site.stripe.browser().client.post(
        "/v1/payment_intents",
        data={
            "amount": "1250",
            "currency": currency,
            "allowed_payment_method_types[0]": "card",
            "allowed_payment_method_types[1]": "sepa_debit",
            "metadata[payment_id]": new_id(),
        },
        headers={"Authorization": f"Bearer {site.stripe.secret_key}"},
    )
    secret: str = made.json["client_secret"]  # type: ignore[index]
    page.goto(f"{site.url}/?key={site.stripe.publishable_key}&secret={secret}&kind={kind}")
    return secret


def field(page: Page, kind: str = "card") -> FrameLocator:
    """The element's frame (the local Stripe's origin, as Stripe's fields are js.stripe.com frames)."""
    return page.get_by_test_id(f"stripe-{kind}-element").frame_locator("iframe")


def fill_card(page: Page, number: str) -> None:
    card = field(page)
    card.get_by_label("Card number").fill(number)
    card.get_by_label("Expiry (MM/YY)").fill("12 / 34")
    card.get_by_label("CVC").fill("123")


def test_a_test_card_pays_and_its_number_goes_to_stripe_only(page: Page, site: CheckoutSite) -> None:
    secret = open_checkout(page, site)
    fill_card(page, "4242 4242 4242 4242")
    page.get_by_role("button", name="Pay").click()
    expect(page.locator("#status")).to_have_text("succeeded")
    intent_id = secret.split("_secret_")[0]
    assert site.stripe.ledger.objects[intent_id]["status"] == "succeeded"
    assert not [body for body in site.bodies if b"4242" in body]
    assert "4242" not in page.content()  # typed in Stripe's frame, not the page


def test_a_declined_card_shows_the_banks_reason(page: Page, site: CheckoutSite) -> None:
    open_checkout(page, site)
    fill_card(page, "4000 0000 0000 0002")
    page.get_by_role("button", name="Pay").click()
    expect(page.get_by_role("status")).to_have_text("Your card was declined.")
    expect(page.locator("#status")).to_have_text("requires_payment_method")


def test_a_wrong_number_is_reported_while_typing(page: Page, site: CheckoutSite) -> None:
    open_checkout(page, site)
    field(page).get_by_label("Card number").fill("4242 4242 4242 4241")
    expect(page.get_by_role("status")).to_have_text("Your card number is invalid.")
    expect(page.get_by_test_id("stripe-card-element")).to_have_class(re.compile(r"StripeElement--invalid"))


@pytest.mark.parametrize(
    ("button", "status"),
    [("Complete authentication", "succeeded"), ("Fail authentication", "requires_payment_method")],
)
def test_3d_secure_is_a_dialog_the_contact_answers(
    page: Page, site: CheckoutSite, button: str, status: str
) -> None:
    open_checkout(page, site)
    fill_card(page, "4000 0025 0000 3155")
    page.get_by_role("button", name="Pay").click()
    dialog = page.get_by_role("dialog", name="3D Secure authentication")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name=button).click()
    expect(dialog).to_have_count(0)
    expect(page.locator("#status")).to_have_text(status)


def test_a_bank_debit_is_processing_after_the_iban_is_confirmed(page: Page, site: CheckoutSite) -> None:
    secret = open_checkout(page, site, kind="iban", currency="eur")
    field(page, "iban").get_by_label("IBAN").fill("AT61 1904 3002 3457 3201")
    page.get_by_role("button", name="Pay").click()
    expect(page.locator("#status")).to_have_text("processing")
    assert site.stripe.settle(secret.split("_secret_")[0])["status"] == "succeeded"
