"""shared.mail: every template renders (subject, HTML, text) in the tenant's branding, HTML is
autoescaped, a missing context key is an error, attachments make a mixed MIME message; the
notifications catalog and its EventBridge rule agree."""

from __future__ import annotations

import itertools
from email import message_from_bytes, policy
from typing import Any

import jinja2
import pytest

from shared import mail
from shared.mail import Attachment, Branding, UnknownTemplate, build_message, format_money, render

BRAND = Branding(
    name="RenoTech Solutions",
    sender="RenoTech Solutions <billing@renotech.solutions>",
    portal_url="https://portal.renotech.solutions",
    color="#0f766e",
    email="billing@renotech.solutions",
    address_lines=("500 W 2nd Street", "78701 Austin TX"),
)
MONEY = {"amount": 539_103, "currency": "USD"}
INVOICE = {
    "invoice_id": "inv1",
    "invoice_url": "https://portal.renotech.solutions/invoices/inv1",
    "number": "INV-000042",
    "issue_date": "2026-11-20",
    "due_date": "2026-12-20",
    "total": MONEY,
    "amount_due": MONEY,
}
ALLOCATIONS = [
    {
        "invoice_id": "inv1",
        "number": "INV-000042",
        "amount": {"amount": 5_291_03, "currency": "USD"},
        "invoice_url": "https://portal.renotech.solutions/invoices/inv1",
    },
    {
        "invoice_id": "inv2",
        "number": "INV-000043",
        "amount": {"amount": 100_00, "currency": "USD"},
        "invoice_url": "https://portal.renotech.solutions/invoices/inv2",
    },
]
PAYMENT = {
    "payment_id": "pay1",
    "payment_url": "https://portal.renotech.solutions/payments/pay1",
    "amount": {"amount": 5_401_03, "currency": "USD"},
    "method_label": "Visa •••• 4242",
    "allocations": ALLOCATIONS,
    "credit": {"amount": 10_00, "currency": "USD"},
}
CONTEXTS: dict[str, dict[str, Any]] = {
    "invitation": {
        "contact_name": "Maya Chen",
        "customer_name": "Northwind Studio",
        "accept_url": "https://portal.renotech.solutions/invite/abc",
        "expires_on": "Nov 30, 2026",
    },
    "password_reset": {
        "contact_name": "Maya Chen",
        "reset_url": "https://portal.renotech.solutions/reset/abc",
        "code": "123456",
        "expires_minutes": 30,
    },
    "password_changed": {"contact_name": "Maya Chen", "changed_at": "Nov 23, 2026 09:30 UTC"},
    "email_change_code": {
        "contact_name": "maya@new-home.example.com",
        "code": "428913",
        "expires_minutes": 30,
    },
    "sign_in_email_changed": {
        "contact_name": "Maya Chen",
        "new_email": "maya@new-home.example.com",
        "changed_at": "Nov 23, 2026 09:30 UTC",
    },
    "staff_customer_self_service": {
        "staff_name": "there",
        "customer_name": "Northwind Studio",
        "summary": "Leo Park added Lina Haddad as a contact person",
    },
    "signup_confirm": {
        "customer_name": "Northwind Studio",
        "accept_url": "https://portal.renotech.solutions/accept-invitation?token=abc",
        "expires_on": "Nov 30, 2026",
    },
    "signup_welcome": {
        "contact_name": "Maya Chen",
        "customer_name": "Northwind Studio",
        "portal_url": "https://portal.renotech.solutions",
    },
    "invoice_issued": {**INVOICE, "contact_name": "Maya Chen", "customer_name": "Northwind Studio"},
    "payment_receipt": {
        **INVOICE,
        "contact_name": "Maya Chen",
        "customer_name": "Northwind Studio",
        "payment_amount": {"amount": 100_00, "currency": "USD"},
        "method_label": "Card",
    },
    "staff_invoice_viewed": {
        **INVOICE,
        "staff_name": "there",
        "customer_name": "Northwind Studio",
        "viewer_name": "Maya Chen",
    },
    "staff_contact_joined": {
        "staff_name": "there",
        "customer_name": "Northwind Studio",
        "contact_name": "Leo Park",
        "contact_email": "leo@northwind-studio.com",
    },
    "staff_comment_added": {
        "staff_name": "there",
        "customer_name": "Northwind Studio",
        "author_name": "Maya Chen",
        "document": "invoice",
        "document_number": "INV-000042",
        "document_url": "https://portal.renotech.solutions/invoices/01jxk7f2m9q8w3e5r6t7y8u9i0",
        "body": "Could you split the hosting line by month?",
    },
    "comment_reply": {
        "contact_name": "Maya Chen",
        "customer_name": "Northwind Studio",
        "document": "invoice",
        "document_number": "INV-000042",
        "document_url": "https://portal.renotech.solutions/invoices/01jxk7f2m9q8w3e5r6t7y8u9i0",
        "body": "Yes, a revised invoice follows today.",
    },
    "document_forwarded": {
        "customer_name": "Northwind Studio",
        "document": "invoice",
        "document_number": "INV-000042",
        "sender_name": "Maya Chen",
        "sender_email": "maya@northwind-studio.com",
        "message": "For the books, thanks!",
    },
    "staff_credit_note_requested": {
        "staff_name": "there",
        "customer_name": "Northwind Studio",
        "contact_name": "Maya Chen",
        "request_id": "01jxk7f2m9q8w3e5r6t7y8u9r0",
        "invoice_id": "inv1",
        "invoice_number": "INV-000042",
        "amount": {"amount": 150_00, "currency": "USD"},
        "reason": "Two seats unused",
        "status": "requested",
        "answer": None,
        "link_url": "https://portal.renotech.solutions/credit-notes",
    },
    "credit_note_answered": {
        "contact_name": "Maya Chen",
        "customer_name": "Northwind Studio",
        "request_id": "01jxk7f2m9q8w3e5r6t7y8u9r0",
        "invoice_id": "inv1",
        "invoice_number": "INV-000042",
        "amount": {"amount": 150_00, "currency": "USD"},
        "reason": "Two seats unused",
        "status": "rejected",
        "answer": "Both seats were used in November",
        "link_url": "https://portal.renotech.solutions/credit-notes",
    },
    "credit_note_issued": {
        "contact_name": "Maya Chen",
        "customer_name": "Northwind Studio",
        "credit_note_id": "cn1",
        "credit_note_url": "https://portal.renotech.solutions/credit-notes/cn1",
        "number": "CN-000003",
        "issue_date": "2026-11-20",
        "total": {"amount": 75_00, "currency": "USD"},
        "invoice_number": None,
    },
    "staff_estimate_answered": {
        "staff_name": "there",
        "customer_name": "Northwind Studio",
        "contact_name": "Maya Chen",
        "estimate_id": "01jxk7f2m9q8w3e5r6t7y8u9e0",
        "number": "EST-000007",
        "total": {"amount": 1_250_00, "currency": "USD"},
        "expiry_date": "2026-12-31",
        "answer": "declined",
        "reason": "Over our budget this quarter",
    },
    "staff_payment_received": {
        **INVOICE,
        "staff_name": "there",
        "customer_name": "Northwind Studio",
        "payment_amount": {"amount": 100_00, "currency": "USD"},
        "method_label": "Card",
    },
    "payment_succeeded": {**PAYMENT, "contact_name": "Maya Chen", "customer_name": "Northwind Studio"},
    "staff_payment_succeeded": {**PAYMENT, "staff_name": "there", "customer_name": "Northwind Studio"},
    "payment_failed": {
        **PAYMENT,
        "contact_name": "Maya Chen",
        "customer_name": "Northwind Studio",
        "failure_reason": "Your card was declined.",
        "pay_again_url": "https://portal.renotech.solutions/pay?invoices=inv1,inv2",
    },
    "payment_refunded": {
        **PAYMENT,
        "contact_name": "Maya Chen",
        "customer_name": "Northwind Studio",
        "refund_amount": {"amount": 50_00, "currency": "USD"},
        "refund_allocations": [{**ALLOCATIONS[1], "amount": {"amount": 50_00, "currency": "USD"}}],
        "credit_reversed": {"amount": 0, "currency": "USD"},
        "reason": None,
    },
    "credit_created": {
        "contact_name": "Maya Chen",
        "customer_name": "Northwind Studio",
        "amount": {"amount": 10_00, "currency": "USD"},
        "balance": {"amount": 35_00, "currency": "USD"},
        "credits_url": "https://portal.renotech.solutions/credits",
        "payment_url": "https://portal.renotech.solutions/payments/pay1",
    },
    "subscription_update": {
        "contact_name": "Maya Chen",
        "customer_name": "Northwind Studio",
        "kind": "paused",
        "subscription_id": "sub1",
        "subscription_url": "https://portal.renotech.solutions/subscriptions/sub1",
        "plan_name": "Growth",
        "quantity": 3,
        "billed": None,
        "next_renewal_at": None,
        "trial_ends_at": None,
        "paused_until": "2026-12-31",
        "at_term_end": False,
        "reason": None,
    },
}
SUBJECTS = {
    "invitation": "You're invited to RenoTech Solutions' billing portal",
    "password_reset": "Reset your password for RenoTech Solutions' billing portal",
    "password_changed": "Your password for RenoTech Solutions' billing portal was changed",
    "email_change_code": "Your code to confirm your new sign-in email for RenoTech Solutions' billing portal",
    "sign_in_email_changed": "Your sign-in email for RenoTech Solutions' billing portal was changed",
    "staff_customer_self_service": "Leo Park added Lina Haddad as a contact person",
    "signup_welcome": "Welcome to RenoTech Solutions' billing portal",
    "signup_confirm": "Confirm your login to RenoTech Solutions' billing portal",
    "invoice_issued": "Invoice INV-000042 from RenoTech Solutions: $5,391.03 due Dec 20, 2026",
    "payment_receipt": "Payment received: $100.00 for invoice INV-000042",
    "staff_invoice_viewed": "Northwind Studio viewed invoice INV-000042",
    "staff_payment_received": "Northwind Studio partly paid invoice INV-000042 ($100.00)",
    "staff_contact_joined": "Leo Park of Northwind Studio joined the billing portal",
    "payment_succeeded": "Payment received: $5,401.03",
    "staff_payment_succeeded": "Northwind Studio paid $5,401.03 online",
    "payment_failed": "Your payment of $5,401.03 did not go through",
    "payment_refunded": "Refund of $50.00 on your payment",
    "credit_created": "$10.00 added to your credit with RenoTech Solutions",
    "staff_estimate_answered": "Northwind Studio declined estimate EST-000007",
    "staff_credit_note_requested": "Northwind Studio asked for a credit note of $150.00 on INV-000042",
    "credit_note_answered": "Your credit note request on INV-000042 was rejected",
    "credit_note_issued": "Credit note CN-000003 of $75.00 from RenoTech Solutions",
    "staff_comment_added": "Maya Chen of Northwind Studio commented on invoice INV-000042",
    "comment_reply": "New reply on invoice INV-000042",
    "document_forwarded": "Maya Chen sent you invoice INV-000042 from RenoTech Solutions",
    "subscription_update": "Your Growth subscription is paused",
}


