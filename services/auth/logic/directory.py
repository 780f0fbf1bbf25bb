"""Auth's projection of the customers service's facts (whom an invitation is for, which contact an
email or an SSO user is, the customer's name in emails, the branding of security emails): applied
from portal.customers events by the directory consumer. Each write is guarded by the event's
aggregate version, so a redelivered or older event changes nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shared.event_models import (
    BusinessProfileChanged,
    ContactFacts,
    ContactRemoved,
    CustomerFacts,
    PortalPreferencesChanged,
)
from shared.events import EventData
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.auth import directory_store as store
    from services.auth.directory_store import DirectoryContact
else:
    store = lazy_module("services.auth.directory_store")


def apply_customer_event(data: EventData) -> bool:
    """True when the projection changed; False for a stale or repeated event."""
    if isinstance(data, CustomerFacts):
        return store.project_customer(data.customer_id, data.display_name, data.customer_version)
    if isinstance(data, ContactFacts):
        contact = store.DirectoryContact(
            customer_id=data.customer_id,
            contact_id=data.contact_id,
            first_name=data.first_name,
            last_name=data.last_name,
            email=data.email.lower(),
            is_primary=data.is_primary,
        )
        return store.project_contact(contact, data.contact_version, removed=isinstance(data, ContactRemoved))
    if isinstance(data, PortalPreferencesChanged):
        return store.copy_preferences(data.preferences, data.settings_version)
    if isinstance(data, BusinessProfileChanged):
        return store.copy_business(data.business.model_dump_json(), data.settings_version)
    raise TypeError(f"the auth directory cannot use {data.detail_type}")


def send_email(to: str, template: str, context: dict[str, Any], **options: Any) -> str:
    """shared.mail.send_email in the branding of auth's copy of the business profile."""
    from shared.mail import branding
    from shared.mail import send_email as send
    from shared.preferences import load_settings

    return send(to, template, context, brand=branding(load_settings(store.tenant_settings)), **options)


def known_contact(customer_id: str, contact_id: str) -> DirectoryContact | None:
    """The contact from auth's projection, or — when its ContactAdded has not arrived yet (staff
    add a contact and invite them at once) — from the customers service (function-to-function),
    kept in the projection with its version."""
    contact = store.contact(customer_id, contact_id)
    if contact is not None:
        return contact
    from shared.customer_lookup import ask

    answer = ask(customer_id, contact_id)
    if answer.customer is not None:
        apply_customer_event(answer.customer)
    if answer.contact is None:
        return None
    apply_customer_event(answer.contact)
    return store.contact(customer_id, contact_id)
