"""The one place where the customers service's domain objects (logic/domain.py) and the API's
schemas (schemas.py) meet: requests become domain objects, domain objects become views. The stores
never see a schema."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import TypeVar

from services.customers.logic import domain
from services.customers.schemas import (
    Address,
    BusinessProfile,
    ContactView,
    CreateContactRequest,
    CreateCustomerRequest,
    CustomerView,
    UpdateContactRequest,
    UpdateCustomerRequest,
)
from shared.event_models import ContactFacts, CustomerChanged, CustomerCreated
from shared.preferences import TenantSettings

CustomerFactsT = TypeVar("CustomerFactsT", CustomerCreated, CustomerChanged)
ContactFactsT = TypeVar("ContactFactsT", bound=ContactFacts)

# ---- requests → domain -----------------------------------------------------------------------------


def address(schema: Address | None) -> domain.Address | None:
    return domain.Address(**schema.model_dump()) if schema is not None else None


def new_customer(customer_id: str, request: CreateCustomerRequest, created_at: str) -> domain.Customer:
    return domain.Customer(
        customer_id=customer_id,
        display_name=request.display_name,
        company_name=request.company_name,
        email=request.email,
        phone=request.phone,
        currency=request.currency,
        billing_address=address(request.billing_address),
        version=1,
        created_at=created_at,
    )


def changed_customer(before: domain.Customer, request: UpdateCustomerRequest) -> domain.Customer:
    """`before` with what staff may change, as its next version."""
    return replace(
        before,
        display_name=request.display_name,
        company_name=request.company_name,
        email=request.email,
        phone=request.phone,
        billing_address=address(request.billing_address),
        version=before.version + 1,
    )


def new_contact(
    contact_id: str, customer_id: str, request: CreateContactRequest, created_at: str
) -> domain.Contact:
    return domain.Contact(
        contact_id=contact_id,
        customer_id=customer_id,
        first_name=request.first_name,
        last_name=request.last_name,
        email=request.email,
        phone=request.phone,
        is_primary=request.is_primary,
        language=request.language,
        version=1,
        created_at=created_at,
    )


def changed_contact(before: domain.Contact, request: UpdateContactRequest) -> domain.Contact:
    """`before` with what staff may change (not its email), as its next version."""
    return replace(
        before,
        first_name=request.first_name,
        last_name=request.last_name,
        phone=request.phone,
        is_primary=request.is_primary,
        language=request.language,
        version=before.version + 1,
    )


def business(schema: BusinessProfile) -> domain.Business:
    return domain.Business(
        name=schema.name,
        email=schema.email,
        phone=schema.phone,
        website=schema.website,
        address=address(schema.address),
    )


# ---- domain → views --------------------------------------------------------------------------------


def address_view(value: domain.Address | None) -> Address | None:
    return Address.model_validate(asdict(value)) if value is not None else None


def customer_view(customer: domain.Customer) -> CustomerView:
    return CustomerView(
        customer_id=customer.customer_id,
        display_name=customer.display_name,
        company_name=customer.company_name,
        email=customer.email,
        phone=customer.phone,
        currency=customer.currency,
        billing_address=address_view(customer.billing_address),
        shipping_address=address_view(customer.shipping_address),
    )


def contact_view(contact: domain.Contact, *, portal_status: bool = True) -> ContactView:
    """`portal_status=False`: the view without it (null), as for a contact who is not the primary."""
    return ContactView(
        contact_id=contact.contact_id,
        customer_id=contact.customer_id,
        first_name=contact.first_name,
        last_name=contact.last_name,
        email=contact.email,
        phone=contact.phone,
        is_primary=contact.is_primary,
        language=contact.language,
        portal_status=contact.portal_status if portal_status else None,
    )


def business_profile(settings: TenantSettings) -> BusinessProfile | None:
    """The tenant's business profile (stored as JSON in the settings record), if it set one."""
    return BusinessProfile.model_validate_json(settings.business_json) if settings.business_json else None


def customer_facts(kind: type[CustomerFactsT], customer: domain.Customer) -> CustomerFactsT:
    """The customer as its events (and the lookup function) tell it: a snapshot at its version."""
    return kind(
        customer_id=customer.customer_id,
        display_name=customer.display_name,
        company_name=customer.company_name,
        email=customer.email,
        currency=customer.currency,
        customer_version=customer.version,
    )


def contact_facts(kind: type[ContactFactsT], contact: domain.Contact) -> ContactFactsT:
    """The contact as its events (and the lookup function) tell it: a snapshot at its version."""
    return kind(
        customer_id=contact.customer_id,
        contact_id=contact.contact_id,
        first_name=contact.first_name,
        last_name=contact.last_name,
        email=contact.email,
        is_primary=contact.is_primary,
        language=contact.language,
        contact_version=contact.version,
    )
