"""The auth service's store is the tenant's Cognito user pool: the only module that calls it."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from services.auth.schemas import Tokens

STAFF_GROUP = "staff"


class RejectedCredentials(Exception):
    """Cognito refused the credentials or token (wrong password, unknown user, revoked token)."""


@cache
def _cognito() -> Any:
    import boto3  # lazily: keeps the handler's import cheap

    return boto3.client("cognito-idp")


def _pool() -> str:
    return os.environ["USER_POOL_ID"]


def _client_id() -> str:
    return os.environ["USER_POOL_CLIENT_ID"]


def _tokens(result: dict[str, Any]) -> Tokens:
    return Tokens(
        id_token=result["IdToken"],
        access_token=result["AccessToken"],
        refresh_token=result.get("RefreshToken"),
        expires_in=int(result["ExpiresIn"]),
    )


def _refused(error: Exception) -> bool:
    code = getattr(error, "response", {}).get("Error", {}).get("Code")
    return code in {
        "NotAuthorizedException",
        "UserNotFoundException",
        "UserNotConfirmedException",
        "PasswordResetRequiredException",
    }


def password_login(email: str, password: str) -> Tokens:
    from botocore.exceptions import ClientError

    try:
        response = _cognito().initiate_auth(
            ClientId=_client_id(),
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
    except ClientError as error:
        if _refused(error):
            raise RejectedCredentials from None
        raise
    if "AuthenticationResult" not in response:
        # A challenge (e.g. a new password required) is not part of this slice's login.
        raise RejectedCredentials
    return _tokens(response["AuthenticationResult"])


def refresh(refresh_token: str) -> Tokens:
    from botocore.exceptions import ClientError

    try:
        response = _cognito().initiate_auth(
            ClientId=_client_id(),
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
    except ClientError as error:
        if _refused(error):
            raise RejectedCredentials from None
        raise
    return _tokens(response["AuthenticationResult"])


def sign_out_everywhere(username: str) -> None:
    """Revokes every refresh token of the user (Cognito AdminUserGlobalSignOut)."""
    _cognito().admin_user_global_sign_out(UserPoolId=_pool(), Username=username)


def create_login(email: str, password: str, attributes: dict[str, str], staff: bool) -> str:
    """A confirmed user with a permanent password; returns its `sub`."""
    user_attributes = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
    user_attributes += [{"Name": f"custom:{name}", "Value": value} for name, value in attributes.items()]
    created = _cognito().admin_create_user(
        UserPoolId=_pool(),
        Username=email,
        UserAttributes=user_attributes,
        MessageAction="SUPPRESS",
    )
    _cognito().admin_set_user_password(UserPoolId=_pool(), Username=email, Password=password, Permanent=True)
    if staff:
        _cognito().admin_add_user_to_group(UserPoolId=_pool(), Username=email, GroupName=STAFF_GROUP)
    return next(a["Value"] for a in created["User"]["Attributes"] if a["Name"] == "sub")
