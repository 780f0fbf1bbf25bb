"""Where moto is more lenient than AWS in a way that would hide a security bug, the local run makes it
as strict as AWS (and says so here). Each patch is small and checked by a test.

- moto 5.2.5 checks an app client's SECRET_HASH on USER_SRP_AUTH, REFRESH_TOKEN_AUTH and the MFA
  challenge, but not on USER_PASSWORD_AUTH: AWS refuses that sign-in without the hash when the
  client has a secret (what keeps anyone holding the public client id from calling Cognito around
  the portal).
- moto 5.2.5 issues every ID and access token for one hour, whatever the app client's
  IdTokenValidity/AccessTokenValidity say (template.yaml: 15 minutes): here they live as the client
  says, so a tab left open meets an expired token locally as it would in AWS. `LOCAL_TOKEN_SECONDS`
  shortens both for a test that waits for the expiry (Cognito's own minimum is 5 minutes)."""

from __future__ import annotations

import os
from typing import Any

_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}


def apply() -> None:
    _check_secret_hash_on_password_sign_in()
    _add_get_tokens_from_refresh_token()
    _tokens_live_as_the_client_says()


def token_seconds(client: Any, token_use: str) -> int | None:
    """How long the app client says an `id` or `access` token lives (Cognito's default unit: hours)."""
    if os.environ.get("LOCAL_TOKEN_SECONDS"):
        return int(os.environ["LOCAL_TOKEN_SECONDS"])
    name = {"id": "IdToken", "access": "AccessToken"}[token_use]
    validity = client.extended_config.get(f"{name}Validity") if client is not None else None
    if validity is None:
        return None
    unit = (client.extended_config.get("TokenValidityUnits") or {}).get(name, "hours")
    return int(validity) * _UNIT_SECONDS[unit]


def _tokens_live_as_the_client_says() -> None:
    from moto.cognitoidp import models

    pool_class = models.CognitoIdpUserPool
    if getattr(pool_class.create_jwt, "client_validity", False):
        return
    original = pool_class.create_jwt

    def create_jwt(self: Any, client_id: str, username: str, token_use: str, *args: Any, **kw: Any) -> Any:
        client = self.clients.get(client_id)
        seconds = token_seconds(client, token_use) if token_use in ("id", "access") else None
        if seconds is not None and not args:
            kw["expires_in"] = seconds
        return original(self, client_id, username, token_use, *args, **kw)

    create_jwt.client_validity = True  # type: ignore[attr-defined]
    pool_class.create_jwt = create_jwt  # type: ignore[method-assign]


def _check_secret_hash_on_password_sign_in() -> None:
    from moto.cognitoidp import models
    from moto.cognitoidp.exceptions import NotAuthorizedError
    from moto.cognitoidp.utils import check_secret_hash

    backend = models.CognitoIdpBackend
    if getattr(backend.initiate_auth, "secret_hash_checked", False):
        return
    original = backend.initiate_auth

    def initiate_auth(self: Any, client_id: str, auth_flow: str, auth_parameters: dict[str, str]) -> Any:
        if auth_flow == "USER_PASSWORD_AUTH":
            for pool in self.user_pools.values():
                client = pool.clients.get(client_id)
                if client is None or not client.generate_secret:
                    continue
                username, given = auth_parameters.get("USERNAME", ""), auth_parameters.get("SECRET_HASH")
                if not check_secret_hash(client.secret, client.id, username, given):
                    raise NotAuthorizedError(f"Unable to verify secret hash for client {client_id}")
        return original(self, client_id, auth_flow, auth_parameters)

    initiate_auth.secret_hash_checked = True  # type: ignore[attr-defined]
    backend.initiate_auth = initiate_auth  # type: ignore[method-assign]


def _add_get_tokens_from_refresh_token() -> None:
    from moto.cognitoidp import models, responses
    from moto.cognitoidp.exceptions import NotAuthorizedError
    from moto.core.responses import ActionResult
    from moto.moto_api._internal import mock_random

    if hasattr(responses.CognitoIdpResponse, "get_tokens_from_refresh_token"):
        return

    def get_tokens(self: Any, client_id: str, refresh_token: str, client_secret: str | None) -> Any:
        backend = self._find_backend_for_clientid(client_id)
        for pool in backend.user_pools.values():
            client = pool.clients.get(client_id)
            if client is not None:
                break
        else:
            raise NotAuthorizedError("Invalid client")
        if client.generate_secret and client_secret != client.secret:
            raise NotAuthorizedError("Unable to verify secret for client")
        issued = pool.refresh_tokens.get(refresh_token)
        if issued is None or issued[0] != client_id:
            raise NotAuthorizedError("Invalid Refresh Token")
        access_token, id_token, expires_in = pool.create_tokens_from_refresh_token(refresh_token)
        result = {"IdToken": id_token, "AccessToken": access_token, "ExpiresIn": expires_in}
        result["TokenType"] = "Bearer"
        if (client.extended_config.get("RefreshTokenRotation") or {}).get("Feature") == "ENABLED":
            rotated = str(mock_random.uuid4())
            pool.refresh_tokens[rotated] = issued
            pool.refresh_tokens[refresh_token] = None
            result["RefreshToken"] = rotated
        return {"AuthenticationResult": result}

    def respond(self: Any) -> Any:
        result = self._get_region_agnostic_backend().get_tokens_from_refresh_token(
            self._get_param("ClientId"), self._get_param("RefreshToken"), self._get_param("ClientSecret")
        )
        return ActionResult(result)

    models.RegionAgnosticBackend.get_tokens_from_refresh_token = get_tokens  # type: ignore[attr-defined]
    responses.CognitoIdpResponse.get_tokens_from_refresh_token = respond  # type: ignore[attr-defined]
