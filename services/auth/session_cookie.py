"""The refresh token's cookie: HttpOnly (no script can read it), Secure, SameSite=Strict (no other
site's request carries it) and scoped to the auth routes' path, so only /auth/refresh and
/auth/logout ever receive it. It holds the sign-in name too: Cognito's SECRET_HASH for a refresh is
computed over it."""

from __future__ import annotations

import base64
import json
import os
from http.cookies import CookieError, SimpleCookie

from chalice import Response

NAME = "portal_refresh"
MAX_AGE = 30 * 24 * 3600  # the app client's RefreshTokenValidity


def _path() -> str:
    # Where the browser reaches the auth routes (locally the gateway serves the API under /api).
    return os.environ.get("REFRESH_COOKIE_PATH", "/api/auth")


def _attributes(max_age: int) -> str:
    return f"HttpOnly; Secure; SameSite=Strict; Path={_path()}; Max-Age={max_age}"


def set_on(response: Response, sign_in_name: str, refresh_token: str) -> None:
    value = base64.urlsafe_b64encode(json.dumps([sign_in_name, refresh_token]).encode()).decode()
    response.headers["Set-Cookie"] = f"{NAME}={value}; {_attributes(MAX_AGE)}"


def clear_on(response: Response) -> None:
    response.headers["Set-Cookie"] = f"{NAME}=; {_attributes(0)}"


def read(cookie_header: str | None) -> tuple[str | None, str | None]:
    """(sign-in name, refresh token) from the request's Cookie header; (None, None) when absent or
    not one of ours."""
    if not cookie_header:
        return None, None
    try:
        morsel = SimpleCookie(cookie_header).get(NAME)
        if morsel is None:
            return None, None
        name, token = json.loads(base64.urlsafe_b64decode(morsel.value.encode()))
    except (CookieError, ValueError, TypeError, UnicodeError):
        return None, None
    if not isinstance(name, str) or not isinstance(token, str) or not name or not token:
        return None, None
    return name, token
