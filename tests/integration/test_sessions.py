"""Sessions that end, end (issue #10 items 1, 3, 4, 8): Cognito cannot be called around the portal,
the browser never holds Cognito's access token or a readable refresh token, and an ID token stops
working within seconds of logout, password change or reset, access turned off or an MFA reset."""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest

from infra.local.gateway import default_authorizer
from tests.auth_support import STRONG_PASSWORD, link_token, refresh, sign_in, totp_code, with_cookie
from tests.integration.test_auth_flows import enrol_mfa
from tests.support import PASSWORD, ApiClient, Customer, PortalHandle, mails_to


def session_bound(portal: PortalHandle) -> float:
    """How long an ended session may still be accepted: the gateway's authorizer cache plus the
    authorizer's marker cache (both from template.yaml)."""
    template = portal.local.stack.template
    marker = template["Resources"]["AuthAuthorizerFunction"]["Properties"]["Environment"]["Variables"]
    return default_authorizer(template).ttl_seconds + float(marker["SESSION_MARKER_CACHE_SECONDS"])


def status_of(portal: PortalHandle, id_token: str) -> int:
    return ApiClient(portal.gateway, id_token).get("/me").status_code


# ---- item 1: Cognito cannot be called around the portal ----------------------------------------------


def test_the_app_client_has_a_secret_that_is_in_no_template_or_environment(portal: PortalHandle) -> None:
    import os

    stack = portal.local.stack
    client = boto3.client("cognito-idp").describe_user_pool_client(
        UserPoolId=stack.ref("UserPool"), ClientId=stack.ref("UserPoolClient")
    )["UserPoolClient"]
    secret = client["ClientSecret"]
    assert stack.template["Resources"]["UserPoolClient"]["Properties"]["GenerateSecret"] is True
    assert secret not in str(stack.template) and secret not in str(dict(os.environ))
    assert all(secret not in str(spec.environment) for spec in stack.functions.values())


def test_a_direct_initiate_auth_with_only_the_public_client_id_is_refused(
    portal: PortalHandle, customer: Customer
) -> None:
    cognito = boto3.client("cognito-idp")
    client_id = portal.local.stack.ref("UserPoolClient")
    session = sign_in(portal, customer.email)
    with pytest.raises(cognito.exceptions.NotAuthorizedException):
        cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": customer.email, "PASSWORD": PASSWORD},
        )
    # Not even with the refresh token, were a script to get hold of it.
    refresh_token = _refresh_token_of(session)
    with pytest.raises(cognito.exceptions.NotAuthorizedException):
        cognito.initiate_auth(
            ClientId=client_id, AuthFlow="REFRESH_TOKEN_AUTH", AuthParameters={"REFRESH_TOKEN": refresh_token}
        )


def _refresh_token_of(session: dict[str, Any]) -> str:
    from services.auth import session_cookie

    token = session_cookie.read(session["refresh_cookie"])
    assert token
    return token


def test_nothing_the_browser_holds_can_change_mfa_at_cognito(
    portal: PortalHandle, customer: Customer
) -> None:
    session = sign_in(portal, customer.email)
    assert "access_token" not in session and "refresh_token" not in session
    cognito = boto3.client("cognito-idp")
    for held in (session["id_token"], _refresh_token_of(session), session["refresh_cookie"]):
        with pytest.raises(cognito.exceptions.NotAuthorizedException):
            cognito.set_user_mfa_preference(
                AccessToken=held, SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False}
            )
        with pytest.raises(cognito.exceptions.NotAuthorizedException):
            cognito.associate_software_token(AccessToken=held)


# ---- item 8 (part): token responses ----------------------------------------------------------------


