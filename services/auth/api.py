"""Auth HTTP API (chalice): sign in (password, code, first MFA enrolment), invitations, password
recovery and change, MFA, and the staff's controls. Public routes have Auth NONE in template.yaml."""

from __future__ import annotations

from chalice import Response

from services.auth import session_cookie
from services.auth.logic import access, email_change, invitations, mfa, passwords, signup, sso, use_cases
from services.auth.schemas import (
    AcceptInvitationRequest,
    ChangeEmailRequest,
    ChangePasswordRequest,
    ConfirmEmailRequest,
    ConfirmMfaRequest,
    ContactAccess,
    DisableMfaRequest,
    ForgotPasswordRequest,
    IdToken,
    Invitation,
    Invitations,
    InviteCustomersRequest,
    LoginRequest,
    LoginResult,
    Me,
    Message,
    MfaLoginRequest,
    MfaSetup,
    MfaSetupLoginRequest,
    PortalAccess,
    PortalAccessRequest,
    ResetPasswordRequest,
    Security,
    SignInPolicy,
    SignupLink,
    SignUpRequest,
    SsoConfig,
    SsoTokenRequest,
    StartMfaRequest,
)
from services.auth.settings import Api
from shared.api import client_ip, create_app, json_response, no_content, parse_body, principal
from shared.contract import operation

app = create_app("auth", Api)


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _signed_in(result: LoginResult) -> Response:
    """A sign-in step's answer: never cached; a finished sign-in sets the refresh token's cookie."""
    response = _no_store(json_response(result))
    refresh_token = result.refresh_token()
    if refresh_token is not None:
        session_cookie.set_on(response, refresh_token)
    return response


@app.route("/auth/login", methods=["POST"])
@operation(
    "Sign in with email and password (answers tokens, or the MFA step to take next)",
    access="public",
    body=LoginRequest,
    response=LoginResult,
    errors=(401, 429),
    writes_when_rejected="a failed sign-in is counted (throttling) and audited (LoginFailed)",
)
def login() -> Response:
    request = parse_body(app, LoginRequest)
    return _signed_in(use_cases.login(request.email, request.password, client_ip(app)))


@app.route("/auth/login/mfa", methods=["POST"])
@operation(
    "Finish signing in with the authenticator app's code",
    access="public",
    body=MfaLoginRequest,
    response=LoginResult,
    errors=(401, 429),
    writes_when_rejected="a failed sign-in is counted (throttling) and audited (LoginFailed)",
)
def login_with_code() -> Response:
    request = parse_body(app, MfaLoginRequest)
    return _signed_in(use_cases.login_with_code(request.email, request.session, request.code, client_ip(app)))


@app.route("/auth/login/mfa-setup", methods=["POST"])
@operation(
    "Finish the first sign-in by confirming a new authenticator (MFA required by the business)",
    access="public",
    body=MfaSetupLoginRequest,
    response=LoginResult,
    errors=(401, 429),
    writes_when_rejected="a failed sign-in is counted (throttling) and audited (LoginFailed)",
)
def login_with_new_mfa() -> Response:
    request = parse_body(app, MfaSetupLoginRequest)
    return _signed_in(use_cases.login_with_new_mfa(request.session, request.code, client_ip(app)))


@app.route("/auth/sso", methods=["GET"])
@operation("Whether single sign-on is offered, and where to start it", access="public", response=SsoConfig)
def sso_config() -> Response:
    return json_response(sso.config())


@app.route("/auth/sso/token", methods=["POST"])
@operation(
    "Finish single sign-on: the callback's code and PKCE verifier for tokens",
    access="public",
    body=SsoTokenRequest,
    response=LoginResult,
    errors=(401,),
)
def sso_token() -> Response:
    request = parse_body(app, SsoTokenRequest)
    return _signed_in(use_cases.finish_sso(request.code, request.code_verifier, request.redirect_uri))


@app.route("/auth/refresh", methods=["POST"])
@operation(
    "A new ID token for the refresh token in the HttpOnly session cookie (which is rotated)",
    access="public",
    response=IdToken,
    errors=(401,),
)
def refresh() -> Response:
    assert app.current_request is not None
    result = use_cases.refresh(session_cookie.read(app.current_request.headers.get("cookie")))
    fresh = IdToken(id_token=result.id_token or "", expires_in=result.expires_in or 0)
    response = _no_store(json_response(fresh))
    rotated = result.refresh_token()
    if rotated is not None:
        session_cookie.set_on(response, rotated)
    return response


