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
    UpdateContactRequest,
    UpdateCustomerRequest,
)
from shared.business import BusinessFacts
from shared.errors import NotFound
from shared.event_models import (
    BusinessProfileChanged,
    ContactAdded,
    ContactChanged,
    ContactFacts,
    ContactRemoved,
    CustomerChanged,
    CustomerCreated,
    PortalPreferencesChanged,
)
from shared.events import OutboxEvent, outbox_event
from shared.ids import new_id, utc_now_iso, utc_today
from shared.lazy import lazy_module
from shared.preferences import PortalPreferences, forget_cached_preferences, load_settings
from shared.principal import Principal

if TYPE_CHECKING:
    from services.customers import store
else:  # pynamodb (and with it most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.customers.store")


def create_customer(request: CreateCustomerRequest, correlation_id: str | None = None) -> CustomerView:
    customer = CustomerView(customer_id=new_id(), **request.model_dump())
    created = _customer_facts(CustomerCreated, customer, 1)
    store.insert_customer(customer, utc_now_iso(), outbox_event(created, correlation_id))
    return customer


def update_customer(
    customer_id: str, request: UpdateCustomerRequest, correlation_id: str | None = None
) -> CustomerView:
    found = store.customer(customer_id)
    if found is None:
        raise NotFound("No customer with this id.")
    before, version = found
    customer = before.model_copy(update=request.model_dump())
    store.update_customer(
        customer,
        version + 1,
        outbox_event(_customer_facts(CustomerChanged, customer, version + 1), correlation_id),
    )
    return customer


def _customer_facts(
    kind: type[CustomerCreated] | type[CustomerChanged], customer: CustomerView, version: int
) -> CustomerCreated | CustomerChanged:
    return kind(
        customer_id=customer.customer_id,
        display_name=customer.display_name,
        company_name=customer.company_name,
        email=customer.email,
        currency=customer.currency,
        customer_version=version,
    )


def add_contact(
    customer_id: str, request: CreateContactRequest, correlation_id: str | None = None
) -> ContactView:
    contact = ContactView(contact_id=new_id(), customer_id=customer_id, **request.model_dump())
    insert_contact(contact, utc_now_iso(), correlation_id)
    return contact


def _contact_event(
    kind: type[ContactFacts], contact: ContactView, version: int, correlation_id: str | None
) -> OutboxEvent:
    return outbox_event(
        kind(
            customer_id=contact.customer_id,
            contact_id=contact.contact_id,
            first_name=contact.first_name,
            last_name=contact.last_name,
            email=contact.email,
            is_primary=contact.is_primary,
            language=contact.language,
            contact_version=version,
        ),
        correlation_id,
    )


def insert_contact(contact: ContactView, created_at: str, correlation_id: str | None = None) -> None:
    """The contact and its ContactAdded event (Conflict when the email is taken or no customer)."""
    store.insert_contact(contact, created_at, _contact_event(ContactAdded, contact, 1, correlation_id))


def _existing_contact(customer_id: str, contact_id: str) -> tuple[ContactView, int]:
    found = store.contact(customer_id, contact_id)
    if found is None:
        raise NotFound("No such contact.")
    return found


def update_contact(
    customer_id: str, contact_id: str, request: UpdateContactRequest, correlation_id: str | None = None
) -> ContactView:
    before, version = _existing_contact(customer_id, contact_id)
    contact = before.model_copy(update=request.model_dump())
    store.update_contact(
        contact, version + 1, _contact_event(ContactChanged, contact, version + 1, correlation_id)
    )
    return contact


def remove_contact(customer_id: str, contact_id: str, correlation_id: str | None = None) -> None:
    """Gone from the customer; every service's projection keeps a tombstone (ContactRemoved)."""
    contact, version = _existing_contact(customer_id, contact_id)
    store.remove_contact(
        contact, version + 1, _contact_event(ContactRemoved, contact, version + 1, correlation_id)
    )


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
    settings = load_settings(store.tenant_settings)  # preferences and business profile: one (cached) read
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


def preferences() -> PortalPreferences:
    return load_settings(store.tenant_settings).preferences


def set_preferences(preferences: PortalPreferences, correlation_id: str | None = None) -> PortalPreferences:
    """Saved with its PortalPreferencesChanged event: every service updates its own copy from it."""
    version = store.settings_version() + 1
    changed = PortalPreferencesChanged(preferences=preferences, settings_version=version)
    store.write_preferences(preferences, version, outbox_event(changed, correlation_id))
    forget_cached_preferences()
    return preferences


def set_business(business: BusinessProfile, correlation_id: str | None = None) -> BusinessProfile:
    version = store.settings_version() + 1
    changed = BusinessProfileChanged(
        business=BusinessFacts.model_validate(business.model_dump()), settings_version=version
    )
    store.write_business(business, version, outbox_event(changed, correlation_id))
    forget_cached_preferences()
    return business
