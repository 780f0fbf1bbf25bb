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
