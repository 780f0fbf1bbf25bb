"""Emails in every language the portal speaks: each English template has its Arabic twin (and every
template of another language has its English original), Arabic mails are right-to-left with amounts
and dates as CLDR writes them for Arabic (Babel), and the tenant's branding reaches them."""

from __future__ import annotations

import re

import pytest

from shared import mail
from shared.mail import TEMPLATES, Branding, format_date, format_money, render
from tests.unit.test_mail import BRAND, CONTEXTS

PARTS = (".subject.txt", ".html", ".txt")


def _names(language: str) -> set[str]:
    return {p.name.removesuffix(".html") for p in (TEMPLATES / language).glob("*.html")}


def test_every_english_template_has_an_arabic_twin_in_every_part() -> None:
    for name in _names("en"):
        for part in PARTS:
            assert (TEMPLATES / "ar" / f"{name}{part}").is_file(), f"ar/{name}{part}"


@pytest.mark.parametrize(
    "language", sorted(p.name for p in TEMPLATES.iterdir() if p.is_dir() and p.name != "en")
)
def test_every_other_language_translates_english_templates_only_and_whole(language: str) -> None:
    assert _names(language) <= _names("en")
    for name in _names(language):
        for part in PARTS:
            assert (TEMPLATES / language / f"{name}{part}").is_file(), f"{language}/{name}{part}"


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_every_arabic_template_renders_right_to_left_in_arabic(name: str) -> None:
    rendered = render(name, CONTEXTS[name], language="ar", brand=BRAND)
    assert rendered.language == "ar"
    assert '<html lang="ar" dir="rtl">' in rendered.html and '<body dir="rtl"' in rendered.html
    arabic = re.compile(r"[\u0600-\u06ff]")
    assert arabic.search(rendered.subject) and arabic.search(rendered.text)
    # No English sentence left behind: the greeting and the layout's footer are Arabic too.
    assert "Hi " not in rendered.text and "You receive this" not in rendered.text
    assert "<" not in rendered.text.replace("<b", "")
    for value in CONTEXTS[name].values():
        if isinstance(value, str) and value.startswith("https://") and not name.startswith("staff_"):
            assert f'href="{value}' in rendered.html and value in rendered.text


def test_an_arabic_invoice_email_formats_money_and_dates_for_arabic() -> None:
    rendered = render("invoice_issued", CONTEXTS["invoice_issued"], language="ar-SA", brand=BRAND)
    amount = format_money(CONTEXTS["invoice_issued"]["amount_due"], "ar")
    due = format_date(CONTEXTS["invoice_issued"]["due_date"], "ar")
    assert amount == "\u200f5,391.03\xa0US$" and due == "20\u200f/12\u200f/2026"  # CLDR's Arabic forms
    assert amount.replace("\xa0", " ") in rendered.subject  # a header is one line of plain spaces
    assert f"المبلغ المستحق:   {amount}" in rendered.text and due in rendered.html
    assert "مرحبًا Maya Chen" in rendered.text
    assert "text-align:left" in rendered.html  # the amounts column sits at the far (left) edge


def test_document_words_from_events_are_translated() -> None:
    context = {**CONTEXTS["comment_reply"], "document": "estimate"}
    assert "عرض السعر" in render("comment_reply", context, language="ar", brand=BRAND).subject


def test_footer_links_reach_every_language() -> None:
    links = (("Terms", "https://renotech.example/terms"), ("Privacy", "https://renotech.example/privacy"))
    brand = Branding(**{**BRAND.__dict__, "footer_links": links})
    for language in ("en", "ar"):
        rendered = render("invitation", CONTEXTS["invitation"], language=language, brand=brand)
        for label, url in links:
            assert f'<a href="{url}"' in rendered.html and f"{label}: {url}" in rendered.text


def test_branding_reads_portal_name_and_https_footer_links_from_the_profile(
    monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    from shared import preferences
    from shared.settings import forget as forget_settings

    request.addfinalizer(forget_settings)
    monkeypatch.setenv("MAIL_FROM", "billing@acme.test")
    forget_settings()
    profile = (
        '{"name": "Acme", "portal_name": "Acme Billing", "footer_links": ['
        '{"label": "Terms", "url": "https://acme.test/terms"}, {"label": "Bad", "url": "javascript:x"}]}'
    )
    settings = preferences.TenantSettings(preferences=preferences.PortalPreferences(), business_json=profile)
    brand = mail.branding(settings)
    assert brand.portal_name == "Acme Billing"
    assert brand.footer_links == (("Terms", "https://acme.test/terms"),)
