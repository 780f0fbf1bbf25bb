"""CustomersLookupFunction: answers another service's function whose projection does not know a
customer or contact yet (shared.customer_lookup). Reads by key only; writes nothing."""

from __future__ import annotations

from typing import Any

from services.customers import store
from shared.customer_lookup import LookupAnswer, LookupRequest
from shared.event_models import ContactChanged, CustomerChanged
from shared.observability import logger


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    request = LookupRequest.model_validate(event)
    answer = LookupAnswer()
    found = store.customer(request.customer_id)
    if found is not None:
        customer, version = found
        answer.customer = CustomerChanged(
            customer_id=customer.customer_id,
            display_name=customer.display_name,
            company_name=customer.company_name,
            email=customer.email,
            currency=customer.currency,
            customer_version=version,
        )
        contact_found = store.contact(request.customer_id, request.contact_id) if request.contact_id else None
        if contact_found is not None:
            contact, contact_version = contact_found
            answer.contact = ContactChanged(
                customer_id=contact.customer_id,
                contact_id=contact.contact_id,
                first_name=contact.first_name,
                last_name=contact.last_name,
                email=contact.email,
                is_primary=contact.is_primary,
                language=contact.language,
                contact_version=contact_version,
            )
    return answer.model_dump(mode="json")
