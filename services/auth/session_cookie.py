"""The refresh token's cookie: HttpOnly (no script can read it), Secure, SameSite=Strict (no other
site's request carries it) and scoped to the auth routes' path, so only /auth/refresh and
/auth/logout ever receive it."""

from __future__ import annotations

import re
from http.cookies import CookieError, SimpleCookie

from chalice import Response

from services.auth.settings import Api
from shared.settings import load

NAME = "portal_refresh"
MAX_AGE = 30 * 24 * 3600  # the app client's RefreshTokenValidity
# Cognito's refresh tokens (a JWE, or moto's uuid) need nothing outside the cookie-safe characters.
TOKEN = re.compile(r"^[A-Za-z0-9._\-]{1,8192}$")


def _path() -> str:
    # Where the browser reaches the auth routes (locally the gateway serves the API under /api).
    return load(Api).refresh_cookie_path


def _attributes(max_age: int) -> str:
    return f"HttpOnly; Secure; SameSite=Strict; Path={_path()}; Max-Age={max_age}"


def set_on(response: Response, refresh_token: str) -> None:
    response.headers["Set-Cookie"] = f"{NAME}={refresh_token}; {_attributes(MAX_AGE)}"


def clear_on(response: Response) -> None:
    response.headers["Set-Cookie"] = f"{NAME}=; {_attributes(0)}"


def read(cookie_header: str | None) -> str | None:
    """The refresh token from the request's Cookie header; None when absent or not one of ours."""
    if not cookie_header:
        return None
    try:
        morsel = SimpleCookie(cookie_header).get(NAME)
    except CookieError:
        return None
    if morsel is None or not TOKEN.match(morsel.value):
        return None
    return morsel.value
