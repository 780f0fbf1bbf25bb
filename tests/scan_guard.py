"""A pytest plugin (loaded with `-p tests.scan_guard` from pyproject's addopts) that fails any test
during which anything in this process made a DynamoDB Scan: every read is a Query or GetItem on a key
designed for it. It watches every botocore client (boto3's and pynamodb's alike)."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from typing import Any

import botocore.client
import pytest

SCAN_OPERATIONS = {"Scan", "ParallelScan"}
scans: list[str] = []
_original = botocore.client.BaseClient._make_api_call


def _watching(self: Any, operation: str, params: dict[str, Any]) -> Any:
    if operation in SCAN_OPERATIONS and self.meta.service_model.service_name == "dynamodb":
        where = "".join(traceback.format_stack(limit=8)[:-1])
        scans.append(f"Scan of {params.get('TableName')} from:\n{where}")
    return _original(self, operation, params)


def pytest_configure(config: pytest.Config) -> None:
    botocore.client.BaseClient._make_api_call = _watching  # type: ignore[method-assign]


def pytest_unconfigure(config: pytest.Config) -> None:
    botocore.client.BaseClient._make_api_call = _original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _no_dynamodb_scan() -> Iterator[None]:
    start = len(scans)
    yield
    made = scans[start:]
    if made:
        pytest.fail("DynamoDB Scan is not allowed (DESIGN.md: no Scan):\n" + "\n".join(made), pytrace=False)
