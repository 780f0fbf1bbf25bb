"""CustomersLookupFunction: answers another service's function whose projection does not know a
customer or contact yet (shared.customer_lookup). Reads by key (one GetItem or one Query of the
customer's partition); writes nothing."""

from __future__ import annotations

from typing import Any

from services.customers import store
from services.customers.logic.domain import Contact, Customer
from shared.customer_lookup import LookupAnswer, LookupRequest
from shared.event_models import ContactChanged, CustomerChanged
from shared.observability import logger


def _contact(contact: Contact) -> ContactChanged:
    return ContactChanged(
        customer_id=contact.customer_id,
        contact_id=contact.contact_id,
        first_name=contact.first_name,
        last_name=contact.last_name,
        email=contact.email,
        is_primary=contact.is_primary,
        language=contact.language,
        contact_version=contact.version,
    )


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    request = LookupRequest.model_validate(event)
    answer = LookupAnswer()
    customer: Customer | None
    if request.all_contacts:
        account = store.account(request.customer_id)
        customer = account.customer if account else None
        answer.contacts = [_contact(contact) for contact in account.contacts] if account else []
    else:
        customer = store.customer(request.customer_id)
    if customer is None:
        return LookupAnswer().model_dump(mode="json")
    answer.customer = CustomerChanged(
        customer_id=customer.customer_id,
        display_name=customer.display_name,
        company_name=customer.company_name,
        email=customer.email,
        currency=customer.currency,
        customer_version=customer.version,
    )
    contact = store.contact(request.customer_id, request.contact_id) if request.contact_id else None
    if contact is not None:
        answer.contact = _contact(contact)
    return answer.model_dump(mode="json")
