"""The tenant's business profile: how it presents itself to its customers. The customers service
owns it; it travels to the other services in `BusinessProfileChanged` (emails' branding)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field

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


class BusinessProfile(Strict):
    """How the tenant presents itself to its customers in the portal."""

    name: Name
    email: EmailStr | None = None
    phone: Phone | None = None
    website: Annotated[str, Field(max_length=200, pattern=r"^https?://")] | None = None
    address: Address | None = None