@app.route("/auth/logout", methods=["POST"])
@operation(
    "Sign out everywhere: the caller's refresh tokens are revoked and ID tokens issued so far refused",
    access="signed_in",
)
def logout() -> Response:
    use_cases.logout(principal(app))
    response = no_content()
    session_cookie.clear_on(response)
    return response


@app.route("/me", methods=["GET"])
@operation("Who the caller is, from the verified token", access="signed_in", response=Me)
def me() -> Response:
    return json_response(use_cases.me(principal(app)))


@app.route("/auth/invitations/accept", methods=["POST"])
@operation(
    "Accept an invitation: choose a password and sign in",
    access="public",
    body=AcceptInvitationRequest,
    response=LoginResult,
    errors=(409, 410, 429),
)
def accept_invitation() -> Response:
    request = parse_body(app, AcceptInvitationRequest)
    return _signed_in(invitations.accept(request.token, request.password, client_ip(app)))


@app.route("/auth/signup", methods=["POST"])
@operation(
    "Sign up with the customer's sign-up link (an email follows to choose a password)",
    access="public",
    body=SignUpRequest,
    response=Message,
    status=202,
    errors=(410, 429),
    writes_when_rejected="a refused request is counted (throttling)",
)
def sign_up() -> Response:
    request = parse_body(app, SignUpRequest)
    return json_response(
        signup.sign_up(request.token, request.email, request.first_name, request.last_name, client_ip(app)),
        status=202,
    )


@app.route("/auth/password/forgot", methods=["POST"])
@operation(
    "Ask for a password-reset email (the same answer whether or not the email exists)",
    access="public",
    body=ForgotPasswordRequest,
    response=Message,
    status=202,
    errors=(429,),
    writes_when_rejected="a refused request is counted (throttling)",
)
def forgot_password() -> Response:
    email = parse_body(app, ForgotPasswordRequest).email
    return json_response(passwords.forgot(email, client_ip(app)), status=202)


@app.route("/auth/password/reset", methods=["POST"])
@operation(
    "Choose a new password with the emailed link's token (ends every session)",
    access="public",
    body=ResetPasswordRequest,
    response=Message,
    errors=(410,),
)
def reset_password() -> Response:
    request = parse_body(app, ResetPasswordRequest)
    return json_response(passwords.reset(request.token, request.password))


@app.route("/auth/password/change", methods=["POST"])
@operation(
    "Change the password (needs the current one; ends the other sessions)",
    access="signed_in",
    body=ChangePasswordRequest,
    response=LoginResult,
    errors=(429,),
    writes_when_rejected="a failed sign-in is counted (throttling) and audited (LoginFailed)",
)
def change_password() -> Response:
    request = parse_body(app, ChangePasswordRequest)
    caller = principal(app)
    changed = passwords.change(caller, request.current_password, request.new_password, client_ip(app))
    return _signed_in(changed)


@app.route("/auth/security", methods=["GET"])
@operation(
    "The caller's sign-in security: MFA on or off, and the business's MFA policy",
    access="signed_in",
    response=Security,
)
def security() -> Response:
    return json_response(mfa.security(principal(app)))


@app.route("/auth/mfa/setup", methods=["POST"])
@operation(
    "Start enrolling an authenticator app (QR code and secret): needs the password (and a code if on)",
    access="signed_in",
    body=StartMfaRequest,
    response=MfaSetup,
    errors=(401, 409, 429),
    writes_when_rejected="a failed sign-in is counted (throttling) and audited (LoginFailed)",
)
def start_mfa() -> Response:
    request = parse_body(app, StartMfaRequest)
    setup = mfa.start_for(principal(app), request.password, request.code, client_ip(app))
    return _no_store(json_response(setup))


@app.route("/auth/mfa/confirm", methods=["POST"])
@operation(
    "Confirm the new authenticator with a code: MFA is on from now",
    access="signed_in",
    body=ConfirmMfaRequest,
    response=Security,
    errors=(401, 410),
)
def confirm_mfa() -> Response:
    request = parse_body(app, ConfirmMfaRequest)
    return json_response(mfa.confirm_for(principal(app), request.session, request.code))


@app.route("/auth/mfa/disable", methods=["POST"])
@operation(
    "Turn MFA off (needs the password and a current code)",
    access="signed_in",
    body=DisableMfaRequest,
    response=Security,
    errors=(409, 429),
    writes_when_rejected="a failed sign-in is counted (throttling) and audited (LoginFailed)",
)
def disable_mfa() -> Response:
    request = parse_body(app, DisableMfaRequest)
    return json_response(mfa.disable(principal(app), request.password, request.code, client_ip(app)))


