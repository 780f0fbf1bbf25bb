"""The API's Lambda REQUEST authorizer (template.yaml: SessionAuthorizer). It does what Cognito's
authorizer did — the ID token's signature against the pool's JWKS, expiry, issuer, audience,
token_use — and one thing it cannot: refuse a token issued before its login's "valid after" marker
(logout, password change or reset, access turned off, MFA reset; see logic/sessions.py).

API Gateway caches the answer per Authorization header for `ReauthorizeEvery` seconds and this
container caches each marker for SESSION_MARKER_CACHE_SECONDS: a session ends within their sum.
The claims go to the route's function as the authorizer context (strings, as Cognito's authorizer
gave them), which shared.principal reads."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

import jwt

from services.auth.logic.sessions import owner_key
from services.auth.settings import Authorizer
from shared.lazy import lazy_module
from shared.settings import load

if TYPE_CHECKING:
    from services.auth import counters_store as store
else:  # pynamodb loads on the first token that needs a marker read
    store = lazy_module("services.auth.counters_store")

CLAIM_TIME = "%a %b %d %H:%M:%S UTC %Y"  # how API Gateway renders numeric date claims
MAX_CACHED_MARKERS = 10_000
_markers: dict[str, tuple[float, int]] = {}


class Unauthorized(Exception):
    """API Gateway answers 401 when an authorizer fails with exactly this message."""

    def __init__(self) -> None:
        super().__init__("Unauthorized")


@cache
def _jwks() -> jwt.PyJWKClient:
    # Configurable: moto serves the pool's keys at its own address while `iss` names the real AWS URL.
    return jwt.PyJWKClient(load(Authorizer).jwks_url, cache_keys=True, lifespan=3600)


def verified_claims(token: str) -> dict[str, Any] | None:
    try:
        key = _jwks().get_signing_key_from_jwt(token)
        claims = jwt.decode(
            token,
            key.key,
            algorithms=["RS256"],
            audience=load(Authorizer).user_pool_client_id,
            issuer=load(Authorizer).token_issuer,
            options={"require": ["exp", "iat", "sub", "aud", "iss"]},
        )
    except jwt.PyJWTError:
        return None
    return claims if claims.get("token_use") == "id" else None


def _cache_seconds() -> float:
    return load(Authorizer).session_marker_cache_seconds


def valid_after(owner: str) -> int:
    now = time.monotonic()
    cached = _markers.get(owner)
    if cached is not None and now - cached[0] < _cache_seconds():
        return cached[1]
    value = store.sessions_valid_after(owner)
    if len(_markers) >= MAX_CACHED_MARKERS:
        _markers.clear()
    _markers[owner] = (now, value)
    return value


def context_of(claims: dict[str, Any]) -> dict[str, str]:
    """Every claim as a string, as API Gateway's Cognito authorizer handed them over."""
    out: dict[str, str] = {}
    for name, value in claims.items():
        if name in {"exp", "iat", "auth_time"} and isinstance(value, int | float):
            out[name] = datetime.fromtimestamp(value, UTC).strftime(CLAIM_TIME)
        elif isinstance(value, bool):
            out[name] = str(value).lower()
        elif isinstance(value, list):
            out[name] = ",".join(str(item) for item in value)
        else:
            out[name] = str(value)
    return out


def _bearer(event: dict[str, Any]) -> str:
    headers = {str(k).lower(): v for k, v in (event.get("headers") or {}).items()}
    value = str(headers.get("authorization") or "")
    return value[7:] if value.lower().startswith("bearer ") else value


def _any_route_of(method_arn: str) -> str:
    """arn:…:api-id/stage/METHOD/path → arn:…:api-id/stage/*/*: API Gateway caches the policy per
    token for every route, so it must allow them all (route rules are the functions' business)."""
    api, stage = ([*method_arn.split("/"), "*"])[:2]
    return f"{api}/{stage}/*/*"


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    token = _bearer(event)
    claims = verified_claims(token) if token else None
    if claims is None:
        raise Unauthorized
    owner = owner_key(str(claims.get("email") or claims["sub"]))
    if int(claims["iat"]) < valid_after(owner):
        raise Unauthorized
    return {
        "principalId": str(claims["sub"]),
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": "execute-api:Invoke",
                    "Effect": "Allow",
                    "Resource": _any_route_of(str(event.get("methodArn", ""))),
                }
            ],
        },
        "context": context_of(claims),
    }
