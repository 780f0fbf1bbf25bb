"""CustomersLookupFunction: answers another service's function whose projection does not know a
customer or contact yet (shared.customer_lookup). Reads by key (one GetItem or one Query of the
customer's partition); writes nothing."""

from __future__ import annotations

from typing import Any

from services.customers import store
from services.customers.logic import views
from services.customers.logic.domain import Customer
from shared.customer_lookup import LookupAnswer, LookupRequest
from shared.event_models import ContactChanged, CustomerChanged
from shared.observability import logger


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    request = LookupRequest.model_validate(event)
    answer = LookupAnswer()
    customer: Customer | None
    if request.all_contacts:
        account = store.account(request.customer_id)
        customer = account.customer if account else None
        answer.contacts = (
            [views.contact_facts(ContactChanged, contact) for contact in account.contacts] if account else []
        )
    else:
        customer = store.customer(request.customer_id)
    if customer is None:
        return LookupAnswer().model_dump(mode="json")
    answer.customer = views.customer_facts(CustomerChanged, customer)
    contact = store.contact(request.customer_id, request.contact_id) if request.contact_id else None
    if contact is not None:
        answer.contact = views.contact_facts(ContactChanged, contact)
    return answer.model_dump(mode="json")
