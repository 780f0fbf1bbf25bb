"""Auth HTTP API (chalice): sign in (password, code, first MFA enrolment), invitations, password
recovery and change, MFA, and the staff's controls. Public routes have Auth NONE in template.yaml."""

from __future__ import annotations

from chalice import Response

from services.auth.logic import access, invitations, mfa, passwords, use_cases
from services.auth.schemas import (
    AcceptInvitationRequest,
    ChangePasswordRequest,
    ConfirmMfaRequest,
    DisableMfaRequest,
    ForgotPasswordRequest,
    InviteCustomersRequest,
    LoginRequest,
    MfaLoginRequest,
    MfaSetupLoginRequest,
    PortalAccessRequest,
    RefreshRequest,
    ResetPasswordRequest,
    SignInPolicy,
    StartMfaRequest,
)
from shared.api import client_ip, create_app, json_response, no_content, parse_body, principal

app = create_app("auth")


@app.route("/auth/login", methods=["POST"])
def login() -> Response:
    request = parse_body(app, LoginRequest)
    return json_response(use_cases.login(request.email, request.password, client_ip(app)))


@app.route("/auth/login/mfa", methods=["POST"])
def login_with_code() -> Response:
    request = parse_body(app, MfaLoginRequest)
    return json_response(
        use_cases.login_with_code(request.email, request.session, request.code, client_ip(app))
    )


@app.route("/auth/login/mfa-setup", methods=["POST"])
def login_with_new_mfa() -> Response:
    request = parse_body(app, MfaSetupLoginRequest)
    return json_response(use_cases.login_with_new_mfa(request.session, request.code, client_ip(app)))


@app.route("/auth/refresh", methods=["POST"])
def refresh() -> Response:
    return json_response(use_cases.refresh(parse_body(app, RefreshRequest).refresh_token))


@app.route("/auth/logout", methods=["POST"])
def logout() -> Response:
    use_cases.logout(principal(app))
    return no_content()


@app.route("/me", methods=["GET"])
def me() -> Response:
    return json_response(use_cases.me(principal(app)))


@app.route("/auth/invitations/accept", methods=["POST"])
def accept_invitation() -> Response:
    request = parse_body(app, AcceptInvitationRequest)
    return json_response(invitations.accept(request.token, request.password, client_ip(app)))


@app.route("/auth/password/forgot", methods=["POST"])
def forgot_password() -> Response:
    return json_response(passwords.forgot(parse_body(app, ForgotPasswordRequest).email), status=202)


@app.route("/auth/password/reset", methods=["POST"])
def reset_password() -> Response:
    request = parse_body(app, ResetPasswordRequest)
    return json_response(passwords.reset(request.token, request.password))


@app.route("/auth/password/change", methods=["POST"])
def change_password() -> Response:
    request = parse_body(app, ChangePasswordRequest)
    caller = principal(app)
    return json_response(
        passwords.change(caller, request.current_password, request.new_password, client_ip(app))
    )


@app.route("/auth/security", methods=["GET"])
def security() -> Response:
    return json_response(mfa.security(principal(app)))


@app.route("/auth/mfa/setup", methods=["POST"])
def start_mfa() -> Response:
    return json_response(mfa.start_for(principal(app), parse_body(app, StartMfaRequest).access_token))


@app.route("/auth/mfa/confirm", methods=["POST"])
def confirm_mfa() -> Response:
    request = parse_body(app, ConfirmMfaRequest)
    return json_response(mfa.confirm_for(principal(app), request.access_token, request.code))


@app.route("/auth/mfa/disable", methods=["POST"])
def disable_mfa() -> Response:
    request = parse_body(app, DisableMfaRequest)
    return json_response(mfa.disable(principal(app), request.password, request.code, client_ip(app)))


# ---- staff -----------------------------------------------------------------------------------------


@app.route("/staff/customers/{customer_id}/contacts/{contact_id}/invitation", methods=["POST"])
def invite_contact(customer_id: str, contact_id: str) -> Response:
    principal(app).require_staff()
    return json_response(invitations.invite(customer_id, contact_id), status=202)


@app.route("/staff/invitations", methods=["POST"])
def invite_customers() -> Response:
    principal(app).require_staff()
    return json_response(
        invitations.invite_customers(parse_body(app, InviteCustomersRequest).customer_ids), status=202
    )


@app.route("/staff/customers/{customer_id}/contacts/{contact_id}/mfa/reset", methods=["POST"])
def reset_contact_mfa(customer_id: str, contact_id: str) -> Response:
    principal(app).require_staff()
    mfa.reset_for_contact(customer_id, contact_id)
    return no_content()


@app.route("/staff/customers/{customer_id}/portal-access", methods=["PUT"])
def set_portal_access(customer_id: str) -> Response:
    principal(app).require_staff()
    return json_response(
        access.set_customer_access(customer_id, parse_body(app, PortalAccessRequest).enabled)
    )


@app.route("/staff/auth/policy", methods=["GET"])
def get_policy() -> Response:
    principal(app).require_staff()
    return json_response(access.policy())


@app.route("/staff/auth/policy", methods=["PUT"])
def put_policy() -> Response:
    principal(app).require_staff()
    return json_response(access.set_policy(parse_body(app, SignInPolicy)))
