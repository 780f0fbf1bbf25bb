"""Runs a template function's handler the way Lambda does: imported by its `Handler` string, called
with (event, context). Two modes:
- containers (`make run`, the concurrency tests): each function has a small pool of separate
  processes, each serving one invocation at a time, so concurrent requests run concurrently and a race
  between containers shows as it would in AWS (infra/local/containers.py);
- in process (the test session's default gateway): one invocation at a time across every function, so
  tests can watch what the handlers do in this process (AWS calls made, a patched clock)."""

from __future__ import annotations

import importlib
import sys
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from infra.local.containers import DEFAULT_SIZE, ContainerPool
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
    def __init__(self, functions: dict[str, FunctionSpec], containers: int = 0) -> None:
        """`containers`: the pool size per function; 0 runs every handler in this process."""
        self.functions = functions
        self.containers = containers
        self._handlers: dict[str, Any] = {}
        self._lock = threading.RLock()
        self._pools: dict[str, ContainerPool] = {}

    def handler(self, function: str) -> Any:
        if function not in self._handlers:
            module_name, _, attribute = self.functions[function].handler.rpartition(".")
            self._handlers[function] = getattr(importlib.import_module(module_name), attribute)
        return self._handlers[function]

    def pool(self, function: str) -> ContainerPool:
        with self._lock:
            if function not in self._pools:
                spec = self.functions[function]
                self._pools[function] = ContainerPool(function, spec.handler, self.containers or DEFAULT_SIZE)
            return self._pools[function]

    def invoke(self, function: str, event: dict[str, Any]) -> Any:
        if self.containers:
            return self.pool(function).invoke(event)
        handler = self.handler(function)
        context = LambdaContext(function_name=function)
        with self._lock:
            try:
                return handler(event, context)
            finally:
                drop_unflushed_metrics()

    def prestart(self, functions: list[str]) -> None:
        """A warm container for each function, started side by side (no-op in process)."""
        if self.containers:
            with ThreadPoolExecutor(max_workers=8) as starting:
                list(starting.map(lambda function: self.pool(function).prestart(), functions))

    def stop(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.stop()


def drop_unflushed_metrics() -> None:
    """Locally metrics are off (POWERTOOLS_METRICS_DISABLED): Powertools then neither prints nor clears
    them after an invocation, and prints the whole set to the terminal once a metric holds 100 values
    (that check ignores the switch). So the local runtime drops them after every invocation (in the
    container that ran it)."""
    observability = sys.modules.get("shared.observability")
    if observability is not None:
        observability.metrics.clear_metrics()
