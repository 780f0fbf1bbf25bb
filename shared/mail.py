"""Branded email: Jinja2 templates (shared/mail_templates) rendered with the tenant's branding into a
MIME message (multipart/alternative: plain text + HTML, attachments if any) and sent through SES.

Only the notifications service sends email (from events); the auth service calls `send_email` for
the one-time links it owns. jinja2 and the SES client load lazily so a handler's cold start does not
pay for them until it actually sends.

Template files, per language (`en` always exists and is the fallback):
    <lang>/<name>.subject.txt   one line
    <lang>/<name>.html          extends _layout.html (autoescaped)
    <lang>/<name>.txt           extends _layout.txt
Every template gets `brand` (see `Branding`) and `portal_url` besides its own context.
"""

from __future__ import annotations

import email.policy
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shared.preferences import TenantSettings

from shared.settings import common

TEMPLATES = Path(__file__).parent / "mail_templates"
DEFAULT_LANGUAGE = "en"
DEFAULT_BRAND_COLOR = "#1d4ed8"
DEFAULT_TEXT_ON_BRAND = "#ffffff"
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_LANGUAGE = re.compile(r"^[a-z]{2}$")
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Branding:
    """How the tenant looks in its emails: its name and sender, logo and colour, contact details."""

    name: str
    sender: str  # "RenoTech Solutions <billing@renotech.solutions>"
    portal_url: str
    logo_url: str | None = None
    color: str = DEFAULT_BRAND_COLOR
    text_on_color: str = DEFAULT_TEXT_ON_BRAND
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    address_lines: tuple[str, ...] = field(default_factory=tuple)
    portal_name: str | None = None  # the portal's own name (Branding page), else the business's
    footer_links: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (label, https URL)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    html: str
    text: str
    language: str


class UnknownTemplate(LookupError):
    pass


def branding(settings: TenantSettings | None = None) -> Branding:
    """Branding from the environment (TENANT_NAME, MAIL_FROM, PORTAL_URL; read now, not at import)
    and the tenant's business profile (the sending service's own copy, `settings`): name, contact
    details, and — when the profile carries them — `logo_url` and `brand_color`. Anything missing
    falls back to a default."""
    business: dict[str, Any] = {}
    raw = settings.business_json if settings else None
    if raw:
        try:
            loaded = json.loads(raw)
            business = loaded if isinstance(loaded, dict) else {}
        except json.JSONDecodeError:
            business = {}
    name = str(business.get("name") or common().tenant_name)
    _, sender_address = parseaddr(common().mail_from)
    if not sender_address:
        raise RuntimeError("MAIL_FROM is not set: the portal has no sender address")
    color = str(business.get("brand_color") or "")
    logo = business.get("logo_url")
    address = business.get("address") or {}
    city_line = " ".join(
        str(part) for part in (address.get("postal_code"), address.get("city"), address.get("region")) if part
    )
    lines = [address.get("line1"), address.get("line2"), city_line, address.get("country")]
    return Branding(
        name=name,
        sender=formataddr((name, sender_address)),
        portal_url=common().portal_url.rstrip("/"),
        logo_url=str(logo) if isinstance(logo, str) and logo.startswith("https://") else None,
        color=color if _COLOR.match(color) else DEFAULT_BRAND_COLOR,
        email=business.get("email"),
        phone=business.get("phone"),
        website=business.get("website"),
        address_lines=tuple(str(line) for line in lines if line),
        portal_name=str(business.get("portal_name") or name),
        footer_links=_footer_links(business.get("footer_links")),
    )


def _footer_links(raw: Any) -> tuple[tuple[str, str], ...]:
    links = raw if isinstance(raw, list) else []
    return tuple(
        (str(link["label"]), str(link["url"]))
        for link in links
        if isinstance(link, dict) and str(link.get("url", "")).startswith("https://") and link.get("label")
    )


def portal_link(path: str) -> str:
    """An absolute link into the portal (PORTAL_URL read now: tests serve the portal elsewhere)."""
    return common().portal_url.rstrip("/") + "/" + path.lstrip("/")


# ---- rendering -------------------------------------------------------------------------------------


RTL_LANGUAGES = frozenset({"ar"})
# The few English words events put into a context (a document kind, an answer), per language.
WORDS: dict[str, dict[str, str]] = {
    "ar": {
        "invoice": "الفاتورة",
        "estimate": "عرض السعر",
        "approved": "تمت الموافقة عليه",
        "rejected": "رُفض",
        "requested": "قيد المراجعة",
        "accepted": "قبِل",
        "declined": "رفض",
    },
}


def word(value: Any, language: str) -> str:
    return WORDS.get(language, {}).get(str(value), str(value))


