"""Request and response contracts of the auth API."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, EmailStr, Field

from shared.contract import Schema

Password = Annotated[str, Field(min_length=1, max_length=256)]
NewPassword = Annotated[str, Field(min_length=1, max_length=256, description="At least 12 characters.")]
Code = Annotated[str, Field(pattern=r"^\d{6}$", description="The 6-digit code of the authenticator app.")]
Token = Annotated[str, Field(min_length=16, max_length=200)]
Session = Annotated[str, Field(min_length=20, max_length=2048)]  # Cognito's bounds for a session
AccessToken = Annotated[str, Field(min_length=1, max_length=8192)]
MfaMode = Literal["off", "optional", "required"]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class LoginRequest(Strict):
    email: EmailStr
    password: Password


class MfaLoginRequest(Strict):
    email: EmailStr
    session: Session
    code: Code


class MfaSetupLoginRequest(Strict):
    session: Session
    code: Code


class RefreshRequest(Strict):
    refresh_token: Annotated[str, Field(min_length=1, max_length=8192)]


class AcceptInvitationRequest(Strict):
    token: Token
    password: NewPassword


class ForgotPasswordRequest(Strict):
    email: EmailStr


class ResetPasswordRequest(Strict):
    token: Token
    password: NewPassword


class ChangePasswordRequest(Strict):
    current_password: Password
    new_password: NewPassword


class StartMfaRequest(Strict):
    access_token: AccessToken


class ConfirmMfaRequest(Strict):
    access_token: AccessToken
    code: Code


class DisableMfaRequest(Strict):
    password: Password
    code: Code


class InviteCustomersRequest(Strict):
    customer_ids: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=64)]], Field(min_length=1, max_length=50)
    ]


class PortalAccessRequest(Strict):
    enabled: bool


class SignInPolicy(Strict):
    mfa: MfaMode = "optional"
    invitation_days: Annotated[int, Field(ge=1, le=30)] = 7
    self_signup: bool = Field(
        default=False, description="Whether sign-up links may be shared with customers."
    )


class SignUpRequest(Strict):
    token: Annotated[str, Field(min_length=10, max_length=500)]
    email: EmailStr
    first_name: Annotated[str, Field(min_length=1, max_length=120)]
    last_name: Annotated[str, Field(min_length=1, max_length=120)]


class SignupLink(Schema):
    customer_id: str
    url: str
    expires_at: str


class SsoTokenRequest(Strict):
    code: Annotated[str, Field(min_length=1, max_length=2048)]
    code_verifier: Annotated[str, Field(min_length=43, max_length=128, pattern=r"^[A-Za-z0-9\-._~]+$")]
    redirect_uri: Annotated[str, Field(min_length=1, max_length=2048)]


class SsoConfig(Schema):
    """How the sign-in page offers single sign-on (disabled unless the tenant configured an IdP)."""

    enabled: bool
    provider_name: str | None = None
    authorize_url: str | None = None
    client_id: str | None = None
    redirect_uri: str | None = None


class Tokens(Schema):
    id_token: str
    access_token: str
    refresh_token: str | None = None
    expires_in: int


class MfaSetup(Schema):
    """What an authenticator app needs: scan the QR code or type the secret."""

    secret: str
    otpauth_uri: str
    qr_svg: str


class LoginResult(Schema):
    """Tokens when signed in; otherwise the challenge to answer with `session`: `mfa_code` (send the
    app's code to /auth/login/mfa) or `mfa_setup` (the tenant requires MFA: scan, then confirm at
    /auth/login/mfa-setup)."""

    challenge: Literal["mfa_code", "mfa_setup"] | None = None
    session: str | None = None
    mfa_setup: MfaSetup | None = None
    id_token: str | None = None
    access_token: str | None = None
    refresh_token: str | None = None
    expires_in: int | None = None


class Message(Schema):
    message: str


class Security(Schema):
    email: str
    mfa_enabled: bool
    mfa_policy: MfaMode


class Invitation(Schema):
    customer_id: str
    contact_id: str
    email: str
    status: Literal["invited", "already_active", "access_disabled"]


class Invitations(Schema):
    invitations: list[Invitation]


class ContactAccess(Schema):
    customer_id: str
    contact_id: str
    enabled: bool


class PortalAccess(Schema):
    customer_id: str
    enabled: bool
    contacts_signed_out: int


class Me(Schema):
    subject: str
    email: str | None
    customer_id: str | None
    contact_id: str | None
    is_staff: bool
