"""Branding use cases: staff set the portal's name, colour, footer links and logo; anyone reads them
(the sign-in page shows them before sign-in). Every change is a BusinessProfileChanged carrying the
business profile and the branding together, so each service's email branding copy follows."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from services.customers.branding_schemas import (
    LOGO_MAX_BYTES,
    BrandingRequest,
    FooterLink,
    LogoUpload,
    LogoUploadRequest,
    PublicBranding,
)
from services.customers.logic.brand import MINIMUM_CONTRAST, Brand, contrast_with_white
from services.customers.schemas import BusinessProfile
from shared.business import BusinessFacts
from shared.business import FooterLink as FooterFacts
from shared.errors import NotFound, ValidationFailed
from shared.event_models import BusinessProfileChanged
from shared.events import outbox_event
from shared.ids import new_id
from shared.lazy import lazy_module
from shared.mail import DEFAULT_BRAND_COLOR, portal_link
from shared.preferences import forget_cached_preferences
from shared.settings import common

if TYPE_CHECKING:
    from services.customers import branding_store, logo_store, store
else:  # boto3/pynamodb load on the first request that needs them
    branding_store = lazy_module("services.customers.branding_store")
    logo_store = lazy_module("services.customers.logo_store")
    store = lazy_module("services.customers.store")

LOGO_PATH = "/api/branding/logo"


# The first bytes of each accepted format (the upload's declared type is not trusted).
def _image_type(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _business() -> BusinessProfile | None:
    raw = store.tenant_settings()
    return BusinessProfile.model_validate_json(raw.business_json) if raw and raw.business_json else None


def logo_path(brand: Brand) -> str | None:
    return f"{LOGO_PATH}?v={brand.logo_version}" if brand.logo_key else None


def facts(business: BusinessProfile | None, brand: Brand) -> BusinessFacts:
    """The business profile and the branding as BusinessProfileChanged tells them."""
    base = business.model_dump() if business else {"name": common().tenant_name}
    path = logo_path(brand)
    return BusinessFacts.model_validate(
        {
            **base,
            "portal_name": brand.portal_name,
            "brand_color": brand.brand_color,
            # Emails need an absolute URL; the portal serves the logo itself (no other origin).
            "logo_url": portal_link(path) if path else None,
            "footer_links": [FooterFacts(label=label, url=url) for label, url in brand.footer_links],
        }
    )


def business_facts(business: BusinessProfile) -> BusinessFacts:
    """A new business profile with the branding as it is (PUT /staff/portal/business)."""
    return facts(business, branding_store.read_branding())


def public_branding() -> PublicBranding:
    brand = branding_store.read_branding()
    business = _business()
    return PublicBranding(
        portal_name=brand.portal_name or (business.name if business else common().tenant_name),
        brand_color=brand.brand_color or DEFAULT_BRAND_COLOR,
        logo_url=logo_path(brand),
        footer_links=[FooterLink(label=label, url=url) for label, url in brand.footer_links],
    )


def _publish(brand: Brand, correlation_id: str | None) -> None:
    version = store.settings_version() + 1
    changed = BusinessProfileChanged(business=facts(_business(), brand), settings_version=version)
    branding_store.write_branding(brand, version, outbox_event(changed, correlation_id))
    forget_cached_preferences()


def set_branding(request: BrandingRequest, correlation_id: str | None = None) -> PublicBranding:
    if request.brand_color:
        ratio = contrast_with_white(request.brand_color)
        if ratio < MINIMUM_CONTRAST:
            raise ValidationFailed(
                f"White text on {request.brand_color} has a contrast of {ratio:.2f}:1; WCAG AA needs at "
                f"least {MINIMUM_CONTRAST}:1. Choose a darker colour."
            )
    brand = replace(
        branding_store.read_branding(),
        portal_name=request.portal_name,
        brand_color=request.brand_color,
        footer_links=tuple((link.label, link.url) for link in request.footer_links),
    )
    _publish(brand, correlation_id)
    return public_branding()


def start_logo_upload(request: LogoUploadRequest) -> LogoUpload:
    upload_id = new_id()
    url, fields = logo_store.presigned_post(upload_id, request.content_type, LOGO_MAX_BYTES)
    return LogoUpload(upload_id=upload_id, url=url, fields=fields, max_bytes=LOGO_MAX_BYTES)


def confirm_logo(upload_id: str, correlation_id: str | None = None) -> PublicBranding:
    """Checks the uploaded object itself (its real size and first bytes), then makes it the logo."""
    size = logo_store.head(upload_id)
    if size is None:
        raise NotFound("No logo was uploaded for this upload id.")
    if size > LOGO_MAX_BYTES:
        logo_store.delete(upload_id)
        raise ValidationFailed(f"The logo is larger than {LOGO_MAX_BYTES // 1024} KB.")
    head = logo_store.first_bytes(upload_id)
    content_type = _image_type(head)
    if content_type is None:
        logo_store.delete(upload_id)
        raise ValidationFailed("The logo must be a PNG, JPEG or WebP image.")
    brand = replace(
        branding_store.read_branding(),
        logo_key=logo_store.key_of(upload_id),
        logo_type=content_type,
        logo_version=upload_id,
    )
    _publish(brand, correlation_id)
    return public_branding()


def remove_logo(correlation_id: str | None = None) -> PublicBranding:
    brand = branding_store.read_branding()
    if brand.logo_key:
        _publish(replace(brand, logo_key=None, logo_type=None, logo_version=None), correlation_id)
    return public_branding()


def logo() -> tuple[bytes, str]:
    brand = branding_store.read_branding()
    body = logo_store.read(brand.logo_key) if brand.logo_key else None
    if body is None or brand.logo_type is None:
        raise NotFound("This portal has no logo.")
    return body, brand.logo_type
