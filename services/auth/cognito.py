"""The tenant's Cognito user pool: the only module that calls it. Cognito keeps passwords, TOTP
secrets and refresh tokens; everything else the auth service knows is in its table (store.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from functools import cache
from typing import Any

from services.auth.schemas import Tokens
from services.auth.settings import Api, Requests
from shared.errors import ValidationFailed
from shared.settings import load

REFUSALS = {
    "NotAuthorizedException",
    "UserNotFoundException",
    "UserNotConfirmedException",
    "PasswordResetRequiredException",
}


class RejectedCredentials(Exception):
    """Cognito refused the credentials or token (wrong password, unknown or disabled user, revoked)."""


class WrongCode(Exception):
    """The TOTP code did not match."""


class SessionExpired(Exception):
    """A sign-in challenge's session is unknown or used up."""


@dataclass(frozen=True)
class SignIn:
    """What a password check gives: tokens, or a session that still needs the TOTP code."""

    tokens: Tokens | None = None
    mfa_session: str | None = None


@dataclass(frozen=True)
class Login:
    username: str
    enabled: bool
    mfa_enabled: bool
    attributes: dict[str, str]


@cache
def _cognito() -> Any:
    from shared.aws import client  # lazily: keeps the handler's import cheap

    return client("cognito-idp")


def _pool() -> str:
    return load(Requests).user_pool_id


def _client_id() -> str:
    return load(Api).user_pool_client_id


@cache
def client_secret() -> str:
    """The app client's generated secret, read once per container: it is in no template, file or
    environment, so only a principal allowed DescribeUserPoolClient (the auth function) can sign in."""
    client = _cognito().describe_user_pool_client(UserPoolId=_pool(), ClientId=_client_id())
    return str(client["UserPoolClient"]["ClientSecret"])


def secret_hash(username: str) -> str:
    """Cognito's SECRET_HASH: Base64(HMAC-SHA256(client secret, username + client id))."""
    digest = hmac.new(client_secret().encode(), (username + _client_id()).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _code(error: Exception) -> str | None:
    code = getattr(error, "response", {}).get("Error", {}).get("Code")
    return str(code) if code else None


def _tokens(result: dict[str, Any]) -> Tokens:
    return Tokens(
        id_token=result["IdToken"],
        access_token=result["AccessToken"],
        refresh_token=result.get("RefreshToken"),
        expires_in=int(result["ExpiresIn"]),
    )


def _call(operation: str, **kwargs: Any) -> Any:
    from botocore.exceptions import ClientError

    try:
        return getattr(_cognito(), operation)(**kwargs)
    except ClientError as error:
        code = _code(error)
        if code == "CodeMismatchException":
            raise WrongCode from None
        if code in {"ExpiredCodeException"} or (code == "ResourceNotFoundException" and "Session" in kwargs):
            raise SessionExpired from None
        if code in REFUSALS:
            raise RejectedCredentials from None
        if code == "InvalidPasswordException":  # the pool's own policy (moto: also longer than 99)
            message = "This password is not accepted. Choose another one."
            raise ValidationFailed(message, [{"field": "password", "message": message}]) from None
        raise


def password_sign_in(email: str, password: str) -> SignIn:
    response = _call(
        "initiate_auth",
        ClientId=_client_id(),
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password, "SECRET_HASH": secret_hash(email)},
    )
    if "AuthenticationResult" in response:
        return SignIn(tokens=_tokens(response["AuthenticationResult"]))
    if response.get("ChallengeName") == "SOFTWARE_TOKEN_MFA":
        return SignIn(mfa_session=response["Session"])
    # Any other challenge (a temporary password) is not a way into the portal: invitations set passwords.
    raise RejectedCredentials


def answer_mfa(email: str, session: str, code: str) -> Tokens:
    response = _call(
        "respond_to_auth_challenge",
        ClientId=_client_id(),
        ChallengeName="SOFTWARE_TOKEN_MFA",
        Session=session,
        ChallengeResponses={
            "USERNAME": email,
            "SOFTWARE_TOKEN_MFA_CODE": code,
            "SECRET_HASH": secret_hash(email),
        },
    )
    if "AuthenticationResult" not in response:
        raise SessionExpired
    return _tokens(response["AuthenticationResult"])


