"""Helpers for the auth flows: links in emails, TOTP codes, signing in."""

from __future__ import annotations

import base64
import re
import time
from email.message import Message
from typing import Any

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from werkzeug.test import Client, TestResponse

from tests.support import PASSWORD, ApiClient, PortalHandle

STRONG_PASSWORD = "Lantern-orchid-741-quartz"


def text_of(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no plain-text part")


def link_token(message: Message, path: str) -> str:
    found = re.search(rf"{re.escape(path)}\?token=([A-Za-z0-9_\-]+)", text_of(message))
    assert found, text_of(message)
    return found.group(1)


def totp_code(secret: str) -> str:
    """The current code, never one about to roll over (moto accepts only the current 30 s step)."""
    if 30 - time.time() % 30 < 2:
        time.sleep(2.1)
    padded = secret + "=" * (-len(secret) % 8)
    totp = TOTP(base64.b32decode(padded, casefold=True), 6, SHA1(), 30, enforce_key_length=False)
    return totp.generate(time.time()).decode()


def sign_in(portal: PortalHandle, email_address: str, password: str = PASSWORD) -> dict[str, Any]:
    """The answer's body, plus `refresh_cookie` ("name=value" of the HttpOnly cookie, when set)."""
    response = ApiClient(portal.gateway).post("/auth/login", {"email": email_address, "password": password})
    assert response.status_code == 200, response.get_data(as_text=True)
    cookie = response.headers.get("Set-Cookie", "").split(";", 1)[0]
    return {**response.json, "refresh_cookie": cookie or None}  # type: ignore[dict-item]


def refresh(portal: PortalHandle, session: dict[str, Any]) -> TestResponse:
    """What the browser does: POST /auth/refresh carrying the session's cookie (and no body)."""
    return with_cookie(portal, "/auth/refresh", session["refresh_cookie"])


def with_cookie(portal: PortalHandle, path: str, cookie: str) -> TestResponse:
    """A POST carrying exactly this Cookie header (werkzeug's cookie jar would replace it)."""
    client = Client(portal.gateway, use_cookies=False)
    return client.post(f"/api{path}", json={}, headers={"Cookie": cookie})
