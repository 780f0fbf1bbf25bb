"""Secrets the auth table must keep, kept sealed (envelope encryption): each purpose has one data key,
made by KMS and stored only wrapped; values are AES-256-GCM under it, bound to the item they belong
to (the associated data), so a sealed value copied to another item does not open."""

from __future__ import annotations

import base64
import os
from functools import cache
from typing import TYPE_CHECKING

from services.auth import kms
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.auth import store
else:  # pynamodb (most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.auth.store")

SIGNUP_LINKS = "signup-links"
HELD_TOKENS = "held-tokens"
NONCE_BYTES = 12


@cache
def data_key(purpose: str) -> bytes:
    """The plain key of a purpose (the first caller makes it; every container then shares it). Kept
    for the container's life: a key never changes once written, so a warm request costs no read."""
    return kms.unwrap(store.wrapped_key(purpose, lambda: kms.new_data_key(purpose)), purpose)


def seal(plaintext: bytes, bound_to: str) -> str:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # lazily: only this path needs it

    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(data_key(HELD_TOKENS)).encrypt(nonce, plaintext, bound_to.encode())
    return base64.b64encode(nonce + sealed).decode()


def unseal(text: str, bound_to: str) -> bytes:
    """Raises cryptography's InvalidTag when the value was altered or belongs to another item."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    raw = base64.b64decode(text)
    return AESGCM(data_key(HELD_TOKENS)).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], bound_to.encode())
