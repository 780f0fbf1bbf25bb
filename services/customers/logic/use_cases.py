"""Customers use cases: staff set up customers, contacts and the portal; a contact reads the
dashboard of their own customer (identity from the token, never from the request)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

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


def create_customer(request: CreateCustomerRequest) -> CustomerView:
    customer = CustomerView(customer_id=new_id(), **request.model_dump())
    store.insert_customer(customer, utc_now_iso())
    return customer


def add_contact(customer_id: str, request: CreateContactRequest) -> ContactView:
    contact = ContactView(contact_id=new_id(), customer_id=customer_id, **request.model_dump())
    store.insert_contact(contact, utc_now_iso())
    return contact


def customer_detail(customer_id: str) -> CustomerDetail:
    items = store.customer_partition(customer_id)
    profile = next((item for item in items if store.is_profile(item)), None)
    if profile is None:
        raise NotFound("No customer with this id.")
    contacts = [store.contact_view(item) for item in items if store.is_contact(item)]
    return CustomerDetail(customer=store.customer_view(profile), contacts=contacts)


def dashboard(caller: Principal, today: date | None = None) -> Dashboard:
    customer_id = caller.require_customer()
    items = store.customer_partition(customer_id)
    settings = load_settings()  # preferences and business profile: one (cached) read
    profile = next((item for item in items if store.is_profile(item)), None)
    if profile is None:
        # A token for a customer that no longer exists: nothing to show, as for any unknown id.
        raise NotFound("Your customer account was not found.")
    contacts = [store.contact_view(item) for item in items if store.is_contact(item)]
    if not any(c.contact_id == caller.contact_id and c.is_primary for c in contacts):
        # Who has portal access is for the primary contact to see.
        contacts = [c.model_copy(update={"portal_status": None}) for c in contacts]
    return Dashboard(
        customer=store.customer_view(profile),
        contacts=sorted(
            contacts, key=lambda contact: (not contact.is_primary, contact.last_name, contact.first_name)
        ),
        receivables=summarize(
            [store.open_receivable(item) for item in items if store.is_open_receivable(item)],
            today or utc_today(),
        ),
        business=store.business_profile(settings),
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
