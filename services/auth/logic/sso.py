"""Single sign-on through the tenant's OIDC identity provider, brokered by Cognito's hosted UI
(authorization code + PKCE). Who may come in is decided here, by the pool's triggers, each time
Cognito would mint tokens (first sign-in, every sign-in, every refresh): a user arriving from the
identity provider is linked to the customer contact with the same *verified* email — only for the
email domains the tenant opted in (`sso_email_domains`: an IdP's `email_verified` alone must not take
over a contact) — and only while the customer's and the contact's own access are on; the tenant's MFA
policy `required` refuses SSO unless the tenant marked the provider as enforcing MFA itself. A linked
user gets a login record (`LOGIN#`), so staff can turn them off like any other contact.
"""

from __future__ import annotations

import base64
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


def link(email: str, email_verified: bool, username: str = "") -> LinkedContact:
    """The contact a federated user is, by verified email in an opted-in domain; refuses anyone else.
    `username` is the pool's name for the federated user (what staff's switches act on)."""
    business = common().tenant_name
    if not email or not email_verified:
        raise SsoRefused(
            "Your company's sign-in did not confirm your email address, so we cannot match you to a contact."
        )
    email = email.lower()
    policy = store.policy()
    if email.rpartition("@")[2] not in policy.sso_email_domains:
        raise SsoRefused(
            f"Single sign-on is not open to {email.rpartition('@')[2]} addresses in this portal. "
            f"Sign in with your email and password, or ask {business}."
        )
    if policy.mfa == "required" and not policy.sso_enforces_mfa:
        raise SsoRefused(
            f"{business} requires two-step verification, which this single sign-on does not provide. "
            "Sign in with your email and password."
        )
    claim = store.contact_claim(email)
    if claim is None or not claim.customer_id or not claim.contact_id:
        raise SsoRefused(f"There is no portal access for {email}. Ask {business} to add you as a contact.")
    if not store.customer_access_enabled(claim.customer_id):
        raise SsoRefused(f"Portal access for your company is turned off. Contact {business}.")
    if not store.activate_sso_login(claim.customer_id, claim.contact_id, email, username):
        raise SsoRefused(f"Your portal access is turned off. Contact {business}.")
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
    from services.auth import cognito

    # The app client is confidential: the token endpoint wants its secret (HTTP Basic).
    basic = base64.b64encode(f"{settings.client_id}:{cognito.client_secret()}".encode()).decode()
    request = Request(
        f"{_domain_url()}/oauth2/token",
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Authorization": f"Basic {basic}"},
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
