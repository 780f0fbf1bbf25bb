"""A handler for tests/integration/test_container_parity.py, run in a container process."""

from __future__ import annotations

from typing import Any


def refuse(event: Any, context: Any) -> Any:
    raise Exception("Unauthorized")  # what an API Gateway authorizer raises to answer 401
