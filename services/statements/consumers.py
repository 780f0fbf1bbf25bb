"""Statements' event consumers: the ledger (invoice, payment and credit-note events → entries, rule →
StatementsLedgerQueue) and the directory (portal.customers facts → StatementsDirectoryQueue).
This service publishes no events."""

from __future__ import annotations

from typing import Any

from services.statements.settings import Settings
from shared.observability import logger
from shared.settings import check_at_cold_start

check_at_cold_start(__name__, {"ledger": Settings, "directory": Settings})


@logger.inject_lambda_context
def ledger(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from services.statements.logic.events import apply_event
    from shared.consumers import consume_events

    return consume_events(event, context, apply_event)


@logger.inject_lambda_context
def directory(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from services.statements.logic.directory import apply_customer_event
    from shared.consumers import consume_batch

    return consume_batch(event, context, apply_customer_event)
