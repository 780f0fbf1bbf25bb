"""Staff run the portal's settings and branding from the console: a module turned off disappears for
contacts; the brand colour and name show on the sign-in page at once; an uploaded logo (straight to the
bucket by presigned POST, then checked) shows in the header. Both pages pass axe in English and Arabic."""

from __future__ import annotations

import re
import struct
import zlib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_accessible
from tests.browser.test_portal_slice import sign_in
from tests.support import DemoTenant, PortalHandle

pytestmark = pytest.mark.browser


def _png(path: Path) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x14\x53\x2d" * 48 for _ in range(16))
    header = struct.pack(">IIBBBBB", 48, 16, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return path


def _staff(demo: DemoTenant) -> object:
    return next(login for login in demo.logins if "staff" in login.who)


def _in_arabic(page: Page) -> None:
    page.evaluate("localStorage.setItem('portal.locale','ar')")
    page.reload()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_staff_turns_a_module_off_and_contacts_no_longer_see_it(
    page: Page, base_url: str, demo: DemoTenant, portal: PortalHandle
) -> None:
    staff = _staff(demo)
    api = portal.login(staff.email, staff.password)  # type: ignore[attr-defined]
    before = api.get("/staff/portal/preferences").json
    maya = demo.contact(0)
    try:
        sign_in(page, base_url, staff.email, staff.password)  # type: ignore[attr-defined]
        page.get_by_role("navigation", name="Staff console").get_by_role(
            "link", name="Portal settings"
        ).click()
        expect(page.get_by_role("heading", name="Portal settings", level=1)).to_be_visible()
        expect(
            page.get_by_text("Customers see the estimates you send and accept or decline them.")
        ).to_be_visible()
        expect(page.get_by_label("Edit their own details")).to_be_checked()
        expect(page.get_by_label("Two-step verification")).to_be_visible()
        expect(page.get_by_role("link", name=re.compile("Notification channels"))).to_have_attribute(
            "href", "/staff/notifications"
        )
        assert_accessible(page, "portal settings (en)")

        page.get_by_label("Estimates", exact=True).uncheck()
        page.get_by_role("button", name="Save settings").click()
        expect(page.get_by_role("status")).to_contain_text("Settings saved")
        assert api.get("/staff/portal/preferences").json["modules"]["estimates"] is False

        _in_arabic(page)
        expect(page.get_by_role("heading", name="إعدادات البوابة", level=1)).to_be_visible()
        expect(page.get_by_label("عروض الأسعار", exact=True)).not_to_be_checked()
        assert_accessible(page, "portal settings (ar)")
        page.evaluate("localStorage.setItem('portal.locale','en')")

        page.context.clear_cookies()
        page.evaluate("sessionStorage.clear()")
        sign_in(page, base_url, maya.email, maya.password)
        nav = page.get_by_role("navigation", name="Main")
        expect(nav.get_by_role("link", name="Invoices")).to_be_visible()
        expect(nav.get_by_role("link", name="Estimates")).to_have_count(0)
    finally:
        api.put("/staff/portal/preferences", before)


def test_brand_colour_name_and_logo_show_on_the_sign_in_page_and_in_the_portal(
    page: Page, base_url: str, demo: DemoTenant, portal: PortalHandle, tmp_path: Path
) -> None:
    staff = _staff(demo)
    api = portal.login(staff.email, staff.password)  # type: ignore[attr-defined]
    try:
        sign_in(page, base_url, staff.email, staff.password)  # type: ignore[attr-defined]
        page.get_by_role("navigation", name="Staff console").get_by_role("link", name="Branding").click()
        expect(page.get_by_role("heading", name="Branding", level=1)).to_be_visible()
        assert_accessible(page, "branding (en)")

        page.get_by_label("Brand colour (#rrggbb)").fill("#ffd700")
        expect(page.get_by_text(re.compile("Too light"))).to_be_visible()
        page.get_by_role("button", name="Save branding").click()
        expect(page.get_by_role("alert")).to_contain_text("4.5:1")  # the API refuses it too

        page.get_by_label("Portal name").fill("Reno Billing Hub")
        page.get_by_label("Brand colour (#rrggbb)").fill("#14532d")
        page.get_by_role("button", name="Add a link").click()
        page.get_by_label("Link 1 text").fill("Terms")
        page.get_by_label("Link 1 address").fill("https://renotech.example/terms")
        page.get_by_role("button", name="Save branding").click()
        expect(page.get_by_role("status")).to_have_text("Branding saved.")
        expect(page.locator(".topbar .brand-name")).to_have_text("Reno Billing Hub")  # at once

        page.get_by_label("Upload a logo").set_input_files(_png(tmp_path / "logo.png"))
        expect(page.get_by_role("status")).to_have_text("Logo saved.")
        preview = page.get_by_role("img", name="Current logo")
        expect(preview).to_be_visible()
        assert preview.evaluate("img => img.naturalWidth") == 48  # the image really loaded, same-origin
        expect(page.locator(".topbar .brand-logo")).to_be_visible()
        _in_arabic(page)
        expect(page.get_by_role("heading", name="الهوية التجارية", level=1)).to_be_visible()
        assert_accessible(page, "branding (ar)")
        page.evaluate("localStorage.setItem('portal.locale','en')")

        page.context.clear_cookies()
        page.evaluate("sessionStorage.clear()")
        page.goto(f"{base_url}/login")
        card = page.locator(".login-card")
        expect(card.locator(".brand-name")).to_have_text("Reno Billing Hub")
        expect(card.locator(".brand-logo")).to_be_visible()
        accent = page.evaluate(
            "getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()"
        )
        assert accent == "#14532d"
        button = page.get_by_role("button", name="Sign in")
        assert button.evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(20, 83, 45)"
        expect(page.get_by_role("link", name="Terms")).to_have_attribute(
            "href", "https://renotech.example/terms"
        )
        assert_accessible(page, "sign-in page, branded")
    finally:
        api.put("/staff/portal/branding", {"portal_name": None, "brand_color": None, "footer_links": []})
        api.delete("/staff/portal/branding/logo")
