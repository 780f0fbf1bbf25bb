"""The auth table keeps no secret in plaintext (issue 10, item 9): the sign-up link key and the tokens
held during a required MFA enrolment are sealed under data keys that only the stack's KMS key unwraps."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
from cryptography.exceptions import InvalidTag

from services.auth import store
from services.auth.logic import link_tokens, sealed
from tests.auth_support import sign_in, totp_code
from tests.support import ApiClient, Customer, PortalHandle


@pytest.fixture
def policy(staff: ApiClient) -> Iterator[Any]:
    before = staff.get("/staff/auth/policy").json

    def set_policy(**changes: Any) -> None:
        assert staff.put("/staff/auth/policy", {**before, **changes}).status_code == 200

    yield set_policy
    staff.put("/staff/auth/policy", before)


def unwrap(portal: PortalHandle, purpose: str) -> bytes:
    """What only a holder of kms:Decrypt on the stack's key can do with the stored item."""
    item = store.AuthItem.get("SECRET", f"KEY#{purpose}")
    assert item.data
    kms = boto3.client("kms")
    return bytes(
        kms.decrypt(
            CiphertextBlob=bytes.fromhex(item.data),
            KeyId=portal.local.stack.ref("AuthSecretsKey"),
            EncryptionContext={"purpose": purpose},
        )["Plaintext"]
    )


def test_the_signup_link_key_is_stored_wrapped_by_kms(
    portal: PortalHandle, staff: ApiClient, customer: Customer, policy: Any
) -> None:
    policy(self_signup=True)
    created = staff.post(f"/staff/customers/{customer.customer_id}/signup-link")
    assert created.status_code == 201
    token = parse_qs(urlparse(created.json["url"]).query)["token"][0]  # type: ignore[index]
    encoded, signature = token.split(".")
    payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))

    stored = store.AuthItem.get("SECRET", f"KEY#{sealed.SIGNUP_LINKS}").data
    key = unwrap(portal, sealed.SIGNUP_LINKS)
    expected = base64.urlsafe_b64encode(hmac.new(key, payload, hashlib.sha256).digest()).rstrip(b"=")
    assert signature == expected.decode()  # the wrapped key is the one that signs
    assert stored and key.hex() not in stored and len(key) == 32
    assert store.AuthItem.count("SECRET", store.AuthItem.sk == "SIGNUP") == 0  # no plaintext key item


def test_tokens_held_during_a_required_enrolment_are_sealed(
    portal: PortalHandle, customer: Customer, policy: Any
) -> None:
    policy(mfa="required")
    login = sign_in(portal, customer.email)
    assert login["challenge"] == "mfa_setup"
    session_hash = link_tokens.token_hash(login["session"])
    held = store.held_tokens(session_hash)
    assert held is not None and held.data
    assert "eyJ" not in held.data and "token" not in held.data  # no JWT, no JSON of tokens
    # Sealed to its own item: the same value does not open as another session's.
    with pytest.raises(InvalidTag):
        sealed.unseal(held.data, link_tokens.token_hash("another-session"))

    done = ApiClient(portal.gateway).post(
        "/auth/login/mfa-setup",
        {"session": login["session"], "code": totp_code(login["mfa_setup"]["secret"])},
    )
    assert done.status_code == 200, done.get_data(as_text=True)
    assert done.json["id_token"]  # type: ignore[index]