def test_every_template_has_a_test_context() -> None:
    assert sorted(CONTEXTS) == mail.template_names()


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_every_template_renders_branded_subject_html_and_text(name: str) -> None:
    rendered = render(name, CONTEXTS[name], brand=BRAND)
    assert rendered.subject == SUBJECTS[name]
    assert rendered.language == "en"
    assert "#0f766e" in rendered.html and "RenoTech Solutions" in rendered.html
    assert "500 W 2nd Street" in rendered.html and "500 W 2nd Street" in rendered.text
    assert "<" not in rendered.text.replace("<b", "")  # plain text: no markup
    for value in CONTEXTS[name].values():  # the links reach both parts (staff have no portal pages yet)
        if isinstance(value, str) and value.startswith("https://") and not name.startswith("staff_"):
            assert f'href="{value}' in rendered.html and value in rendered.text


def test_html_is_autoescaped_and_text_is_not() -> None:
    context = {**CONTEXTS["invitation"], "contact_name": "<script>alert(1)</script>"}
    rendered = render("invitation", context, brand=BRAND)
    assert "<script>" not in rendered.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.html
    assert "Hi <script>alert(1)</script>," in rendered.text


def test_a_missing_context_key_is_an_error_not_a_blank() -> None:
    context = dict(CONTEXTS["invitation"])
    del context["accept_url"]
    with pytest.raises(jinja2.UndefinedError, match="accept_url"):
        render("invitation", context, brand=BRAND)


