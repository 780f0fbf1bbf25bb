"""CustomersLookupFunction: answers another service's function whose projection does not know a
customer or contact yet (shared.customer_lookup). Reads by key (one GetItem or one Query of the
customer's partition); writes nothing."""

from __future__ import annotations

from typing import Any

from services.customers import store
from services.customers.schemas import ContactView
from shared.customer_lookup import LookupAnswer, LookupRequest
from shared.event_models import ContactChanged, CustomerChanged
from shared.observability import logger


def _contact(contact: ContactView, version: int) -> ContactChanged:
    return ContactChanged(
        customer_id=contact.customer_id,
        contact_id=contact.contact_id,
        first_name=contact.first_name,
        last_name=contact.last_name,
        email=contact.email,
        is_primary=contact.is_primary,
        language=contact.language,
        contact_version=version,
    )


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    request = LookupRequest.model_validate(event)
    answer = LookupAnswer()
    if request.all_contacts:
        items = store.customer_partition(request.customer_id)
        profile = next((item for item in items if store.is_profile(item)), None)
        found = (store.customer_view(profile), int(profile.version or 1)) if profile else None
        answer.contacts = [
            _contact(store.contact_view(item), int(item.version or 1))
            for item in items
            if store.is_contact(item)
        ]
    else:
        found = store.customer(request.customer_id)
    if found is None:
        return LookupAnswer().model_dump(mode="json")
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
        answer.contact = _contact(*contact_found)
    return answer.model_dump(mode="json")
