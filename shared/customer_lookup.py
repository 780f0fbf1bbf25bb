"""The one synchronous question other services may ask the customers service, when their own
projection does not know a customer or contact *yet* (e.g. staff create a customer and at once
raise an invoice for it, before CustomerCreated arrived): a function-to-function call (Lambda
Invoke of CustomersLookupFunction, declared in template.yaml), never a read of its table. The answer
is the same snapshot the events carry, so the caller stores it in its projection with its version
and the later event changes nothing."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pydantic import BaseModel, Field

from shared.event_models import ContactChanged, CustomerChanged
from shared.settings import EnvSettings, load


class LookupSettings(EnvSettings):
    """The functions that may ask (template.yaml grants them lambda:InvokeFunction on it)."""

    function_name: str = Field(alias="CUSTOMERS_LOOKUP_FUNCTION")


class LookupRequest(BaseModel):
    customer_id: str
    contact_id: str | None = None
    all_contacts: bool = False


class LookupAnswer(BaseModel):
    customer: CustomerChanged | None = None  # None: no such customer
    contact: ContactChanged | None = None  # None: not asked, or no such contact of this customer
    contacts: list[ContactChanged] = []  # every contact, when asked for all_contacts


@cache
def _lambda() -> Any:
    from shared.aws import client  # lazily: only a projection miss needs it

    return client("lambda")


def ask(customer_id: str, contact_id: str | None = None, all_contacts: bool = False) -> LookupAnswer:
    request = LookupRequest(customer_id=customer_id, contact_id=contact_id, all_contacts=all_contacts)
    response = _lambda().invoke(
        FunctionName=load(LookupSettings).function_name,
        InvocationType="RequestResponse",
        Payload=request.model_dump_json().encode(),
    )
    payload = response["Payload"].read()
    if response.get("FunctionError"):
        raise RuntimeError(f"customers lookup failed: {payload[:300]!r}")
    return LookupAnswer.model_validate(json.loads(payload))
