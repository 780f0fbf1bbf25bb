"""`POST /subscriptions/{id}/changes` exactly once per `Idempotency-Key` (Powertools idempotency,
records in SubscriptionsTable under pk `IDEMPOTENCY`, kept 24 hours), as payments' POST /payments:
the same key replays the first answer, the same key with another body is 422, a request still running
under the key is 409. Keys are scoped to the calling customer."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

from shared.errors import Conflict, DomainError, ValidationFailed
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.subscriptions import store
else:
    store = lazy_module("services.subscriptions.store")

EXPIRES_AFTER_SECONDS = 24 * 3600
KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


class KeyReused(DomainError):
    status = 422
    code = "idempotency_key_reused"


def check_key(key: str | None) -> str:
    if not key or not KEY.fullmatch(key):
        raise ValidationFailed(
            "Send an Idempotency-Key header (1-255 visible characters, new for each change).",
            [{"field": "Idempotency-Key", "message": "required"}],
        )
    return key


@cache
def _tools() -> tuple[Any, Any]:
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

    config = IdempotencyConfig(
        event_key_jmespath="key",
        payload_validation_jmespath="body",
        expires_after_seconds=EXPIRES_AFTER_SECONDS,
        raise_on_no_idempotency_key=True,
    )
    return config, store.idempotency_layer()


def register(context: Any) -> None:
    if context is not None:
        _tools()[0].register_lambda_context(context)


def run_once(
    customer_id: str, key: str, body: dict[str, Any], work: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.idempotency import idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    config, persistence = _tools()

    @idempotent_function(  # type: ignore[untyped-decorator]
        data_keyword_argument="request", config=config, persistence_store=persistence
    )
    def first_answer(request: dict[str, Any]) -> dict[str, Any]:
        return work()

    try:
        return dict(first_answer(request={"key": f"{customer_id}#{key}", "body": body}))
    except IdempotencyValidationError:
        raise KeyReused("This Idempotency-Key was used for a different change; use a new key.") from None
    except IdempotencyAlreadyInProgressError:
        raise Conflict("A change with this Idempotency-Key is still being processed.") from None
