"""Runs a template function's handler the way Lambda does: imported by its `Handler` string, called
with (event, context), one invocation at a time (a Lambda container serves one request at a time,
and it keeps the local process free of thread races)."""

from __future__ import annotations

import importlib
import sys
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from infra.local.provision import FunctionSpec


@dataclass
class LambdaContext:
    function_name: str
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = ""
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "local"
    log_stream_name: str = "local"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


class Invoker:
    def __init__(self, functions: dict[str, FunctionSpec]) -> None:
        self.functions = functions
        self._handlers: dict[str, Any] = {}
        self._lock = threading.RLock()

    def handler(self, function: str) -> Any:
        if function not in self._handlers:
            module_name, _, attribute = self.functions[function].handler.rpartition(".")
            self._handlers[function] = getattr(importlib.import_module(module_name), attribute)
        return self._handlers[function]

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        handler = self.handler(function)
        context = LambdaContext(function_name=function)
        with self._lock:
            try:
                return handler(event, context)
            finally:
                _drop_unflushed_metrics()


def _drop_unflushed_metrics() -> None:
    """Locally metrics are off (POWERTOOLS_METRICS_DISABLED): Powertools then neither prints nor clears
    them after an invocation, and prints the whole set to the terminal once a metric holds 100 values
    (that check ignores the switch). So the local runtime drops them after every invocation."""
    observability = sys.modules.get("shared.observability")
    if observability is not None:
        observability.metrics.clear_metrics()
