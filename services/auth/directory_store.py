"""Auth's copy of the customers service's facts, kept by the directory consumer from portal.customers
events (AuthTable, version-guarded: a redelivered or older event changes nothing):

  CUSTOMER#<cid>  PROFILE         the customer's display name
  CUSTOMER#<cid>  CONTACT#<ctid>  a contact (names, email, primary; `removed` = tombstone)
  EMAIL#<email>   CONTACT         which contact an email belongs to
  TENANT          SETTINGS        portal preferences and business profile (emails' branding)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DeleteError, TransactWriteError

from services.auth.settings import Tables
from shared import projections
from shared.dynamo import KeyedRecord, cancelled, condition_failed, table_meta, transaction
from shared.projections import save_if_newer
from shared.settings import load

TABLE_NAME = load(Tables).auth_table


@dataclass(frozen=True)
class DirectoryContact:
    """A contact as this service's projection knows it."""

    customer_id: str
    contact_id: str
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    is_primary: bool = False


class DirectoryItem(KeyedRecord):
    """The projection's items (same table): profile names, contacts and email claims."""

    Meta = table_meta(TABLE_NAME)

    customer_id = UnicodeAttribute(null=True)
    contact_id = UnicodeAttribute(null=True)
    display_name = UnicodeAttribute(null=True)
    first_name = UnicodeAttribute(null=True)
    last_name = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    is_primary = BooleanAttribute(null=True)
    removed = BooleanAttribute(null=True)
    version = NumberAttribute(null=True)


SETTINGS_COPY = projections.SettingsCopy(TABLE_NAME)
SettingsItem = SETTINGS_COPY.model


def _directory_get(pk: str, sk: str) -> DirectoryItem | None:
    try:
        return DirectoryItem.get(pk, sk)
    except DirectoryItem.DoesNotExist:
        return None


def _contact(item: DirectoryItem) -> DirectoryContact:
    return DirectoryContact(
        customer_id=item.customer_id or "",
        contact_id=item.contact_id or "",
        first_name=item.first_name or "",
        last_name=item.last_name or "",
        email=item.email or "",
        is_primary=bool(item.is_primary),
    )


def contact(customer_id: str, contact_id: str) -> DirectoryContact | None:
    item = _directory_get(f"CUSTOMER#{customer_id}", f"CONTACT#{contact_id}")
    return _contact(item) if item and not item.removed else None


def contact_claim(email: str) -> DirectoryContact | None:
    """Which contact an email belongs to (one contact per email, as the customers service ensures)."""
    item = _directory_get(f"EMAIL#{email}", "CONTACT")
    return (
        DirectoryContact(customer_id=item.customer_id or "", contact_id=item.contact_id or "")
        if item
        else None
    )


def customer_name(customer_id: str) -> str | None:
    item = _directory_get(f"CUSTOMER#{customer_id}", "PROFILE")
    return item.display_name if item else None


def contacts_of(customer_id: str) -> Iterator[DirectoryContact]:
    for item in DirectoryItem.query(f"CUSTOMER#{customer_id}", DirectoryItem.sk.startswith("CONTACT#")):
        if not item.removed:
            yield _contact(item)


def project_customer(customer_id: str, display_name: str, version: int) -> bool:
    item = DirectoryItem(
        pk=f"CUSTOMER#{customer_id}",
        sk="PROFILE",
        customer_id=customer_id,
        display_name=display_name,
        version=version,
    )
    return save_if_newer(item, "version")


def project_contact(contact: DirectoryContact, version: int, removed: bool) -> bool:
    """The contact at `version` and its email claim, unless this version (or a later one) was
    applied. A changed or removed contact's old claim goes (if it is still this contact's)."""
    pk, sk = f"CUSTOMER#{contact.customer_id}", f"CONTACT#{contact.contact_id}"
    before = _directory_get(pk, sk)
    if before is not None and (before.version or 0) >= version:
        return False
    item = DirectoryItem(
        pk=pk,
        sk=sk,
        customer_id=contact.customer_id,
        contact_id=contact.contact_id,
        first_name=contact.first_name,
        last_name=contact.last_name,
        email=contact.email,
        is_primary=contact.is_primary,
        removed=removed,
        version=version,
    )
    claim = DirectoryItem(
        pk=f"EMAIL#{contact.email.lower()}",
        sk="CONTACT",
        customer_id=contact.customer_id,
        contact_id=contact.contact_id,
    )
    try:
        with transaction() as tx:
            tx.save(
                item, condition=DirectoryItem.version.does_not_exist() | (DirectoryItem.version < version)
            )
            if removed:
                tx.delete(claim, condition=DirectoryItem.contact_id == contact.contact_id)
            else:
                tx.save(claim)
    except TransactWriteError as error:
        if cancelled(error) and removed:
            # The claim is no longer this contact's: the tombstone alone.
            return save_if_newer(item, "version")
        if cancelled(error):
            return False
        raise
    old_email = before.email.lower() if before and before.email else None
    if old_email and old_email != contact.email.lower() and not removed:
        _release_claim(old_email, contact.contact_id)
    return True


def _release_claim(email: str, contact_id: str) -> None:
    try:
        DirectoryItem(pk=f"EMAIL#{email}", sk="CONTACT").delete(
            condition=DirectoryItem.contact_id == contact_id
        )
    except DeleteError as error:
        if not condition_failed(error):
            raise


# This service's copy of the portal settings (the source of shared.preferences here).
tenant_settings = SETTINGS_COPY.read
copy_preferences = SETTINGS_COPY.copy_preferences
copy_business = SETTINGS_COPY.copy_business