def refresh(refresh_token: str) -> Tokens:
    """New tokens for a refresh token. The client rotates refresh tokens: the answer carries a new
    one and the one used stops working."""
    response = _call(
        "get_tokens_from_refresh_token",
        ClientId=_client_id(),
        ClientSecret=client_secret(),
        RefreshToken=refresh_token,
    )
    return _tokens(response["AuthenticationResult"])


def sign_in_name(claims: dict[str, Any]) -> str:
    """The name Cognito knows a token's user by. In an email-as-username pool a native user's
    `cognito:username` is its `sub` and the email is the alias it signs in with; a federated user
    (`Provider_id`) has no alias, only that username."""
    username = str(claims.get("cognito:username") or claims.get("sub") or "")
    if username and username != claims.get("sub"):
        return username
    return str(claims.get("email") or username)


def sign_out_everywhere(username: str) -> None:
    """Revokes every refresh token of the user (Cognito AdminUserGlobalSignOut). A user Cognito no
    longer knows has nothing left to revoke (the session marker ends its ID tokens)."""
    try:
        _call("admin_user_global_sign_out", UserPoolId=_pool(), Username=username)
    except RejectedCredentials:
        return


def find(email: str) -> Login | None:
    try:
        user = _call("admin_get_user", UserPoolId=_pool(), Username=email)
    except RejectedCredentials:
        return None
    return Login(
        username=user["Username"],
        enabled=bool(user.get("Enabled", True)),
        mfa_enabled="SOFTWARE_TOKEN_MFA" in (user.get("UserMFASettingList") or []),
        attributes={a["Name"]: a["Value"] for a in user.get("UserAttributes", [])},
    )


def create_login(email: str, password: str, attributes: dict[str, str]) -> str:
    """A confirmed user with a permanent password; returns its `sub`."""
    user_attributes = [{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}]
    user_attributes += [{"Name": f"custom:{name}", "Value": value} for name, value in attributes.items()]
    created = _call(
        "admin_create_user",
        UserPoolId=_pool(),
        Username=email,
        UserAttributes=user_attributes,
        MessageAction="SUPPRESS",
    )
    set_password(email, password)
    return str(next(a["Value"] for a in created["User"]["Attributes"] if a["Name"] == "sub"))


def set_password(email: str, password: str) -> None:
    _call("admin_set_user_password", UserPoolId=_pool(), Username=email, Password=password, Permanent=True)


def set_enabled(email: str, enabled: bool) -> None:
    operation = "admin_enable_user" if enabled else "admin_disable_user"
    _call(operation, UserPoolId=_pool(), Username=email)


def start_totp(access_token: str) -> str:
    """A new TOTP secret for the signed-in user (not active until confirmed with a code)."""
    return str(_call("associate_software_token", AccessToken=access_token)["SecretCode"])


def confirm_totp(access_token: str, code: str) -> None:
    result = _call(
        "verify_software_token", AccessToken=access_token, UserCode=code, FriendlyDeviceName="portal"
    )
    if result.get("Status") != "SUCCESS":
        raise WrongCode
    _call(
        "set_user_mfa_preference",
        AccessToken=access_token,
        SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
    )


def disable_totp(email: str) -> None:
    _call(
        "admin_set_user_mfa_preference",
        UserPoolId=_pool(),
        Username=email,
        SoftwareTokenMfaSettings={"Enabled": False, "PreferredMfa": False},
    )


def change_email(email: str, new_email: str) -> None:
    """The user's email, verified (the new address was proven with a mailed code): in this
    email-as-username pool it is the name the user signs in with from now."""
    _call(
        "admin_update_user_attributes",
        UserPoolId=_pool(),
        Username=email,
        UserAttributes=[{"Name": "email", "Value": new_email}, {"Name": "email_verified", "Value": "true"}],
    )
