"""Where moto is more lenient than AWS in a way that would hide a security bug, the local run makes it
as strict as AWS (and says so here). Each patch is small and checked by a test.

- moto 5.2.5 checks an app client's SECRET_HASH on USER_SRP_AUTH, REFRESH_TOKEN_AUTH and the MFA
  challenge, but not on USER_PASSWORD_AUTH: AWS refuses that sign-in without the hash when the
  client has a secret (what keeps anyone holding the public client id from calling Cognito around
  the portal)."""

from __future__ import annotations

from typing import Any


def apply() -> None:
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
