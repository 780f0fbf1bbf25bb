"""Contracts of the branding API: what staff set (name, colour, footer links, logo upload) and what the
portal reads before sign-in (`GET /branding`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field

from shared.contract import Schema

_trim = AfterValidator(str.strip)
LOGO_MAX_BYTES = 512 * 1024
LogoType = Literal["image/png", "image/jpeg", "image/webp"]


# Contrast against white text is checked by the use case (logic/branding.py): a computation, not a shape.
BrandColor = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$"), AfterValidator(str.lower)]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class FooterLink(Strict):
    label: Annotated[str, Field(min_length=1, max_length=40, pattern=r"\S"), _trim]
    # https only: the link shows in every page and email.
    url: Annotated[str, Field(max_length=300, pattern=r"^https://[^\s/$.?#][^\s]*$")]


class BrandingRequest(Strict):
    """What staff set on the Branding page (the logo has its own upload)."""

    portal_name: Annotated[str, Field(min_length=1, max_length=60, pattern=r"\S"), _trim] | None = None
    brand_color: BrandColor | None = None
    footer_links: list[FooterLink] = Field(default_factory=list, max_length=5)


class PublicBranding(Schema):
    """How the portal looks, read by the web app before anyone signs in."""

    portal_name: str
    brand_color: str
    logo_url: str | None  # same-origin path of GET /branding/logo (with a version to bust caches)
    footer_links: list[FooterLink]


class LogoUploadRequest(Strict):
    content_type: LogoType


class LogoUpload(Schema):
    """An S3 presigned POST: the browser posts `fields` + the file (last) as multipart/form-data to `url`."""

    upload_id: str
    url: str
    fields: dict[str, str]
    max_bytes: int


class LogoConfirm(Strict):
    upload_id: Annotated[str, Field(pattern=r"^[0-7][0-9a-hjkmnp-tv-z]{25}$")]
