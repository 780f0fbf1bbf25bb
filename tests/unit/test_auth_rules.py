"""Auth rules that need no AWS: password policy, authenticator URIs, link tokens, the token trigger."""

from urllib.parse import parse_qs, urlparse

import pytest

from services.auth.consumers import cognito_trigger, token_claims
from services.auth.logic.link_tokens import new_token, token_hash
from services.auth.logic.password_policy import check_password
from services.auth.logic.totp import otpauth_uri
from shared.errors import ValidationFailed


@pytest.mark.parametrize(
    "password",
    [
        "short-pw-1",
        "password1234",
        "qwertyuiop123",
        "123456789012",
        "aaaaaaaaaaaaaaaa",
        "maya.chen@example.com1",
    ],
)
def test_weak_passwords_are_refused_with_a_field_error(password: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_password(password, "maya.chen@example.com")
    assert refused.value.details[0]["field"] == "password"


@pytest.mark.parametrize("password", ["Lantern-orchid-741-quartz", "correct horse battery staple 9"])
def test_strong_passwords_pass(password: str) -> None:
    check_password(password, "maya.chen@example.com")


def test_otpauth_uri_names_the_issuer_and_account() -> None:
    uri = otpauth_uri("JBSWY3DPEHPK3PXP", "maya@northwind-studio.com", "RenoTech Solutions")
    parsed = urlparse(uri)
    assert (parsed.scheme, parsed.netloc) == ("otpauth", "totp")
    assert parsed.path == "/RenoTech%20Solutions:maya@northwind-studio.com"
    query = parse_qs(parsed.query)
    assert query["secret"] == ["JBSWY3DPEHPK3PXP"]
    assert query["issuer"] == ["RenoTech Solutions"]
    assert query["digits"] == ["6"] and query["period"] == ["30"]


def test_link_tokens_are_random_and_stored_only_as_hashes() -> None:
    first, second = new_token(), new_token()
    assert first != second and len(first) >= 40
    assert token_hash(first) == token_hash(first) != token_hash(second)
    assert first not in token_hash(first)


def cognito_event(attributes: dict[str, str], groups: list[str]) -> dict:
    # The shape Cognito sends a pre-token-generation trigger (V1).
    return {
        "version": "1",
        "triggerSource": "TokenGeneration_Authentication",
        "userName": "a1b2",
        "request": {"userAttributes": attributes, "groupConfiguration": {"groupsToOverride": groups}},
        "response": {"claimsOverrideDetails": None},
    }


def test_token_trigger_puts_customer_contact_and_role_into_the_token() -> None:
    event = cognito_event({"custom:customer_id": "c1", "custom:contact_id": "k1", "email": "a@b.c"}, [])
    claims = token_claims(event, None)["response"]["claimsOverrideDetails"]["claimsToAddOrOverride"]
    assert claims == {
        "customer_id": "c1",
        "contact_id": "k1",
        "custom:customer_id": "c1",
        "custom:contact_id": "k1",
        "portal_role": "contact",
    }
    staff = token_claims(cognito_event({"email": "f@r.s"}, ["staff"]), None)
    assert staff["response"]["claimsOverrideDetails"]["claimsToAddOrOverride"]["portal_role"] == "staff"


def test_cognito_trigger_routes_by_source_and_leaves_other_triggers_alone() -> None:
    generated = cognito_trigger(
        cognito_event({"custom:customer_id": "c1", "custom:contact_id": "k1"}, []), None
    )
    assert (
        generated["response"]["claimsOverrideDetails"]["claimsToAddOrOverride"]["custom:customer_id"] == "c1"
    )
    admin_created = {
        "triggerSource": "PreSignUp_AdminCreateUser",
        "request": {"userAttributes": {}},
        "response": {},
    }
    assert cognito_trigger(dict(admin_created), None) == admin_created
    assert cognito_trigger({"triggerSource": "CustomMessage_SignUp"}, None) == {
        "triggerSource": "CustomMessage_SignUp"
    }