def test_token_answers_are_not_cached_and_the_refresh_cookie_is_out_of_scripts_reach(
    portal: PortalHandle, customer: Customer
) -> None:
    anonymous = ApiClient(portal.gateway)
    login = anonymous.post("/auth/login", {"email": customer.email, "password": PASSWORD})
    assert login.headers["Cache-Control"] == "no-store"
    attributes = {
        part.strip().split("=")[0].lower(): part.strip() for part in login.headers["Set-Cookie"].split(";")
    }
    assert {"httponly", "secure", "samesite", "path"} <= set(attributes)
    assert attributes["samesite"] == "SameSite=Strict" and attributes["path"] == "Path=/api/auth"
    refreshed = anonymous.post("/auth/refresh")
    assert refreshed.status_code == 200 and refreshed.headers["Cache-Control"] == "no-store"
    assert ApiClient(portal.gateway).post("/auth/refresh").status_code == 401  # no cookie, no token
    garbage = with_cookie(portal, "/auth/refresh", "portal_refresh=%%%")
    assert garbage.status_code == 401
    logout = ApiClient(portal.gateway, login.json["id_token"]).post("/auth/logout")
    assert logout.status_code == 204 and "Max-Age=0" in logout.headers["Set-Cookie"]


# ---- item 3: a session that ends, ends ---------------------------------------------------------------


def test_every_way_a_session_ends_refuses_the_old_id_token_within_seconds(
    portal: PortalHandle, staff: ApiClient
) -> None:
    customers = [portal.new_customer(staff) for _ in range(6)]
    sessions = [sign_in(portal, c.email) for c in customers]
    assert all(status_of(portal, s["id_token"]) == 200 for s in sessions)
    logout, _change, reset, contact_off, customer_off, mfa_reset = customers

    assert ApiClient(portal.gateway, sessions[0]["id_token"]).post("/auth/logout").status_code == 204
    changed = ApiClient(portal.gateway, sessions[1]["id_token"]).post(
        "/auth/password/change", {"current_password": PASSWORD, "new_password": STRONG_PASSWORD}
    )
    assert changed.status_code == 200
    ApiClient(portal.gateway).post("/auth/password/forgot", {"email": reset.email})
    portal.drain()
    token = link_token(mails_to(reset.email)[-1], "/reset-password")
    assert (
        ApiClient(portal.gateway)
        .post("/auth/password/reset", {"token": token, "password": STRONG_PASSWORD})
        .status_code
        == 200
    )
    contact_path = f"/staff/customers/{contact_off.customer_id}/contacts/{contact_off.contact_id}/access"
    assert staff.put(contact_path, {"enabled": False}).status_code == 200
    assert (
        staff.put(
            f"/staff/customers/{customer_off.customer_id}/portal-access", {"enabled": False}
        ).status_code
        == 200
    )
    enrol_mfa(portal, sessions[5])
    mfa_path = f"/staff/customers/{mfa_reset.customer_id}/contacts/{mfa_reset.contact_id}/mfa/reset"
    assert staff.post(mfa_path).status_code == 204

    ended = time.monotonic()
    time.sleep(session_bound(portal) + 0.2)
    assert [status_of(portal, s["id_token"]) for s in sessions] == [401] * 6
    assert time.monotonic() - ended < session_bound(portal) + 2
    # The password change's own new session goes on; signing in again works at once.
    assert status_of(portal, changed.json["id_token"]) == 200
    assert status_of(portal, sign_in(portal, logout.email)["id_token"]) == 200
    assert status_of(portal, sign_in(portal, reset.email, STRONG_PASSWORD)["id_token"]) == 200


def test_the_gateway_runs_the_templates_authorizer_and_caches_its_answer(
    portal: PortalHandle, customer: Customer
) -> None:
    gateway = portal.gateway
    assert gateway.authorizer.function == "AuthAuthorizerFunction"
    token = sign_in(portal, customer.email)["id_token"]
    before = gateway.authorizer_calls
    for _ in range(5):
        assert status_of(portal, token) == 200
    assert gateway.authorizer_calls == before + 1  # one run, then API Gateway's result cache
    assert ApiClient(portal.gateway).get("/me").status_code == 401  # no Authorization header: not even asked
    assert gateway.authorizer_calls == before + 1


