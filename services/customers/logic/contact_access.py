"""Contacts' portal status on the dashboard, from the auth service's events: invited when an
invitation is sent, active once accepted, disabled while the customer's portal access is off."""

from __future__ import annotations

from services.customers import store
from shared.event_models import AuthEvent, InvitationAccepted, InvitationSent, PortalAccessChanged
from shared.events import EventMetadata


def status_after(event: AuthEvent) -> str | None:
    if isinstance(event, InvitationSent):
        return "invited"
    if isinstance(event, InvitationAccepted):
        return "active"
    if isinstance(event, PortalAccessChanged):
        return "active" if event.enabled else "disabled"
    return None


def apply_auth_event(event: AuthEvent, metadata: EventMetadata) -> bool:
    status = status_after(event)
    if status is None or not event.customer_id or not event.contact_id:
        return False
    return store.project_portal_status(event.customer_id, event.contact_id, status, metadata.occurred_at)
