"""The tenant's business profile as it travels to the other services in `BusinessProfileChanged`
(emails' branding). The customers service owns it and validates staff input with its own stricter
model (services/customers/schemas.py: BusinessProfile); plain types here keep email-validator out of
every function that imports the event catalog (~100 ms of cold start)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Name = Annotated[str, Field(min_length=1, max_length=120)]
Short = Annotated[str, Field(max_length=120)]
Phone = Annotated[str, Field(max_length=40, pattern=r"^[0-9+().\- ]*$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Address(Strict):
    line1: Short | None = None
    line2: Short | None = None
    city: Short | None = None
    region: Short | None = None
    postal_code: Annotated[str, Field(max_length=20)] | None = None
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None


class FooterLink(BaseModel):
    """A link in the portal's and the emails' footer (staff set them on the Branding page)."""

    model_config = ConfigDict(frozen=True)

    label: str
    url: str  # https only (the customers service checks it)


class BusinessFacts(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    address: Address | None = None
    # Branding (services/customers/branding_schemas.py): how the portal and its emails look.
    portal_name: str | None = None
    brand_color: str | None = None  # "#rrggbb", dark enough for white text (WCAG AA)
    logo_url: str | None = None  # absolute, served by the portal itself (GET /branding/logo)
    footer_links: list[FooterLink] = []


class Party(BaseModel):
    """Whom a document is addressed to: the customer's name, company and billing email, as they were
    when the document was drafted (a later rename does not rewrite issued documents)."""

    model_config = ConfigDict(frozen=True)

    name: str
    company: str | None = None
    email: str | None = None
