"""Single sign-on: the pool's OAuth configuration, the callback's code → token exchange against a local
stand-in for the hosted UI, and the linking rules (verified email → the customer's contact)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
import requests

from infra.local.portal import REGION, tenant_parameters
from infra.local.provision import provision
from services.auth import store
from services.auth.consumers import cognito_trigger
from services.auth.logic.sso import SsoRefused
from tests.sso_idp import IdentityProvider, domain_of, running_idp, sso_policy
from tests.support import ApiClient, Customer, PortalHandle


@pytest.fixture
def idp(portal: PortalHandle) -> Iterator[IdentityProvider]:
    stack = portal.local.stack
    with running_idp(
        IdentityProvider(pool_id=stack.ref("UserPool"), client_id=stack.ref("UserPoolClient"))
    ) as idp:
        yield idp


@pytest.fixture
def opted_in(staff: ApiClient, customer: Customer) -> Iterator[None]:
    """The tenant trusts its identity provider for the customer's domain (and one without contacts)."""
    with sso_policy(staff, sso_email_domains=[domain_of(customer.email), "elsewhere.example"]):
        yield


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize(portal: PortalHandle, challenge: str) -> dict[str, list[str]]:
    """What the browser does: follow the sign-in page's SSO link, come back to the callback."""
    config = ApiClient(portal.gateway).get("/auth/sso").json
    response = requests.get(
        config["authorize_url"],
        params={
            "response_type": "code",
            "client_id": config["client_id"],
            "redirect_uri": config["redirect_uri"],
            "identity_provider": config["provider_name"],
            "scope": "openid email profile",
            "state": "s1",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
        allow_redirects=False,
        timeout=5,
    )
    assert response.status_code == 302
    location = urlparse(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == config["redirect_uri"]
    return parse_qs(location.query)


def test_sso_is_off_until_the_tenant_configures_an_identity_provider(portal: PortalHandle) -> None:
    assert ApiClient(portal.gateway).get("/auth/sso").json == {
        "enabled": False,
        "provider_name": None,
        "authorize_url": None,
        "client_id": None,
        "redirect_uri": None,
    }


def sso_sign_in(portal: PortalHandle) -> tuple[int, dict]:
    """The whole round: authorize at the stand-in, then the callback's code for tokens."""
    verifier, challenge = pkce()
    callback = authorize(portal, challenge)
    if "code" not in callback:
        return 302, {"error_description": callback["error_description"][0]}
    redirect_uri = ApiClient(portal.gateway).get("/auth/sso").json["redirect_uri"]
    body = {"code": callback["code"][0], "code_verifier": verifier, "redirect_uri": redirect_uri}
    response = ApiClient(portal.gateway).post("/auth/sso/token", body)
    return response.status_code, response.json  # type: ignore[return-value]


def test_a_contact_signs_in_through_the_identity_provider(
    portal: PortalHandle, customer: Customer, idp: IdentityProvider, opted_in: None
) -> None:
    idp.user = {"email": customer.email, "email_verified": "true"}
    verifier, challenge = pkce()
    callback = authorize(portal, challenge)
    assert callback["state"] == ["s1"]
    redirect_uri = ApiClient(portal.gateway).get("/auth/sso").json["redirect_uri"]
    body = {"code": callback["code"][0], "code_verifier": verifier, "redirect_uri": redirect_uri}
    anonymous = ApiClient(portal.gateway)
    signed_in = anonymous.post("/auth/sso/token", body)
    assert signed_in.status_code == 200, signed_in.get_data(as_text=True)
    assert idp.token_requests[-1]["code_verifier"] == verifier
    me = ApiClient(portal.gateway, signed_in.json["id_token"]).get("/me").json
    assert (me["customer_id"], me["contact_id"]) == (customer.customer_id, customer.contact_id)
    assert ApiClient(portal.gateway, signed_in.json["id_token"]).get("/dashboard").status_code == 200
    # The code works once.
    assert anonymous.post("/auth/sso/token", body).status_code == 401


def test_the_code_needs_its_own_verifier_and_our_callback(
    portal: PortalHandle, customer: Customer, idp: IdentityProvider, opted_in: None
) -> None:
    idp.user = {"email": customer.email, "email_verified": "true"}
    _, challenge = pkce()
    code = authorize(portal, challenge)["code"][0]
    redirect_uri = ApiClient(portal.gateway).get("/auth/sso").json["redirect_uri"]
    anonymous = ApiClient(portal.gateway)
    stolen = anonymous.post(
        "/auth/sso/token", {"code": code, "code_verifier": pkce()[0], "redirect_uri": redirect_uri}
    )
    assert stolen.status_code == 401
    elsewhere = anonymous.post(
        "/auth/sso/token",
        {"code": code, "code_verifier": pkce()[0], "redirect_uri": "https://evil.example/cb"},
    )
    assert elsewhere.status_code == 400


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ({"email": "stranger@elsewhere.example", "email_verified": "true"}, "There is no portal access"),
        (None, "did not confirm your email"),
    ],
)
def test_users_who_match_no_contact_are_refused_with_a_reason(
    portal: PortalHandle,
    customer: Customer,
    idp: IdentityProvider,
    opted_in: None,
    who: dict | None,
    reason: str,
) -> None:
    idp.user = who or {"email": customer.email, "email_verified": "false"}
    callback = authorize(portal, pkce()[1])
    assert callback["error"] == ["access_denied"]
    assert reason in callback["error_description"][0]
    assert "code" not in callback


