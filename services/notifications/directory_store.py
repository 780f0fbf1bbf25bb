"""Notifications' copy of the customers service's facts (NotificationsTable), kept by the directory
consumer from portal.customers events; version-guarded, so a redelivered or older event changes
nothing:

  CUSTOMER#<cid>  A#PROFILE         the customer's display name
  CUSTOMER#<cid>  B#CONTACT#<ctid>  a contact: name, email, language (`removed` = tombstone)
  TENANT          SETTINGS          portal preferences and business profile (emails' branding)

A customer's name and contacts are one Query of its partition (`sk < "C"`).
"""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute

from services.notifications.logic.records import Contact, CustomerFacts
from services.notifications.settings import Settings
from shared import projections
from shared.dynamo import KeyedRecord, table_meta
from shared.settings import load

TABLE_NAME = load(Settings).notifications_table
PROFILE_SK = "A#PROFILE"
CONTACT_PREFIX = "B#CONTACT#"


class DirectoryItem(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    display_name = UnicodeAttribute(null=True)
    contact_id = UnicodeAttribute(null=True)
    first_name = UnicodeAttribute(null=True)
    last_name = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    language = UnicodeAttribute(null=True)
    is_primary = BooleanAttribute(null=True)
    removed = BooleanAttribute(null=True)
    version = NumberAttribute(null=True)


SETTINGS_COPY = projections.SettingsCopy(TABLE_NAME)
SettingsItem = SETTINGS_COPY.model


def customer_facts(customer_id: str) -> CustomerFacts | None:
    """The customer's name and contacts: one Query of its partition (profile `A#…`, contacts `B#…`)."""
    items = list(DirectoryItem.query(f"CUSTOMER#{customer_id}", DirectoryItem.sk < "C", consistent_read=True))
    profile = next((i for i in items if i.sk == PROFILE_SK), None)
    if profile is None:
        return None
    contacts = tuple(
        Contact(
            contact_id=item.contact_id or "",
            name=f"{item.first_name or ''} {item.last_name or ''}".strip() or (item.email or ""),
            email=item.email or "",
            language=item.language,
            is_primary=bool(item.is_primary),
        )
        for item in items
        if item.sk.startswith(CONTACT_PREFIX) and item.email and not item.removed
    )
    return CustomerFacts(customer_id=customer_id, name=profile.display_name or "", contacts=contacts)


def project_customer(customer_id: str, display_name: str, version: int) -> bool:
    item = DirectoryItem(
        pk=f"CUSTOMER#{customer_id}", sk=PROFILE_SK, display_name=display_name, version=version
    )
    return projections.save_if_newer(item, "version")


def project_contact(
    customer_id: str,
    contact_id: str,
    names: tuple[str, str],
    email: str,
    language: str | None,
    version: int,
    removed: bool,
    is_primary: bool = False,
) -> bool:
    item = DirectoryItem(
        pk=f"CUSTOMER#{customer_id}",
        sk=f"{CONTACT_PREFIX}{contact_id}",
        contact_id=contact_id,
        first_name=names[0],
        last_name=names[1],
        email=email,
        language=language,
        is_primary=is_primary,
        removed=removed,
        version=version,
    )
    return projections.save_if_newer(item, "version")


# This service's copy of the portal settings (the source of shared.preferences here).
tenant_settings = SETTINGS_COPY.read
copy_preferences = SETTINGS_COPY.copy_preferences
copy_business = SETTINGS_COPY.copy_business
