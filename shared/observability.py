"""Powertools Logger and Metrics, one per function; Tracer only on demand (it costs ~200–450 ms of
cold start, so no handler imports it at module load)."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service=os.environ.get("POWERTOOLS_SERVICE_NAME", "portal"))
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "BillingPortal"))


@cache
def tracer() -> Any:
    from aws_lambda_powertools import Tracer

    return Tracer()
