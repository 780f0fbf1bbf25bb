"""Auth HTTP API (chalice): sign in, refresh, sign out, who am I. Login and refresh are the only
public routes (Auth NONE in template.yaml)."""

from __future__ import annotations

from chalice import Response

from services.auth.logic import use_cases
from services.auth.schemas import LoginRequest, RefreshRequest
from shared.api import create_app, json_response, no_content, parse_body, principal

app = create_app("auth")


@app.route("/auth/login", methods=["POST"])
def login() -> Response:
    request = parse_body(app, LoginRequest)
    return json_response(use_cases.login(request.email, request.password))


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
