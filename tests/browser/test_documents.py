"""Documents as a contact uses them: download an invoice's PDF from its page (the file read back
names the invoice and its total) and print it (the print stylesheet leaves the document only)."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.test_portal_slice import sign_in
from tests.support import DemoTenant, PortalHandle

pytestmark = pytest.mark.browser


def test_contact_downloads_and_prints_an_invoice(
    page: Page, base_url: str, demo: DemoTenant, portal: PortalHandle
) -> None:
    maya = demo.contact(0)
    invoice = portal.login(maya.email, maya.password).get("/invoices?limit=1").json["items"][0]

    sign_in(page, base_url, maya.email, maya.password)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.goto(f"{base_url}/invoices/{invoice['invoice_id']}")
    expect(page.get_by_role("heading", name=f"Invoice {invoice['number']}", level=1)).to_be_visible()
    history = page.get_by_role("region", name="History").get_by_role("listitem")
    expect(history.first).to_contain_text("Sent")
    if invoice["status"] in ("sent", "viewed"):
        expect(history.last).to_contain_text("Viewed")  # opening it was a step of its own

    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download PDF").click()
    download = downloading.value
    assert download.suggested_filename == f"{invoice['number']}.pdf"
    with open(download.path(), "rb") as file:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(file.read())).pages)
    assert invoice["number"] in text
    assert "RenoTech Solutions" in text
    amount = invoice["total"]["amount"]
    assert f"{amount // 100:,}.{amount % 100:02d} USD" in text

    # Printing: the page's chrome (navigation, buttons) is left out, the document stays.
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Download PDF")).to_be_hidden()
    expect(page.get_by_role("heading", name=f"Invoice {invoice['number']}", level=1)).to_be_visible()
    expect(page.locator("table.lines")).to_be_visible()


def test_contact_accepts_one_estimate_and_declines_another(
    page: Page, base_url: str, demo: DemoTenant, portal: PortalHandle
) -> None:
    maya = demo.contact(0)
    api = portal.login(maya.email, maya.password)
    seeded = api.get("/estimates?limit=100").json["items"]
    assert {item["status"] for item in seeded} >= {"sent", "accepted", "declined", "expired", "invoiced"}
    staff = portal.staff()
    customer_id = api.get("/dashboard").json["customer"]["customer_id"]
    from tests.support import create_estimate

    to_accept = create_estimate(staff, customer_id)
    to_decline = create_estimate(staff, customer_id)

    sign_in(page, base_url, maya.email, maya.password)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Estimates").click()
    expect(page.get_by_role("heading", name="Estimates", level=1)).to_be_visible()
    page.get_by_label("Status").select_option("expired")
    expect(page.locator("table tbody tr").first).to_contain_text("Expired")
    page.get_by_label("Status").select_option("")

    page.get_by_role("link", name=to_accept["number"]).click()
    expect(page.get_by_role("heading", name=f"Estimate {to_accept['number']}", level=1)).to_be_visible()
    page.get_by_role("button", name="Accept estimate").click()
    expect(page.get_by_role("status")).to_contain_text("You accepted this estimate")
    assert api.get(f"/estimates/{to_accept['estimate_id']}").json["status"] == "accepted"

    page.goto(f"{base_url}/estimates/{to_decline['estimate_id']}")
    page.get_by_role("button", name="Decline…").click()
    page.get_by_label("Why are you declining?").fill("The timeline does not work for us")
    page.get_by_role("button", name="Decline estimate").click()
    expect(page.get_by_role("status")).to_contain_text("The timeline does not work for us")
    declined = api.get(f"/estimates/{to_decline['estimate_id']}").json
    assert declined["status"] == "declined"
    assert declined["decline_reason"] == "The timeline does not work for us"

    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download PDF").click()
    assert downloading.value.suggested_filename == f"{to_decline['number']}.pdf"


def test_contact_comments_on_an_invoice_and_sees_staffs_visible_reply(
    page: Page, base_url: str, demo: DemoTenant, portal: PortalHandle
) -> None:
    maya = demo.contact(0)
    invoice = portal.login(maya.email, maya.password).get("/invoices?limit=1").json["items"][0]
    sign_in(page, base_url, maya.email, maya.password)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.goto(f"{base_url}/invoices/{invoice['invoice_id']}")
    thread = page.get_by_role("region", name="Comments")
    question = "Could you add our PO number to this invoice?"
    thread.get_by_label("Add a comment").fill(question)
    thread.get_by_role("button", name="Post comment").click()
    expect(thread.get_by_role("listitem").last).to_contain_text(question)

    staff = portal.staff()
    comments = f"/staff/invoices/{invoice['invoice_id']}/comments"
    assert [c["body"] for c in staff.get(comments).json["items"]][-1] == question
    staff.post(comments, {"body": "Internal: PO is 4471", "visible_to_customer": False})
    staff.post(comments, {"body": "Done, the PO is now on the invoice."})

    page.reload()
    thread = page.get_by_role("region", name="Comments")
    expect(thread.get_by_role("listitem").last).to_contain_text("Done, the PO is now on the invoice.")
    expect(thread.get_by_text(question)).to_be_visible()
    expect(thread.get_by_text("Internal: PO is 4471")).to_have_count(0)
