"""The auth functions' settings (template.yaml): `Api` for AuthApiFunction, `Requests` for
AuthRequestsFunction, `Tables` for AuthTokenClaimsFunction and AuthDirectoryFunction, `Authorizer` for
AuthAuthorizerFunction; AuthOutboxFunction needs only `Common`."""

from __future__ import annotations

from pydantic import Field

from shared.settings import Common


class Tables(Common):
    """The token-claims trigger: the auth table (with its copy of the contact directory)."""

    auth_table: str = Field(alias="AUTH_TABLE_NAME")


class Requests(Tables):
    """The requests consumer: also looks logins up in the user pool."""

    user_pool_id: str = Field(alias="USER_POOL_ID")


class Api(Requests):
    user_pool_client_id: str = Field(alias="USER_POOL_CLIENT_ID")
    auth_kms_key_id: str = Field(alias="AUTH_KMS_KEY_ID")  # seals the sign-up key and held tokens
    # Where the browser reaches the auth routes (locally the gateway serves the API under /api).
    refresh_cookie_path: str = Field("/api/auth", alias="REFRESH_COOKIE_PATH")
    sso_provider_name: str = Field("", alias="SSO_PROVIDER_NAME")
    sso_domain_url: str = Field("", alias="SSO_DOMAIN_URL")


class Authorizer(Tables):
    """The API's session authorizer: the pool's keys, the tokens' issuer and audience, and how long a
    container trusts a login's "valid after" marker it read."""

    jwks_url: str = Field(alias="JWKS_URL")
    user_pool_client_id: str = Field(alias="USER_POOL_CLIENT_ID")
    token_issuer: str = Field(alias="TOKEN_ISSUER")
    session_marker_cache_seconds: float = Field(2.0, alias="SESSION_MARKER_CACHE_SECONDS")