def test_contacts_of_a_customer_with_access_off_are_refused(
    portal: PortalHandle, staff: ApiClient, customer: Customer, idp: IdentityProvider, opted_in: None
) -> None:
    assert (
        staff.put(f"/staff/customers/{customer.customer_id}/portal-access", {"enabled": False}).status_code
        == 200
    )
    idp.user = {"email": customer.email, "email_verified": "true"}
    assert "turned off" in authorize(portal, pkce()[1])["error_description"][0]


def test_the_pool_is_configured_for_the_hosted_ui_and_the_tenants_provider(portal: PortalHandle) -> None:
    cognito = boto3.client("cognito-idp")
    stack = portal.local.stack
    client = cognito.describe_user_pool_client(
        UserPoolId=stack.ref("UserPool"), ClientId=stack.ref("UserPoolClient")
    )["UserPoolClient"]
    assert client["AllowedOAuthFlows"] == ["code"]
    assert client["CallbackURLs"] == ["https://portal.renotech.solutions/sso/callback"]
    assert client["SupportedIdentityProviders"] == ["COGNITO"]  # the demo tenant has no IdP
    assert cognito.describe_user_pool_domain(Domain="portal-demo-dev")["DomainDescription"][
        "UserPoolId"
    ] == stack.ref("UserPool")

    with_sso = {
        **tenant_parameters(),
        "TenantId": "sso-tenant",
        "SsoProviderName": "AcmeAzureAD",
        "SsoIssuer": "https://login.acme.example/v2.0",
        "SsoClientId": "acme-client",
        "SsoClientSecret": "acme-secret",
    }
    other = provision(with_sso, region=REGION)
    pool = other.ref("UserPool")
    provider = cognito.describe_identity_provider(UserPoolId=pool, ProviderName="AcmeAzureAD")[
        "IdentityProvider"
    ]
    assert provider["ProviderType"] == "OIDC"
    assert provider["ProviderDetails"]["oidc_issuer"] == "https://login.acme.example/v2.0"
    assert provider["AttributeMapping"] == {"email": "email", "email_verified": "email_verified"}
    other_client = cognito.describe_user_pool_client(UserPoolId=pool, ClientId=other.ref("UserPoolClient"))
    assert other_client["UserPoolClient"]["SupportedIdentityProviders"] == ["COGNITO", "AcmeAzureAD"]


# ---- issue 10, item 5: SSO respects per-contact access, the MFA policy and the tenant's opt-in -------


def test_a_verified_email_links_nobody_until_the_tenant_opts_its_domain_in(
    portal: PortalHandle, staff: ApiClient, customer: Customer, idp: IdentityProvider
) -> None:
    idp.user = {"email": customer.email, "email_verified": "true"}
    status, body = sso_sign_in(portal)
    assert status == 302 and "not open to" in body["error_description"]
    with sso_policy(staff, sso_email_domains=["someone-else.example"]):
        assert "not open to" in sso_sign_in(portal)[1]["error_description"]
    with sso_policy(staff, sso_email_domains=[domain_of(customer.email)]):
        assert sso_sign_in(portal)[0] == 200


def test_an_sso_only_contact_gets_a_login_record_that_staff_can_turn_off(
    portal: PortalHandle, staff: ApiClient, customer: Customer, idp: IdentityProvider, opted_in: None
) -> None:
    email = f"sso.{customer.contact_id}@{domain_of(customer.email)}"
    added = staff.post(
        f"/staff/customers/{customer.customer_id}/contacts",
        {"first_name": "Sol", "last_name": "Only", "email": email, "is_primary": False},
    )
    assert added.status_code == 201
    portal.drain()  # the pool's triggers know contacts from auth's projection (ContactAdded)
    contact_id = added.json["contact_id"]  # type: ignore[index]
    assert store.login_of(customer.customer_id, contact_id) is None
    idp.user = {"email": email, "email_verified": "true"}
    assert sso_sign_in(portal)[0] == 200
    login = store.login_of(customer.customer_id, contact_id)
    assert login is not None and (login.status, login.email) == ("active", email)
    assert login.sso_user == f"Acme SSO_sso.{customer.contact_id}"
    mfa_reset = staff.post(f"/staff/customers/{customer.customer_id}/contacts/{contact_id}/mfa/reset")
    assert mfa_reset.status_code == 404  # no authenticator of ours to reset (and no 500)

    access = f"/staff/customers/{customer.customer_id}/contacts/{contact_id}/access"
    off = staff.put(access, {"enabled": False})
    assert off.status_code == 200, off.get_data(as_text=True)
    status, body = sso_sign_in(portal)
    assert status == 302 and "Your portal access is turned off" in body["error_description"]
    refresh = {
        "triggerSource": "TokenGeneration_RefreshTokens",
        "userName": login.sso_user,
        "request": {"userAttributes": {"email": email, "email_verified": "true", "identities": "[{}]"}},
    }
    with pytest.raises(SsoRefused):  # Cognito makes no new tokens from a refresh token either
        cognito_trigger(refresh, None)
    assert store.login_of(customer.customer_id, contact_id).status == "disabled"  # type: ignore[union-attr]

    assert staff.put(access, {"enabled": True}).status_code == 200
    assert sso_sign_in(portal)[0] == 200


def test_the_tenants_mfa_policy_applies_after_sso_unless_the_provider_enforces_mfa(
    portal: PortalHandle, staff: ApiClient, customer: Customer, idp: IdentityProvider
) -> None:
    idp.user = {"email": customer.email, "email_verified": "true"}
    domains = [domain_of(customer.email)]
    with sso_policy(staff, sso_email_domains=domains, mfa="required"):
        status, body = sso_sign_in(portal)
        assert status == 302 and "requires two-step verification" in body["error_description"]
    with sso_policy(staff, sso_email_domains=domains, mfa="required", sso_enforces_mfa=True):
        assert sso_sign_in(portal)[0] == 200