# ---- staff -----------------------------------------------------------------------------------------


@app.route("/staff/customers/{customer_id}/contacts/{contact_id}/invitation", methods=["POST"])
@operation(
    "Invite a contact to the portal (emails a one-time link; replaces an older one)",
    access="staff",
    response=Invitation,
    status=202,
)
def invite_contact(customer_id: str, contact_id: str) -> Response:
    principal(app).require_staff()
    return json_response(invitations.invite(customer_id, contact_id), status=202)


@app.route("/staff/customers/{customer_id}/signup-link", methods=["POST"])
@operation(
    "A signed sign-up link for one customer, to share with its people (self sign-up must be on)",
    access="staff",
    response=SignupLink,
    status=201,
    errors=(409,),
)
def create_signup_link(customer_id: str) -> Response:
    principal(app).require_staff()
    return json_response(signup.create_link(customer_id), status=201)


@app.route("/staff/invitations", methods=["POST"])
@operation(
    "Invite every contact without a login of each customer",
    access="staff",
    body=InviteCustomersRequest,
    response=Invitations,
    status=202,
)
def invite_customers() -> Response:
    principal(app).require_staff()
    return json_response(
        invitations.invite_customers(parse_body(app, InviteCustomersRequest).customer_ids), status=202
    )


@app.route("/staff/customers/{customer_id}/contacts/{contact_id}/mfa/reset", methods=["POST"])
@operation("Turn a contact's MFA off and end their sessions (lost device)", access="staff", status=204)
def reset_contact_mfa(customer_id: str, contact_id: str) -> Response:
    principal(app).require_staff()
    mfa.reset_for_contact(customer_id, contact_id)
    return no_content()


@app.route("/staff/customers/{customer_id}/portal-access", methods=["PUT"])
@operation(
    "Turn a customer's portal access off (signs its contacts out) or on",
    access="staff",
    body=PortalAccessRequest,
    response=PortalAccess,
)
def set_portal_access(customer_id: str) -> Response:
    principal(app).require_staff()
    return json_response(
        access.set_customer_access(customer_id, parse_body(app, PortalAccessRequest).enabled)
    )


@app.route("/staff/customers/{customer_id}/contacts/{contact_id}/access", methods=["PUT"])
@operation(
    "Turn one contact's portal login off (ends their sessions at once) or back on",
    access="staff",
    body=PortalAccessRequest,
    response=ContactAccess,
)
def set_contact_access(customer_id: str, contact_id: str) -> Response:
    principal(app).require_staff()
    enabled = parse_body(app, PortalAccessRequest).enabled
    return json_response(access.set_contact_access(customer_id, contact_id, enabled))


@app.route("/staff/auth/policy", methods=["GET"])
@operation("The business's sign-in policy", access="staff", response=SignInPolicy)
def get_policy() -> Response:
    principal(app).require_staff()
    return json_response(access.policy())


@app.route("/staff/auth/policy", methods=["PUT"])
@operation(
    "Set the sign-in policy: MFA off / optional / required, invitation lifetime",
    access="staff",
    body=SignInPolicy,
    response=SignInPolicy,
)
def put_policy() -> Response:
    principal(app).require_staff()
    return json_response(access.set_policy(parse_body(app, SignInPolicy)))


# ---- the contact's sign-in email -------------------------------------------------------------------


@app.route("/auth/email/change", methods=["POST"])
@operation(
    "Ask to sign in with another email (password, + code if MFA is on); a code is mailed to it",
    access="customer",
    body=ChangeEmailRequest,
    response=Message,
    status=202,
    errors=(401, 409, 429),
    writes_when_rejected="a failed sign-in is counted (throttling) and audited (LoginFailed)",
)
def change_email() -> Response:
    request = parse_body(app, ChangeEmailRequest)
    answer = email_change.request_change(
        principal(app), request.new_email, request.password, request.code, client_ip(app)
    )
    return json_response(answer, status=202)


@app.route("/auth/email/confirm", methods=["POST"])
@operation(
    "Confirm the new sign-in email with the mailed code (ends the sessions of the old address)",
    access="customer",
    body=ConfirmEmailRequest,
    response=Message,
    errors=(409, 410),
    writes_when_rejected="a wrong code is counted (five tries)",
)
def confirm_email() -> Response:
    request = parse_body(app, ConfirmEmailRequest)
    return _no_store(json_response(email_change.confirm_change(principal(app), request.code)))
