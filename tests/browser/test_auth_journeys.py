"""The front door as contacts live it: an invitation followed from the local mailbox to a signed-in
portal, enrolling an authenticator, signing in again with its code; and a forgotten password."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.auth_support import STRONG_PASSWORD, totp_code
from tests.browser.test_portal_slice import sign_in
from tests.sso_idp import IdentityProvider, domain_of, running_idp, sso_policy
from tests.support import PASSWORD, PortalHandle

pytestmark = pytest.mark.browser


def open_latest_email(page: Page, base_url: str, to: str, subject: str) -> None:
    page.goto(f"{base_url}/_local/mail?to={to}")
    page.get_by_role("link", name=re.compile(subject)).first.click()


def test_invited_contact_sets_a_password_enrols_mfa_and_signs_in_with_a_code(
    page: Page, base_url: str, portal: PortalHandle
) -> None:
    staff = portal.staff()
    customer = portal.new_customer(staff)
    email = f"ines.{customer.contact_id}@example.com"
    contact = staff.post(
        f"/staff/customers/{customer.customer_id}/contacts",
        {"first_name": "Ines", "last_name": "Duarte", "email": email, "is_primary": False},
    ).json
    portal.drain()  # auth knows the contact from its ContactAdded event
    invited = staff.post(
        f"/staff/customers/{customer.customer_id}/contacts/{contact['contact_id']}/invitation"
    )
    assert invited.status_code == 202
    portal.drain()

    open_latest_email(page, base_url, email, "invited")
    page.frame_locator("iframe[title='Email content']").get_by_role("link", name="Accept invitation").click()
    expect(page.get_by_role("heading", name="Welcome! Choose your password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill("password1234")
    page.get_by_label("Confirm new password").fill("password1234")
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("too easy to guess")
    page.get_by_label("New password", exact=True).fill(STRONG_PASSWORD)
    page.get_by_label("Confirm new password").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Security").click()
    expect(page.get_by_role("heading", name="Sign-in and security", level=1)).to_be_visible()
    page.get_by_label("Your password").fill("not-my-password-1")
    page.get_by_role("button", name="Set up two-step verification").click()
    expect(page.get_by_role("alert")).to_contain_text("not right")
    page.get_by_label("Your password").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Set up two-step verification").click()
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Authentication code").fill("000000")
    page.get_by_role("button", name="Verify and turn on").click()
    expect(page.get_by_role("alert")).to_contain_text("not right")
    page.get_by_label("Authentication code").fill(totp_code(secret))
    page.get_by_role("button", name="Verify and turn on").click()
    expect(page.get_by_role("status").first).to_contain_text("On: signing in asks for a code")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name=re.compile("Sign in"))).to_be_visible()
    sign_in(page, base_url, email, STRONG_PASSWORD)
    expect(page.get_by_role("heading", name="Two-step verification")).to_be_visible()
    page.get_by_label("Authentication code").fill(totp_code(secret))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()


def test_the_refresh_token_is_an_httponly_cookie_that_renews_the_session(
    page: Page, base_url: str, portal: PortalHandle
) -> None:
    customer = portal.new_customer(portal.staff())
    sign_in(page, base_url, customer.email, PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    # Chromium keeps a Secure cookie from http://127.0.0.1 (a potentially trustworthy origin).
    cookies = {c["name"]: c for c in page.context.cookies()}
    refresh = cookies["portal_refresh"]
    assert refresh["httpOnly"] and refresh["secure"] and refresh["sameSite"] == "Strict"
    assert refresh["path"] == "/api/auth"
    assert "portal_refresh" not in page.evaluate("document.cookie")
    stored = page.evaluate("JSON.stringify(sessionStorage)")
    assert "access_token" not in stored and "refresh_token" not in stored
    # An ID token the API refuses: the app renews it with the cookie and carries on.
    page.evaluate(
        "sessionStorage.setItem('portal.tokens', JSON.stringify({id_token: 'expired', expires_in: 0}))"
    )
    page.reload()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    assert "expired" not in page.evaluate("sessionStorage.getItem('portal.tokens')")


def test_forgotten_password_is_reset_from_the_emailed_link(
    page: Page, base_url: str, portal: PortalHandle
) -> None:
    customer = portal.new_customer(portal.staff())
    page.goto(f"{base_url}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(customer.email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("status")).to_contain_text("If an account exists for that email")
    portal.drain()

    open_latest_email(page, base_url, customer.email, "password")
    page.frame_locator("iframe[title='Email content']").get_by_role(
        "link", name="Choose a new password"
    ).click()
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password", exact=True).fill(STRONG_PASSWORD)
    page.get_by_label("Confirm new password").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password has been changed")
    sign_in(page, base_url, customer.email, STRONG_PASSWORD)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()


def test_primary_contact_sees_an_invited_colleague_on_the_dashboard(
    page: Page, base_url: str, portal: PortalHandle
) -> None:
    staff = portal.staff()
    customer = portal.new_customer(staff)
    colleague = staff.post(
        f"/staff/customers/{customer.customer_id}/contacts",
        {"first_name": "Noor", "last_name": "Haddad", "email": f"noor.{customer.contact_id}@example.com"},
    ).json
    portal.drain()
    staff.post(f"/staff/customers/{customer.customer_id}/contacts/{colleague['contact_id']}/invitation")
    portal.drain()
    sign_in(page, base_url, customer.email, PASSWORD)
    contacts = page.get_by_role("region", name="Contact persons")
    expect(contacts.get_by_role("listitem").filter(has_text="Noor Haddad")).to_contain_text("Invited")
    expect(contacts.get_by_role("listitem").filter(has_text="Casey")).to_contain_text("Has portal access")


def test_contact_signs_in_with_the_companys_identity_provider(
    page: Page, base_url: str, portal: PortalHandle
) -> None:
    staff = portal.staff()
    customer = portal.new_customer(staff)
    stack = portal.local.stack
    opted_in = [domain_of(customer.email), "elsewhere.example"]
    with (
        sso_policy(staff, sso_email_domains=opted_in),
        running_idp(
            IdentityProvider(pool_id=stack.ref("UserPool"), client_id=stack.ref("UserPoolClient"))
        ) as idp,
    ):
        idp.user = {"email": customer.email, "email_verified": "true"}
        page.goto(f"{base_url}/login")
        page.get_by_role("button", name="Sign in with Acme SSO").click()
        expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
        expect(page.get_by_role("main").get_by_text("Casey").first).to_be_visible()

        page.get_by_role("button", name="Sign out").click()
        expect(page.get_by_role("heading", name=re.compile("Sign in"))).to_be_visible()
        idp.user = {"email": "stranger@elsewhere.example", "email_verified": "true"}
        page.get_by_role("button", name="Sign in with Acme SSO").click()
        expect(page.get_by_role("heading", name="We could not sign you in")).to_be_visible()
        expect(page.get_by_role("alert")).to_contain_text(
            "There is no portal access for stranger@elsewhere.example"
        )


def test_a_colleague_signs_up_with_the_customers_sign_up_link(
    page: Page, base_url: str, portal: PortalHandle
) -> None:
    staff = portal.staff()
    customer = portal.new_customer(staff)
    policy = staff.get("/staff/auth/policy").json
    staff.put("/staff/auth/policy", {**policy, "self_signup": True})
    try:
        url = staff.post(f"/staff/customers/{customer.customer_id}/signup-link").json["url"]
        email = f"sam.{customer.contact_id}@example.com"
        page.goto(url)
        expect(page.get_by_role("heading", name="Create your billing portal login")).to_be_visible()
        page.get_by_label("First name").fill("Sam")
        page.get_by_label("Last name").fill("Okafor")
        page.get_by_label("Work email").fill(email)
        page.get_by_role("button", name="Sign up").click()
        expect(page.get_by_role("status")).to_contain_text("Check your inbox")
        portal.drain()
        # Nothing exists until the address's owner confirms from the email (sign-up still on).
        assert email not in {c["email"] for c in customer.api.get("/dashboard").json["contacts"]}
        open_latest_email(page, base_url, email, "Confirm your login")
        email_body = page.frame_locator("iframe[title='Email content']")
        email_body.get_by_role("link", name="Confirm and choose a password").click()
        page.get_by_label("New password", exact=True).fill(STRONG_PASSWORD)
        page.get_by_label("Confirm new password").fill(STRONG_PASSWORD)
        page.get_by_role("button", name="Set password and sign in").click()
        expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
        portal.drain()  # the customers service adds the contact from the event
        page.reload()
        expect(page.get_by_role("region", name="Contact persons")).to_contain_text("Sam Okafor")
    finally:
        staff.put("/staff/auth/policy", policy)
