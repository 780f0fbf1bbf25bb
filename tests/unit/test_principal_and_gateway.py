import pytest

from infra.local.worker import matches
from services.auth.authorizer import context_of
from shared.errors import Forbidden, Unauthenticated
from shared.principal import principal_from_context


def test_principal_comes_from_authorizer_claims_as_api_gateway_sends_them() -> None:
    claims = context_of(
        {
            "sub": "u1",
            "email": "a@b.com",
            "custom:customer_id": "c1",
            "custom:contact_id": "k1",
            "cognito:groups": ["staff", "admins"],
            "exp": 1_800_000_000,
            "email_verified": True,
        }
    )
    assert claims["cognito:groups"] == "staff,admins"
    assert claims["email_verified"] == "true"
    assert claims["exp"].endswith("UTC 2027")
    who = principal_from_context({"authorizer": {"claims": claims}})
    assert who.customer_id == "c1" and who.contact_id == "k1" and who.is_staff
    assert who.require_customer() == "c1"
    # A Lambda authorizer's context arrives flat, next to principalId.
    flat = principal_from_context({"authorizer": {"principalId": "u1", **claims}})
    assert flat == who


def test_no_claims_is_unauthenticated_and_staff_without_customer_is_refused_customer_routes() -> None:
    with pytest.raises(Unauthenticated):
        principal_from_context({})
    staff = principal_from_context({"authorizer": {"claims": {"sub": "s", "cognito:groups": "staff"}}})
    with pytest.raises(Forbidden):
        staff.require_customer()
    contact = principal_from_context({"authorizer": {"claims": {"sub": "u", "custom:customer_id": "c"}}})
    with pytest.raises(Forbidden):
        contact.require_staff()


def test_stream_filter_patterns() -> None:
    pattern = {"eventName": ["INSERT"], "dynamodb": {"NewImage": {"pk": {"S": [{"prefix": "OUTBOX#"}]}}}}
    outbox = {"eventName": "INSERT", "dynamodb": {"NewImage": {"pk": {"S": "OUTBOX#1"}}}}
    invoice = {"eventName": "INSERT", "dynamodb": {"NewImage": {"pk": {"S": "INVOICE#1"}}}}
    modify = {"eventName": "MODIFY", "dynamodb": {"NewImage": {"pk": {"S": "OUTBOX#1"}}}}
    assert matches(pattern, outbox)
    assert not matches(pattern, invoice)
    assert not matches(pattern, modify)
