"""Customers use cases: staff set up customers, contacts and the portal; a contact reads the
dashboard of their own customer (identity from the token, never from the request)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from services.customers.logic import views
from services.customers.logic.domain import Contact
from services.customers.logic.receivables import available_credit, open_invoices, summarize
from services.customers.schemas import (
    BusinessProfile,
    ContactView,
    CreateContactRequest,
    CreateCustomerRequest,
    CustomerDetail,
    CustomerPage,
    CustomerView,
    Dashboard,
    SearchCustomersQuery,
    UpdateContactRequest,
    UpdateCustomerRequest,
)
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
    customer = views.new_customer(new_id(), request, utc_now_iso())
    created = views.customer_facts(CustomerCreated, customer)
    store.insert_customer(customer, outbox_event(created, correlation_id))
    return views.customer_view(customer)


def update_customer(
    customer_id: str, request: UpdateCustomerRequest, correlation_id: str | None = None
) -> CustomerView:
    before = store.customer(customer_id)
    if before is None:
        raise NotFound("No customer with this id.")
    customer = views.changed_customer(before, request)
    store.update_customer(
        customer, outbox_event(views.customer_facts(CustomerChanged, customer), correlation_id)
    )
    return views.customer_view(customer)


def add_contact(
    customer_id: str, request: CreateContactRequest, correlation_id: str | None = None
) -> ContactView:
    contact = views.new_contact(new_id(), customer_id, request, utc_now_iso())
    insert_contact(contact, correlation_id)
    return views.contact_view(contact, portal_status=False)


def _contact_event(kind: type[ContactFacts], contact: Contact, correlation_id: str | None) -> OutboxEvent:
    return outbox_event(views.contact_facts(kind, contact), correlation_id)


def insert_contact(contact: Contact, correlation_id: str | None = None) -> None:
    """The contact (version 1) and its ContactAdded event (Conflict when the email is taken or no
    customer)."""
    store.insert_contact(contact, _contact_event(ContactAdded, contact, correlation_id))


def _existing_contact(customer_id: str, contact_id: str) -> Contact:
    found = store.contact(customer_id, contact_id)
    if found is None:
        raise NotFound("No such contact.")
    return found


def update_contact(
    customer_id: str, contact_id: str, request: UpdateContactRequest, correlation_id: str | None = None
) -> ContactView:
    contact = views.changed_contact(_existing_contact(customer_id, contact_id), request)
    store.update_contact(contact, _contact_event(ContactChanged, contact, correlation_id))
    return views.contact_view(contact)


def remove_contact(customer_id: str, contact_id: str, correlation_id: str | None = None) -> None:
    """Gone from the customer; every service's projection keeps a tombstone (ContactRemoved)."""
    before = _existing_contact(customer_id, contact_id)
    contact = replace(before, version=before.version + 1)
    store.remove_contact(contact, _contact_event(ContactRemoved, contact, correlation_id))


def customer_detail(customer_id: str) -> CustomerDetail:
    account = store.account(customer_id)
    if account is None:
        raise NotFound("No customer with this id.")
    return CustomerDetail(
        customer=views.customer_view(account.customer),
        contacts=[views.contact_view(contact) for contact in account.contacts],
        receivables=summarize(account.open_receivables, utc_today()),
        available_credit=available_credit(account),
    )


def search_customers(query: SearchCustomersQuery) -> CustomerPage:
    from services.customers import search_store

    customers, next_cursor = search_store.search(query.q, query.status, query.limit, query.cursor)
    return CustomerPage(items=[views.customer_view(c) for c in customers], next_cursor=next_cursor)


def dashboard(caller: Principal, today: date | None = None) -> Dashboard:
    customer_id = caller.require_customer()
    today = today or utc_today()
    account = store.account(customer_id)
    settings = load_settings(store.tenant_settings)  # preferences and business profile: one (cached) read
    if account is None:
        # A token for a customer that no longer exists: nothing to show, as for any unknown id.
        raise NotFound("Your customer account was not found.")
    # Who has portal access is for the primary contact to see.
    primary = any(c.contact_id == caller.contact_id and c.is_primary for c in account.contacts)
    contacts = sorted(
        account.contacts, key=lambda contact: (not contact.is_primary, contact.last_name, contact.first_name)
    )
    return Dashboard(
        customer=views.customer_view(account.customer),
        contacts=[views.contact_view(contact, portal_status=primary) for contact in contacts],
        receivables=summarize(account.open_receivables, today),
        open_invoices=open_invoices(account, today),
        available_credit=available_credit(account),
        business=views.business_profile(settings),
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
    from services.customers.logic.branding import business_facts  # the branding travels with it

    changed = BusinessProfileChanged(business=business_facts(business), settings_version=version)
    store.write_business(views.business(business), version, outbox_event(changed, correlation_id))
    forget_cached_preferences()
    return business
