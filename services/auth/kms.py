"""The auth service's KMS key (AuthSecretsKey): the only module that calls KMS. It makes and unwraps
data keys; the table stores only their wrapped form, so a copy of the table reveals no secret."""

from __future__ import annotations

from functools import cache
from typing import Any

from services.auth.settings import Api
from shared.aws import client
from shared.settings import load


@cache
def _kms() -> Any:
    return client("kms")


def new_data_key(purpose: str) -> bytes:
    """A fresh 256-bit data key, wrapped (only KMS can unwrap it, and only for this purpose)."""
    response = _kms().generate_data_key(
        KeyId=load(Api).auth_kms_key_id, KeySpec="AES_256", EncryptionContext={"purpose": purpose}
    )
    return bytes(response["CiphertextBlob"])


@cache
def unwrap(wrapped: bytes, purpose: str) -> bytes:
    """The plain data key; one KMS call per container and key (cached like any warm state)."""
    response = _kms().decrypt(
        CiphertextBlob=wrapped, KeyId=load(Api).auth_kms_key_id, EncryptionContext={"purpose": purpose}
    )
    return bytes(response["Plaintext"])