# ---- SSO logout (was a 500) ---------------------------------------------------------------------------


def test_a_federated_user_can_log_out_and_its_token_ends(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    from tests.integration.test_sso import authorize, pkce
    from tests.sso_idp import IdentityProvider, domain_of, running_idp, sso_policy

    stack = portal.local.stack
    with (
        sso_policy(staff, sso_email_domains=[domain_of(customer.email)]),
        running_idp(
            IdentityProvider(pool_id=stack.ref("UserPool"), client_id=stack.ref("UserPoolClient"))
        ) as idp,
    ):
        idp.user = {"email": customer.email, "email_verified": "true"}
        verifier, challenge = pkce()
        callback = authorize(portal, challenge)
        redirect_uri = ApiClient(portal.gateway).get("/auth/sso").json["redirect_uri"]
        body = {"code": callback["code"][0], "code_verifier": verifier, "redirect_uri": redirect_uri}
        signed_in = ApiClient(portal.gateway).post("/auth/sso/token", body)
    assert signed_in.status_code == 200, signed_in.get_data(as_text=True)
    id_token = signed_in.json["id_token"]
    assert "access_token" not in signed_in.json
    assert ApiClient(portal.gateway, id_token).post("/auth/logout").status_code == 204
    time.sleep(session_bound(portal) + 0.2)
    assert status_of(portal, id_token) == 401


# ---- item 4: replacing the authenticator needs proof --------------------------------------------------


def test_replacing_an_authenticator_needs_the_password_and_a_current_code(
    portal: PortalHandle, customer: Customer
) -> None:
    session = sign_in(portal, customer.email)
    api = ApiClient(portal.gateway, session["id_token"])
    assert api.post("/auth/mfa/setup", {"password": "not-the-password-9"}).status_code == 401
    secret = enrol_mfa(portal, session)
    # MFA is on: the password alone no longer starts a new enrolment; a wrong code neither.
    assert api.post("/auth/mfa/setup", {"password": PASSWORD}).status_code == 401
    assert api.post("/auth/mfa/setup", {"password": PASSWORD, "code": "000000"}).status_code == 401
    replaced = api.post("/auth/mfa/setup", {"password": PASSWORD, "code": totp_code(secret)})
    assert replaced.status_code == 200, replaced.get_data(as_text=True)
    assert replaced.headers["Cache-Control"] == "no-store"
    assert replaced.json["session"]


def test_an_enrolment_session_belongs_to_the_caller(
    portal: PortalHandle, staff: ApiClient, customer: Customer
) -> None:
    other = portal.new_customer(staff)
    started = customer.api.post("/auth/mfa/setup", {"password": PASSWORD})
    assert started.status_code == 200, started.get_data(as_text=True)
    stolen = other.api.post(
        "/auth/mfa/confirm", {"session": started.json["session"], "code": totp_code(started.json["secret"])}
    )
    assert stolen.status_code == 410  # exactly like an expired or unknown enrolment
    assert other.api.get("/auth/security").json["mfa_enabled"] is False
    # Bodies carry no access token any more.
    old_shape = customer.api.post("/auth/mfa/setup", {"access_token": "x" * 40})
    assert old_shape.status_code == 400


def test_refresh_tokens_rotate_and_a_used_one_is_refused(portal: PortalHandle, customer: Customer) -> None:
    session = sign_in(portal, customer.email)
    refreshed = refresh(portal, session)
    assert refreshed.status_code == 200
    assert status_of(portal, refreshed.json["id_token"]) == 200
    rotated = refreshed.headers["Set-Cookie"].split(";")[0]
    assert rotated.startswith("portal_refresh=") and rotated != session["refresh_cookie"]
    assert refresh(portal, session).status_code == 401  # the used one (a stolen copy) is dead
    again = with_cookie(portal, "/auth/refresh", rotated)
    assert again.status_code == 200, again.get_data(as_text=True)
