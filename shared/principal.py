"""Who is calling: taken only from the verified token's claims that the API's authorizer places in
`requestContext.authorizer` — never from the request body or path. A Lambda authorizer's context
arrives flat (API Gateway allows no nested values); a Cognito authorizer's under `claims`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from shared.errors import Forbidden, Unauthenticated

STAFF_GROUP = "staff"


class Principal(BaseModel):
    model_config = ConfigDict(frozen=True)

    subject: str
    username: str
    email: str | None
    customer_id: str | None
    contact_id: str | None
    groups: tuple[str, ...]

    @property
    def is_staff(self) -> bool:
        return STAFF_GROUP in self.groups

    def require_customer(self) -> str:
        """The caller's own customer id; staff without a customer cannot use customer routes."""
        if not self.customer_id:
            raise Forbidden("This page is for customer contacts.")
        return self.customer_id

    def require_staff(self) -> None:
        if not self.is_staff:
            raise Forbidden("This action is for the business's staff only.")


def _groups(raw: Any) -> tuple[str, ...]:
    # API Gateway flattens list claims into a string ("[a, b]" or "a,b"); direct tokens give lists.
    if isinstance(raw, list):
        return tuple(str(item) for item in raw)
    if isinstance(raw, str) and raw:
        return tuple(part.strip() for part in raw.strip("[]").replace(",", " ").split() if part.strip())
    return ()


def principal_from_context(context: Mapping[str, Any]) -> Principal:
    authorizer = context.get("authorizer") or {}
    claims = authorizer.get("claims") or authorizer
    if not claims.get("sub"):
        raise Unauthenticated("Sign in to continue.")
    return Principal(
        subject=claims["sub"],
        username=claims.get("cognito:username") or claims["sub"],
        email=claims.get("email"),
        customer_id=claims.get("custom:customer_id") or None,
        contact_id=claims.get("custom:contact_id") or None,
        groups=_groups(claims.get("cognito:groups")),
    )
