"""Domain objects → the API's response views (the one place they are shaped for HTTP)."""

from __future__ import annotations

from dataclasses import asdict

from services.customers.logic.domain import Contact, Customer
from services.customers.schemas import Address, ContactView, CustomerView


def customer_view(customer: Customer) -> CustomerView:
    address = customer.billing_address
    return CustomerView(
        customer_id=customer.customer_id,
        display_name=customer.display_name,
        company_name=customer.company_name,
        email=customer.email,
        phone=customer.phone,
        currency=customer.currency,
        billing_address=Address(**asdict(address)) if address else None,
    )


def contact_view(contact: Contact) -> ContactView:
    return ContactView(
        contact_id=contact.contact_id,
        customer_id=contact.customer_id,
        first_name=contact.first_name,
        last_name=contact.last_name,
        email=contact.email,
        phone=contact.phone,
        is_primary=contact.is_primary,
        portal_status=contact.portal_status,
    )
