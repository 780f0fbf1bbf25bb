"""`POST /payments` exactly once per `Idempotency-Key` (Powertools idempotency, records in
PaymentsTable under pk `IDEMPOTENCY`, kept 24 hours): the same key replays the first answer, the
same key with another body is 422, a request still running under the key is 409. The key is scoped
to the calling customer, so two customers' keys never meet."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from shared.errors import Conflict, DomainError, ValidationFailed

EXPIRES_AFTER_SECONDS = 24 * 3600
KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


class KeyReused(DomainError):
    status = 422
    code = "idempotency_key_reused"


def check_key(key: str | None) -> str:
    if not key or not KEY.fullmatch(key):
        raise ValidationFailed(
            "Send an Idempotency-Key header (1-255 visible characters, new for each payment).",
            [{"field": "Idempotency-Key", "message": "required"}],
        )
    return key


@cache
def _tools() -> tuple[Any, Any]:
    """(config, persistence layer), built once per container on the first payment."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, IdempotencyConfig

    from services.payments.settings import Settings
    from shared.aws import client
    from shared.settings import load

    persistence = DynamoDBPersistenceLayer(
        table_name=load(Settings).payments_table,
        key_attr="pk",
        sort_key_attr="sk",
        static_pk_value="IDEMPOTENCY",
        expiry_attr="expires_at",
        boto3_client=client("dynamodb"),
    )
    config = IdempotencyConfig(
        event_key_jmespath="key",
        payload_validation_jmespath="body",
        expires_after_seconds=EXPIRES_AFTER_SECONDS,
        raise_on_no_idempotency_key=True,
    )
    return config, persistence


def register(context: Any) -> None:
    """The Lambda context, so the record of a request that timed out is not held 'in progress'."""
    if context is not None:
        _tools()[0].register_lambda_context(context)


def run_once(
    customer_id: str, key: str, body: dict[str, Any], work: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """`work()`'s answer, once per (customer, key): later calls replay it."""
    from aws_lambda_powertools.utilities.idempotency import idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    config, persistence = _tools()

    # powertools' decorator is untyped
    @idempotent_function(  # type: ignore[untyped-decorator]
        data_keyword_argument="request", config=config, persistence_store=persistence
    )
    def first_answer(request: dict[str, Any]) -> dict[str, Any]:
        return work()

    try:
        return dict(first_answer(request={"key": f"{customer_id}#{key}", "body": body}))
    except IdempotencyValidationError:
        raise KeyReused("This Idempotency-Key was used for a different payment; use a new key.") from None
    except IdempotencyAlreadyInProgressError:
        raise Conflict("A payment with this Idempotency-Key is still being processed.") from None
