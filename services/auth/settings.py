"""The auth functions' settings (template.yaml: AuthApiFunction, AuthRequestsFunction,
AuthOutboxFunction, AuthTokenClaimsFunction)."""

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
    sso_provider_name: str = Field("", alias="SSO_PROVIDER_NAME")
    sso_domain_url: str = Field("", alias="SSO_DOMAIN_URL")
