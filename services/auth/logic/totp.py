"""Enrolling an authenticator: the QR code and key, and confirming it with a first code. Its own
module because both signing in (a required first enrolment) and the Security page use it."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from services.auth import cognito
from services.auth.logic import audit
from services.auth.schemas import MfaSetup
from shared.errors import InvalidCredentials, Unauthenticated
from shared.event_models import MfaChanged
from shared.settings import common

WRONG_CODE = "That code is not right. Enter the current code from your authenticator app."


def _issuer() -> str:
    return common().tenant_name


def otpauth_uri(secret: str, account: str, issuer: str) -> str:
    """Google Authenticator's Key URI format (what every authenticator app scans)."""
    label = quote(f"{issuer}:{account}", safe="@:")
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": 6, "period": 30})
    return f"otpauth://totp/{label}?{query}"


def start(access_token: str, email: str) -> MfaSetup:
    import segno  # lazily: only enrolment draws a QR code

    try:
        secret = cognito.start_totp(access_token)
    except cognito.RejectedCredentials:
        raise Unauthenticated("Your session has ended; sign in again.") from None
    uri = otpauth_uri(secret, email, _issuer())
    qr = segno.make(uri, error="m").svg_inline(scale=4, title="QR code for your authenticator app")
    return MfaSetup(secret=secret, otpauth_uri=uri, qr_svg=qr)


def confirm(access_token: str, code: str, email: str) -> None:
    try:
        cognito.confirm_totp(access_token, code)
    except cognito.WrongCode:
        raise InvalidCredentials(WRONG_CODE) from None
    except cognito.RejectedCredentials:
        raise Unauthenticated("Your session has ended; sign in again.") from None
    audit.record(MfaChanged(email=email, enabled=True))
