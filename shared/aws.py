"""AWS clients, one botocore session per container for all of them (pynamodb's included, see
shared.dynamo). botocore directly rather than boto3: boto3 adds nothing the portal uses (no
resources, no S3 transfers) and its import costs a third of botocore's again at cold start; one
session loads the shared endpoint and retry data once for every client."""

from __future__ import annotations

from functools import cache
from typing import Any

import botocore.session


@cache
def session() -> botocore.session.Session:
    return botocore.session.get_session()


@cache
def client(service: str) -> Any:
    """The container's client of `service` (region and endpoint from the environment, as boto3's)."""
    return session().create_client(service)
