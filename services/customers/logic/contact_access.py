"""Contacts' portal status on the dashboard, from the auth service's events: invited when an
invitation is sent, active once accepted, disabled while the customer's portal access is off; and
contacts who signed up with the customer's sign-up link."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.customers.logic.domain import Contact, PortalStatus
from services.customers.logic.use_cases import insert_contact
from shared.errors import Conflict
from shared.event_models import (
    AuthEvent,
    ContactSignedUp,
    InvitationAccepted,
    InvitationSent,
    PortalAccessChanged,
    SignInEmailChanged,
)
from shared.events import EventMetadata
from shared.lazy import lazy_module

if TYPE_CHECKING:
    from services.customers import projections_store as store
else:  # pynamodb (most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.customers.projections_store")


def status_after(event: AuthEvent) -> PortalStatus | None:
    if isinstance(event, InvitationSent):
        return "invited"
    if isinstance(event, InvitationAccepted):
        return "active"
    if isinstance(event, PortalAccessChanged):
        return "active" if event.enabled else "disabled"
    return None


def add_signed_up_contact(event: ContactSignedUp, created_at: str, correlation_id: str | None = None) -> bool:
    """Idempotent: a redelivered event, or an email another contact took meanwhile, adds nothing."""
    assert event.customer_id and event.contact_id
    contact = Contact(
        contact_id=event.contact_id,
        customer_id=event.customer_id,
        first_name=event.first_name,
        last_name=event.last_name,
        email=event.email,
        phone=None,
        is_primary=False,
        created_at=created_at,
    )
    try:
        insert_contact(contact, correlation_id)
    except Conflict:
        return False
    # The event is sent when the person used their sign-up link: their login is active already (the
    # InvitationAccepted sent with it may have come first and found no contact to update).
    store.project_portal_status(event.customer_id, event.contact_id, "active", created_at)
    return True


def apply_auth_event(event: AuthEvent, metadata: EventMetadata) -> bool:
    if isinstance(event, ContactSignedUp):
        return add_signed_up_contact(event, metadata.occurred_at, metadata.correlation_id)
    if isinstance(event, SignInEmailChanged) and event.customer_id and event.contact_id:
        from services.customers.logic.self_service import apply_sign_in_email_changed

        return apply_sign_in_email_changed(
            event.customer_id, event.contact_id, event.email, metadata.correlation_id
        )
    status = status_after(event)
    if status is None or not event.customer_id or not event.contact_id:
        return False
    return store.project_portal_status(event.customer_id, event.contact_id, status, metadata.occurred_at)
