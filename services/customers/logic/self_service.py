"""Customer self-service: a contact edits their own name, phone and language; the customer's primary
contact edits its addresses and adds or removes contact persons. Identity only from the token; each
change is allowed by the tenant's actions (`update_details`, `manage_contact_persons`) and published
with its snapshot event plus `CustomerDetailsChangedByContact` (staff are told; the auth service
invites a contact person the customer added) in the change's own transaction."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from services.customers.logic import views
from services.customers.logic.domain import Account, Contact
from services.customers.schemas import (
    AddContactPersonRequest,
    ContactView,
    CustomerView,
    Profile,
    ProfilePermissions,
    UpdateAddressesRequest,
    UpdateProfileRequest,
)
from shared.errors import Conflict, Forbidden, NotFound, TooManyAttempts
from shared.event_models import (
    ContactAdded,
    ContactChanged,
    ContactRemoved,
    CustomerChanged,
    CustomerDetailsChangedByContact,
)
from shared.events import OutboxEvent, outbox_event
from shared.ids import new_id, utc_now_iso
from shared.lazy import lazy_module
from shared.preferences import load_preferences, require_action
from shared.principal import Principal

if TYPE_CHECKING:
    from services.customers import rate_store, store
else:  # pynamodb (and with it most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.customers.store")
    rate_store = lazy_module("services.customers.rate_store")

Change = Literal["own_details", "addresses", "contact_added", "contact_removed"]
NOT_PRIMARY = "Only your company's primary contact can change this."
# Each contact person added is emailed an invitation in the tenant's name: a customer adds at most this
# many per hour (counted before the add, so add-and-remove in a loop stays limited too).
CONTACT_ADDS_PER_HOUR = 10


def _name(contact: Contact) -> str:
    return f"{contact.first_name} {contact.last_name}"


def _account_and_caller(caller: Principal) -> tuple[Account, Contact]:
    customer_id = caller.require_customer()
    account = store.account(customer_id)
    me = next((c for c in account.contacts if c.contact_id == caller.contact_id), None) if account else None
    if account is None or me is None:
        raise NotFound("Your contact was not found.")
    return account, me


def _primary(caller: Principal) -> tuple[Account, Contact]:
    account, me = _account_and_caller(caller)
    if not me.is_primary:
        raise Forbidden(NOT_PRIMARY)
    return account, me


def _told(
    account: Account,
    by: Contact,
    change: Change,
    correlation_id: str | None,
    subject: Contact | None = None,
) -> OutboxEvent:
    told = CustomerDetailsChangedByContact(
        customer_id=account.customer.customer_id,
        customer_name=account.customer.display_name,
        by_contact_id=by.contact_id,
        by_name=_name(by),
        change=change,
        subject_contact_id=subject.contact_id if subject else None,
        subject_name=_name(subject) if subject else None,
        subject_email=subject.email if subject else None,
    )
    return outbox_event(told, correlation_id)


def profile(caller: Principal) -> Profile:
    account, me = _account_and_caller(caller)
    preferences = load_preferences(store.tenant_settings)
    others = sorted(account.contacts, key=lambda c: (not c.is_primary, c.last_name, c.first_name))
    return Profile(
        contact=views.contact_view(me, portal_status=False),
        customer=views.customer_view(account.customer),
        permissions=ProfilePermissions(
            update_details=preferences.action_allowed("update_details"),
            manage_contact_persons=preferences.action_allowed("manage_contact_persons"),
            is_primary=me.is_primary,
        ),
        contacts=[views.contact_view(c) for c in others] if me.is_primary else [],
    )


def update_own_details(
    caller: Principal, request: UpdateProfileRequest, correlation_id: str | None = None
) -> ContactView:
    require_action("update_details", store.tenant_settings)
    account, me = _account_and_caller(caller)
    changed = replace(
        me,
        first_name=request.first_name,
        last_name=request.last_name,
        phone=request.phone,
        language=request.language,
        version=me.version + 1,
    )
    event = outbox_event(views.contact_facts(ContactChanged, changed), correlation_id)
    store.update_contact(changed, event, _told(account, changed, "own_details", correlation_id))
    return views.contact_view(changed, portal_status=False)


def update_addresses(
    caller: Principal, request: UpdateAddressesRequest, correlation_id: str | None = None
) -> CustomerView:
    require_action("update_details", store.tenant_settings)
    account, me = _primary(caller)
    customer = replace(
        account.customer,
        billing_address=views.address(request.billing_address),
        shipping_address=views.address(request.shipping_address),
        version=account.customer.version + 1,
    )
    event = outbox_event(views.customer_facts(CustomerChanged, customer), correlation_id)
    store.update_customer(customer, event, _told(account, me, "addresses", correlation_id))
    return views.customer_view(customer)


def add_contact_person(
    caller: Principal, request: AddContactPersonRequest, correlation_id: str | None = None
) -> ContactView:
    """The new contact person (never primary); the auth service invites them from the event."""
    require_action("manage_contact_persons", store.tenant_settings)
    account, me = _primary(caller)
    wait = rate_store.take_contact_add(account.customer.customer_id, CONTACT_ADDS_PER_HOUR)
    if wait:
        raise TooManyAttempts(
            f"Your company has added {CONTACT_ADDS_PER_HOUR} contact persons in the last hour; "
            f"try again in {max(1, wait // 60)} minute(s).",
            wait,
        )
    contact = Contact(
        contact_id=new_id(),
        customer_id=account.customer.customer_id,
        first_name=request.first_name,
        last_name=request.last_name,
        email=request.email,
        phone=request.phone,
        is_primary=False,
        language=request.language,
        created_at=utc_now_iso(),
    )
    added = outbox_event(views.contact_facts(ContactAdded, contact), correlation_id)
    store.insert_contact(contact, added, _told(account, me, "contact_added", correlation_id, contact))
    return views.contact_view(contact)


def remove_contact_person(caller: Principal, contact_id: str, correlation_id: str | None = None) -> None:
    require_action("manage_contact_persons", store.tenant_settings)
    account, me = _primary(caller)
    found = next((c for c in account.contacts if c.contact_id == contact_id), None)
    if found is None:
        raise NotFound("No such contact.")  # another customer's contact too
    if found.is_primary:
        raise Conflict("The primary contact cannot be removed here: ask the business.")
    gone = replace(found, version=found.version + 1)
    removed = outbox_event(views.contact_facts(ContactRemoved, gone), correlation_id)
    store.remove_contact(gone, removed, _told(account, me, "contact_removed", correlation_id, found))


def apply_sign_in_email_changed(
    customer_id: str, contact_id: str, new_email: str, correlation_id: str | None = None
) -> bool:
    """Our copy of a contact's email after the auth service switched their sign-in (idempotent: a
    redelivery, or a contact already at that address, changes nothing)."""
    contact = store.contact(customer_id, contact_id)
    if contact is None or contact.email.lower() == new_email.lower():
        return False
    changed = replace(contact, email=new_email.lower(), version=contact.version + 1)
    event = outbox_event(views.contact_facts(ContactChanged, changed), correlation_id)
    store.change_contact_email(changed, contact.email, event)
    return True