@pytest.mark.parametrize("name", ["nope", "../_layout", "_layout", "INVITATION", "invitation.html"])
def test_unknown_templates_are_refused(name: str) -> None:
    with pytest.raises(UnknownTemplate):
        render(name, {}, brand=BRAND)


@pytest.mark.parametrize("language", [None, "en", "en-GB", "de", "de-DE", "../../etc", "x"])
def test_a_language_without_templates_falls_back_to_english(language: str | None) -> None:
    assert render("invitation", CONTEXTS["invitation"], language=language, brand=BRAND).language == "en"


def test_a_newline_in_context_never_reaches_the_subject_header() -> None:
    context = {**CONTEXTS["staff_invoice_viewed"], "customer_name": "Evil\r\nBcc: victim@example.com"}
    rendered = render("staff_invoice_viewed", context, brand=BRAND)
    assert "\n" not in rendered.subject and "\r" not in rendered.subject
    message = build_message("finance@renotech.solutions", rendered, BRAND)
    assert message["Bcc"] is None


def test_the_message_is_multipart_alternative_and_attachments_make_it_mixed() -> None:
    rendered = render("invoice_issued", CONTEXTS["invoice_issued"], brand=BRAND)
    plain = message_from_bytes(
        build_message("maya@example.com", rendered, BRAND).as_bytes(), policy=policy.default
    )
    assert plain.get_content_type() == "multipart/alternative"
    assert plain["From"] == BRAND.sender and plain["To"] == "maya@example.com" and plain["Date"]
    assert plain["Subject"] == SUBJECTS["invoice_issued"]

    pdf = Attachment("INV-000042.pdf", b"%PDF-1.7 test", "application/pdf")
    mixed = message_from_bytes(
        build_message("maya@example.com", rendered, BRAND, [pdf]).as_bytes(), policy=policy.default
    )
    assert mixed.get_content_type() == "multipart/mixed"
    [attachment] = list(mixed.iter_attachments())  # type: ignore[attr-defined]
    assert attachment.get_filename() == "INV-000042.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_payload(decode=True) == b"%PDF-1.7 test"
    assert mixed.get_body(preferencelist=("html",)) is not None  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("money", "text"),
    [
        ({"amount": 539_103, "currency": "USD"}, "$5,391.03"),
        ({"amount": 5, "currency": "EUR"}, "€0.05"),
        ({"amount": 1234, "currency": "JPY"}, "¥1,234"),
        ({"amount": 100_00, "currency": "CHF"}, "100.00 CHF"),
        ({"amount": -250, "currency": "GBP"}, "-£2.50"),
    ],
)
def test_money_is_formatted_from_minor_units(money: dict[str, Any], text: str) -> None:
    assert format_money(money) == text


