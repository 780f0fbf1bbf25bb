"""Request and response contracts of the auth API."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, EmailStr, Field, PrivateAttr, WithJsonSchema

from shared.contract import Schema
from shared.person_names import PersonName

Password = Annotated[str, Field(min_length=1, max_length=256)]
# The length rule is in the contract; strength (zxcvbn) is checked by the use case.
NewPassword = Annotated[str, Field(min_length=12, max_length=256, description="At least 12 characters.")]
Code = Annotated[str, Field(pattern=r"^\d{6}$", description="The 6-digit code of the authenticator app.")]
Token = Annotated[str, Field(min_length=16, max_length=200)]
Session = Annotated[str, Field(min_length=20, max_length=2048)]  # Cognito's bounds for a session
MfaMode = Literal["off", "optional", "required"]
DOMAIN_PATTERN = r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"
EmailDomain = Annotated[str, Field(min_length=3, max_length=253, pattern=DOMAIN_PATTERN)]


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
    """Proof that the caller is the account's owner: the password, and the current code when an
    authenticator is already on (replacing it needs the old one, as turning MFA off does)."""

    password: Password
    code: Code | None = None


class ConfirmMfaRequest(Strict):
    session: Session
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
    sso_email_domains: Annotated[list[EmailDomain], Field(max_length=20)] = Field(
        default_factory=list,
        description=(
            "Email domains whose users single sign-on may link to the contact with the same email "
            "(the identity provider is trusted for these addresses only; empty: SSO links no one)."
        ),
    )
    sso_enforces_mfa: bool = Field(
        default=False,
        description=(
            "The identity provider enforces two-step verification itself. Unless set, single sign-on "
            "is refused while the MFA policy is `required` (the portal cannot ask an SSO user for a code)."
        ),
    )


class SignUpRequest(Strict):
    # Python's regex semantics, as the OpenAPI document's readers (jsonschema, schemathesis) have them:
    # the Rust engine's \w differs on a few characters (e.g. "²"), so a valid example could be refused.
    model_config = ConfigDict(extra="forbid", regex_engine="python-re")

    token: Annotated[str, Field(min_length=10, max_length=500)]
    email: EmailStr
    first_name: PersonName
    last_name: PersonName


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
    """Cognito's tokens: only the ID token ever reaches the browser (the refresh token as an HttpOnly
    cookie); the access token stays in the auth service."""

    id_token: str
    access_token: str
    refresh_token: str | None = None
    expires_in: int


class MfaSetup(Schema):
    """What an authenticator app needs: scan the QR code or type the secret."""

    secret: str
    otpauth_uri: str
    qr_svg: str
    session: str | None = Field(
        default=None, description="For /auth/mfa/confirm (enrolling from the Security page)."
    )


class IdToken(Schema):
    """A fresh ID token for the API (the refresh token stays in its HttpOnly cookie)."""

    id_token: str
    expires_in: int


class LoginResult(Schema):
    """Tokens when signed in; otherwise the challenge to answer with `session`: `mfa_code` (send the
    app's code to /auth/login/mfa) or `mfa_setup` (the tenant requires MFA: scan, then confirm at
    /auth/login/mfa-setup)."""

    challenge: Literal["mfa_code", "mfa_setup"] | None = None
    session: str | None = None
    mfa_setup: MfaSetup | None = None
    id_token: str | None = None
    expires_in: int | None = None
    # Never serialised: the API layer puts the refresh token in an HttpOnly cookie.
    _refresh_token: str | None = PrivateAttr(default=None)

    def refresh_token(self) -> str | None:
        """The refresh token for the cookie, when this result carries one."""
        return self._refresh_token


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


# ---- changing the sign-in email --------------------------------------------------------------------


def _ascii_email(address: str) -> str:
    """Lower-case, in the ASCII form (an internationalised domain as punycode), as the customers
    service keeps contacts' emails (the contract's `email` format is ASCII)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validated = validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(f"value is not a valid email address: {error}") from None
    if validated.ascii_email is None:
        raise ValueError("use an email address in ASCII characters")
    return str(validated.ascii_email).lower()


NewEmail = Annotated[
    str, AfterValidator(_ascii_email), WithJsonSchema({"type": "string", "format": "email", "maxLength": 254})
]
EmailCode = Annotated[
    str, Field(pattern=r"^\d{6}$", description="The 6-digit code mailed to the new address.")
]


class ChangeEmailRequest(Strict):
    """Proof of the account (password, and the authenticator's code when MFA is on) and the new address."""

    new_email: NewEmail
    password: Password
    code: Code | None = None


class ConfirmEmailRequest(Strict):
    code: EmailCode
