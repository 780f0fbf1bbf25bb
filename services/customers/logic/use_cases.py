"""Customers use cases: staff set up customers, contacts and the portal; a contact reads the
dashboard of their own customer (identity from the token, never from the request)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from services.customers.logic.domain import Address, Contact, Customer
from services.customers.logic.receivables import summarize
from services.customers.schemas import (
    BusinessProfile,
    ContactView,
    CreateContactRequest,
    CreateCustomerRequest,
    CustomerDetail,
    CustomerView,
    Dashboard,
)
from shared.errors import NotFound
from shared.ids import new_id, utc_now_iso, utc_today
from shared.lazy import lazy_module
from shared.preferences import PortalPreferences, forget_cached_preferences, load_settings
from shared.principal import Principal

if TYPE_CHECKING:
    from services.customers import store
else:  # pynamodb (and with it most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.customers.store")


def customer_view(customer: Customer) -> CustomerView:
    return CustomerView.model_validate(customer, from_attributes=True)


def contact_view(contact: Contact) -> ContactView:
    return ContactView.model_validate(contact, from_attributes=True)


def create_customer(request: CreateCustomerRequest) -> CustomerView:
    fields = request.model_dump(exclude={"billing_address"})
    address = Address(**request.billing_address.model_dump()) if request.billing_address else None
    customer = Customer(customer_id=new_id(), billing_address=address, created_at=utc_now_iso(), **fields)
    store.insert_customer(customer)
    return customer_view(customer)


def add_contact(customer_id: str, request: CreateContactRequest) -> ContactView:
    contact = Contact(
        contact_id=new_id(), customer_id=customer_id, created_at=utc_now_iso(), **request.model_dump()
    )
    store.insert_contact(contact)
    return contact_view(contact)


def customer_detail(customer_id: str) -> CustomerDetail:
    account = store.account(customer_id)
    if account is None:
        raise NotFound("No customer with this id.")
    contacts = [contact_view(contact) for contact in account.contacts]
    return CustomerDetail(customer=customer_view(account.customer), contacts=contacts)


def dashboard(caller: Principal, today: date | None = None) -> Dashboard:
    customer_id = caller.require_customer()
    account = store.account(customer_id)
    settings = load_settings()  # preferences and business profile: one (cached) read
    if account is None:
        # A token for a customer that no longer exists: nothing to show, as for any unknown id.
        raise NotFound("Your customer account was not found.")
    contacts = [contact_view(contact) for contact in account.contacts]
    if not any(c.contact_id == caller.contact_id and c.is_primary for c in contacts):
        # Who has portal access is for the primary contact to see.
        contacts = [c.model_copy(update={"portal_status": None}) for c in contacts]
    business = settings.business_json
    return Dashboard(
        customer=customer_view(account.customer),
        contacts=sorted(
            contacts, key=lambda contact: (not contact.is_primary, contact.last_name, contact.first_name)
        ),
        receivables=summarize(account.open_receivables, today or utc_today()),
        business=BusinessProfile.model_validate_json(business) if business else None,
        portal=settings.preferences,
    )


def set_preferences(preferences: PortalPreferences) -> PortalPreferences:
    store.write_preferences(preferences)
    forget_cached_preferences()
    return preferences


def set_business(business: BusinessProfile) -> BusinessProfile:
    store.write_business(business)
    forget_cached_preferences()
    return business