def test_branding_comes_from_the_environment_and_the_business_profile(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    from shared import preferences
    from shared.settings import forget as forget_settings

    request.addfinalizer(forget_settings)

    def settings(business: str | None) -> Any:
        return preferences.TenantSettings(preferences=preferences.PortalPreferences(), business_json=business)

    monkeypatch.setenv("TENANT_NAME", "Acme")
    monkeypatch.setenv("MAIL_FROM", "billing@acme.test")
    monkeypatch.setenv("PORTAL_URL", "https://portal.acme.test/")
    forget_settings()  # read once per container: this test changes the environment
    plain = mail.branding(settings(None))
    assert (plain.name, plain.sender, plain.portal_url) == (
        "Acme",
        "Acme <billing@acme.test>",
        "https://portal.acme.test",
    )
    assert plain.color == mail.DEFAULT_BRAND_COLOR and plain.logo_url is None
    assert render("signup_welcome", {**CONTEXTS["signup_welcome"]}, brand=plain).subject == (
        "Welcome to Acme's billing portal"
    )

    profile = '{"name": "Acme Corp", "brand_color": "#123abc", "logo_url": "https://cdn.acme.test/logo.png"}'
    branded = mail.branding(settings(profile))
    assert (branded.name, branded.color, branded.logo_url) == (
        "Acme Corp",
        "#123abc",
        "https://cdn.acme.test/logo.png",
    )
    html = render("invitation", CONTEXTS["invitation"], brand=branded).html
    assert 'src="https://cdn.acme.test/logo.png"' in html and "#123abc" in html

    unsafe = '{"name": "Acme", "brand_color": "red;background:url(x)", "logo_url": "javascript:alert(1)"}'
    assert (mail.branding(settings(unsafe)).color, mail.branding(settings(unsafe)).logo_url) == (
        mail.DEFAULT_BRAND_COLOR,
        None,
    )


def test_every_planner_is_fed_by_the_notifications_rule_and_nothing_else() -> None:
    from infra.local.template import load
    from services.notifications.logic.catalog import PLANNERS

    pattern = load()["Resources"]["NotificationsRule"]["Properties"]["EventPattern"]
    assert set(PLANNERS) <= set(itertools.product(pattern["source"], pattern["detail-type"]))
    assert sorted(pattern["detail-type"]) == sorted({detail_type for _, detail_type in PLANNERS})
    assert sorted(pattern["source"]) == sorted({source for source, _ in PLANNERS})


def test_a_contact_language_with_templates_gets_them_with_its_formats() -> None:
    rendered = render("invoice_issued", CONTEXTS["invoice_issued"], language="de-DE", brand=BRAND)
    assert rendered.language == "de"
    assert rendered.subject == "Rechnung INV-000042 von RenoTech Solutions: 5.391,03 $ fällig am 20.12.2026"
    assert '<html lang="de" dir="ltr">' in rendered.html and "Hallo Maya Chen" in rendered.text
    assert "Offener Betrag: 5.391,03\u00a0$" in rendered.text  # CLDR keeps amount and symbol together
    message = build_message("anna@kestrel-robotics.de", rendered, BRAND)
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Subject"] == rendered.subject and parsed["Content-Language"] == "de"
    assert format_money({"amount": -123_456_78, "currency": "EUR"}, "de") == "-123.456,78\u00a0€"


def test_the_consumer_knows_its_last_try_from_the_queue_it_reads() -> None:
    from infra.local.template import load

    resources = load()["Resources"]
    redrive = resources["NotificationsQueue"]["Properties"]["RedrivePolicy"]
    consumer = resources["NotificationsDeliverFunction"]["Properties"]
    assert consumer["Environment"]["Variables"]["MAX_RECEIVE_COUNT"] == str(redrive["maxReceiveCount"])
    [source] = consumer["Events"].values()
    assert source["Properties"]["Queue"] == {"Fn::GetAtt": ["NotificationsQueue", "Arn"]}
    assert source["Properties"]["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
