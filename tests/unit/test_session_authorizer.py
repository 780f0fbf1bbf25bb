"""The session authorizer's rules without a portal: API Gateway's policy evaluation as the local
gateway does it, the policy the authorizer writes, and its marker cache."""

from __future__ import annotations

from typing import Any

import pytest

from infra.local.gateway import allows
from services.auth import authorizer
from shared.settings import forget

ARN = "arn:aws:execute-api:us-east-1:123456789012:local/dev/GET/invoices/01J"


@pytest.fixture(autouse=True)
def _reread_settings() -> Any:
    yield
    forget()  # tests here change the environment: later tests read it again


def test_policy_evaluation_allows_matching_routes_and_an_explicit_deny_wins() -> None:
    allow_all = {
        "Statement": [
            {"Effect": "Allow", "Resource": "arn:aws:execute-api:us-east-1:123456789012:local/dev/*/*"}
        ]
    }
    assert allows(allow_all, ARN)
    assert not allows({"Statement": [{"Effect": "Allow", "Resource": ARN.replace("GET", "PUT")}]}, ARN)
    deny = {"Statement": [*allow_all["Statement"], {"Effect": "Deny", "Resource": [ARN]}]}
    assert not allows(deny, ARN)
    assert not allows({}, ARN)


def test_the_policy_covers_every_route_of_the_stage_because_api_gateway_caches_it_per_token() -> None:
    assert authorizer._any_route_of(ARN) == "arn:aws:execute-api:us-east-1:123456789012:local/dev/*/*"


def test_no_token_or_a_bad_one_is_unauthorized_which_api_gateway_answers_with_401() -> None:
    for headers in ({}, {"Authorization": "Bearer not-a-jwt"}):
        with pytest.raises(authorizer.Unauthorized, match=r"^Unauthorized$"):
            authorizer.handler({"headers": headers, "methodArn": ARN}, None)


def test_markers_are_read_once_per_cache_period(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []

    class FakeStore:
        @staticmethod
        def sessions_valid_after(owner: str) -> int:
            reads.append(owner)
            return 42

    monkeypatch.setattr(authorizer, "store", FakeStore)
    monkeypatch.setattr(authorizer, "_markers", {})
    monkeypatch.setenv("SESSION_MARKER_CACHE_SECONDS", "60")
    forget()  # settings are read once per container: read the environment again
    assert [authorizer.valid_after("a") for _ in range(3)] == [42, 42, 42]
    assert reads == ["a"]
    monkeypatch.setenv("SESSION_MARKER_CACHE_SECONDS", "0")
    forget()
    authorizer.valid_after("a")
    assert reads == ["a", "a"]


def test_a_token_issued_before_its_marker_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    claims: dict[str, Any] = {"sub": "u1", "email": "A@B.com", "iat": 100, "token_use": "id"}
    monkeypatch.setattr(authorizer, "verified_claims", lambda token: claims)
    monkeypatch.setattr(authorizer, "valid_after", lambda owner: 101)
    with pytest.raises(authorizer.Unauthorized):
        authorizer.handler({"headers": {"authorization": "x"}, "methodArn": ARN}, None)
    monkeypatch.setattr(authorizer, "valid_after", lambda owner: 100)
    answer = authorizer.handler({"headers": {"authorization": "x"}, "methodArn": ARN}, None)
    assert answer["principalId"] == "u1" and answer["context"]["email"] == "A@B.com"