def direction(language: str) -> str:
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def format_money(value: Any, language: str = DEFAULT_LANGUAGE) -> str:
    """{"amount": <minor units>, "currency"} (or a Money) → "$5,391.03" / "5,391.03 CHF" (en); every
    other language as CLDR writes it (Babel): "5.391,03 $" (de), "‏5,391.03 US$" (ar)."""
    from shared.money import CURRENCY_EXPONENTS, Money

    money = value if isinstance(value, Money) else Money.model_validate(value)
    if language != DEFAULT_LANGUAGE:
        from babel.numbers import format_currency

        exponent = CURRENCY_EXPONENTS.get(money.currency, 2)
        return str(format_currency(Decimal(money.amount).scaleb(-exponent), money.currency, locale=language))
    amount_text, _, currency = money.display().rpartition(" ")
    symbol = CURRENCY_SYMBOLS.get(currency)
    if symbol is None:
        return f"{amount_text} {currency}"
    return f"-{symbol}{amount_text[1:]}" if amount_text.startswith("-") else f"{symbol}{amount_text}"


def format_date(value: Any, language: str = DEFAULT_LANGUAGE) -> str:
    """An ISO date (or datetime) → CLDR's medium date (Babel): "Dec 20, 2026" (en), "20.12.2026" (de),
    "20‏/12‏/2026" (ar)."""
    from babel.dates import format_date as cldr_date

    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return str(cldr_date(value, format="medium", locale=language))


@cache
def _environment() -> Any:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
        undefined=jinja2.StrictUndefined,  # a missing context key is an error, never a blank
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    # Formatting follows the template's language (the `language` every render passes in).
    environment.filters["money"] = jinja2.pass_context(lambda ctx, v: format_money(v, ctx["language"]))
    environment.filters["date"] = jinja2.pass_context(lambda ctx, v: format_date(v, ctx["language"]))
    environment.filters["word"] = jinja2.pass_context(lambda ctx, v: word(v, ctx["language"]))
    environment.filters["possessive"] = lambda name: f"{name}'" if str(name).endswith("s") else f"{name}'s"
    return environment


def _language(template: str, language: str | None) -> str:
    wanted = (language or "").split("-")[0].split("_")[0].lower()
    for candidate in (wanted, DEFAULT_LANGUAGE):
        if _LANGUAGE.match(candidate) and (TEMPLATES / candidate / f"{template}.html").is_file():
            return candidate
    raise UnknownTemplate(f"no mail template {template!r}")


def template_names() -> list[str]:
    return sorted(p.name.removesuffix(".html") for p in (TEMPLATES / DEFAULT_LANGUAGE).glob("*.html"))


def render(
    template: str,
    context: Mapping[str, Any],
    *,
    language: str | None = None,
    brand: Branding | None = None,
) -> RenderedEmail:
    if not re.match(r"^[a-z0-9_]+$", template):
        raise UnknownTemplate(f"no mail template {template!r}")
    lang = _language(template, language)
    brand = brand or branding()
    values = {
        "portal_url": brand.portal_url,
        **context,
        "brand": brand,
        "language": lang,
        "direction": direction(lang),
    }
    environment = _environment()
    subject = environment.get_template(f"{lang}/{template}.subject.txt").render(values)
    return RenderedEmail(
        subject=" ".join(subject.split()),  # one line: a header never carries a newline
        html=environment.get_template(f"{lang}/{template}.html").render(values),
        text=environment.get_template(f"{lang}/{template}.txt").render(values).strip() + "\n",
        language=lang,
    )


def build_message(
    to: str, rendered: RenderedEmail, brand: Branding, attachments: Sequence[Attachment] = ()
) -> EmailMessage:
    # CRLF as SMTP wants; headers unfolded up to RFC 5322's 998 (the stdlib folder otherwise moves a
    # long subject whole onto a continuation line, which shows as a leading space in some clients).
    message = EmailMessage(policy=email.policy.SMTP.clone(max_line_length=998))
    message["Subject"] = rendered.subject
    message["From"] = brand.sender
    message["To"] = to
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=brand.sender.rpartition("@")[2].rstrip(">") or None)
    # Quoted-printable: the whole message is 7-bit ASCII, whatever the language (any relay, any parser).
    message.set_content(rendered.text, cte="quoted-printable")
    message.add_alternative(rendered.html, subtype="html", cte="quoted-printable")
    for attachment in attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype or "octet-stream",
            filename=attachment.filename,
        )
    message["Content-Language"] = rendered.language  # after the parts: set_content drops Content-* headers
    return message


# ---- sending ---------------------------------------------------------------------------------------


@cache
def _ses() -> Any:
    from shared.aws import client  # lazily: only a function that sends pays for it

    return client("sesv2")


def send_email(
    to: str,
    template: str,
    context: Mapping[str, Any],
    *,
    language: str | None = None,
    attachments: Sequence[Attachment] = (),
    brand: Branding | None = None,
) -> str:
    """Render shared mail template `template` (subject, HTML, plain text) with the tenant's branding
    and send it through SES as MIME (multipart/alternative, attachments if any); returns the SES
    message id. SES errors (e.g. an unverified sender) propagate: the caller's retry decides.
    `brand`: the tenant's branding from the sending service's settings (default: the environment's only)."""
    brand = brand or branding()
    rendered = render(template, context, language=language, brand=brand)
    message = build_message(to, rendered, brand, attachments)
    # Raw content: SES takes the recipients from the message's headers (To).
    response = _ses().send_email(FromEmailAddress=brand.sender, Content={"Raw": {"Data": message.as_bytes()}})
    return str(response["MessageId"])
