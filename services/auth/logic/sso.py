"""Single sign-on through the tenant's OIDC identity provider, brokered by Cognito's hosted UI
(authorization code + PKCE). Who may come in is decided here: a user arriving from the identity
provider is linked to the customer contact with the same *verified* email, or refused with a reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from services.auth.schemas import SsoConfig, Tokens
from services.auth.settings import Api
from shared.errors import Unauthenticated, ValidationFailed
from shared.lazy import lazy_module
from shared.settings import common, load

if TYPE_CHECKING:
    from services.auth import store
else:  # pynamodb (most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.auth.store")

CALLBACK_PATH = "/sso/callback"


class SsoRefused(Exception):
    """The identity provider's user may not use this portal; the message says why, for the user."""


@dataclass(frozen=True)
class LinkedContact:
    customer_id: str
    contact_id: str


def link(email: str, email_verified: bool) -> LinkedContact:
    """The contact a federated user is, by verified email; refuses anyone else."""
    business = common().tenant_name
    if not email or not email_verified:
        raise SsoRefused(
            "Your company's sign-in did not confirm your email address, so we cannot match you to a contact."
        )
    claim = store.contact_claim(email.lower())
    if claim is None or not claim.customer_id or not claim.contact_id:
        raise SsoRefused(f"There is no portal access for {email}. Ask {business} to add you as a contact.")
    if not store.customer_access_enabled(claim.customer_id):
        raise SsoRefused(f"Portal access for your company is turned off. Contact {business}.")
    return LinkedContact(customer_id=claim.customer_id, contact_id=claim.contact_id)


def _domain_url() -> str:
    return load(Api).sso_domain_url.rstrip("/")


def _redirect_uri() -> str:
    return f"{common().portal_url}{CALLBACK_PATH}"


def config() -> SsoConfig:
    provider = load(Api).sso_provider_name
    if not provider or not _domain_url():
        return SsoConfig(enabled=False)
    return SsoConfig(
        enabled=True,
        provider_name=provider,
        authorize_url=f"{_domain_url()}/oauth2/authorize",
        client_id=load(Api).user_pool_client_id,
        redirect_uri=_redirect_uri(),
    )


def exchange(code: str, code_verifier: str, redirect_uri: str) -> Tokens:
    """The callback's authorization code (with its PKCE verifier) for the user's tokens, at the
    hosted UI's token endpoint."""
    settings = config()
    if not settings.enabled:
        raise ValidationFailed("Single sign-on is not set up for this portal.")
    if redirect_uri != settings.redirect_uri:
        raise ValidationFailed("The sign-in came back to an unexpected address.")
    form = urlencode(
        {
            "grant_type": "authorization_code",
            "client_id": settings.client_id,
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
    ).encode()
    request = Request(
        f"{_domain_url()}/oauth2/token",
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        # The URL is our own configuration (the pool domain), never the caller's.
        with urlopen(request, timeout=5) as response:
            body = json.loads(response.read())
    except HTTPError as error:
        if 400 <= error.code < 500:
            raise Unauthenticated("This sign-in link has expired or was already used. Start again.") from None
        raise
    except URLError as error:
        raise RuntimeError(f"the identity provider's token endpoint is unreachable: {error.reason}") from None
    return Tokens(
        id_token=body["id_token"],
        access_token=body["access_token"],
        refresh_token=body.get("refresh_token"),
        expires_in=int(body.get("expires_in", 0)),
    )
