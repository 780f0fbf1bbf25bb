"""What every service's copy of another service's facts needs (pynamodb, used by stores only):
version-guarded writes, so a redelivered or older event changes nothing, and the tenant settings
copy (portal preferences + business profile) each service keeps in its own table, and the copy of
the customers (who exists, whom a document is addressed to) the document services keep.

  TENANT          SETTINGS  preferences (JSON) + preferences_version, business (JSON) + business_version
  CUSTOMER#<cid>  CUSTOMER  customer_id, currency, display_name, company_name, email + version
"""

from __future__ import annotations

from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, UpdateError
from pynamodb.models import Model

from shared.business import Party
from shared.dynamo import KeyedRecord, condition_failed, table_meta
from shared.event_models import CustomerFacts
from shared.preferences import PortalPreferences, TenantSettings

SETTINGS_PK = "TENANT"
SETTINGS_SK = "SETTINGS"


def save_if_newer(item: Model, version_attribute: str) -> bool:
    """Put `item` unless the stored one carries the same or a higher version. False: nothing changed."""
    model = type(item)
    attribute = getattr(model, version_attribute)
    try:
        item.save(condition=attribute.does_not_exist() | (attribute < getattr(item, version_attribute)))
    except PutError as error:
        if condition_failed(error):
            return False
        raise
    return True


def update_if_newer(item: Model, version_attribute: str, version: int, **fields: Any) -> bool:
    """Set `fields` (and the version) on the item unless it already has this version or a higher one."""
    model = type(item)
    attribute = getattr(model, version_attribute)
    actions = [getattr(model, name).set(value) for name, value in fields.items()]
    try:
        item.update(
            actions=[*actions, attribute.set(version)],
            condition=attribute.does_not_exist() | (attribute < version),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def settings_model(table_name: str) -> type[Model]:
    """The settings item's model on one service's table (each service its own class and table)."""
    attributes: dict[str, Any] = {
        "Meta": table_meta(table_name),
        "preferences": UnicodeAttribute(null=True),
        "preferences_version": NumberAttribute(null=True),
        "business": UnicodeAttribute(null=True),
        "business_version": NumberAttribute(null=True),
    }
    return type("SettingsItem", (KeyedRecord,), attributes)


def read_settings(model: type[Model]) -> TenantSettings | None:
    try:
        item: Any = model.get(SETTINGS_PK, SETTINGS_SK)
    except model.DoesNotExist:
        return None
    return TenantSettings(
        preferences=PortalPreferences.model_validate_json(item.preferences)
        if item.preferences
        else PortalPreferences(),
        business_json=item.business,
    )


def copy_preferences(model: type[Model], preferences: PortalPreferences, version: int) -> bool:
    return update_if_newer(
        model(SETTINGS_PK, SETTINGS_SK),
        "preferences_version",
        version,
        preferences=preferences.model_dump_json(),
    )


def copy_business(model: type[Model], business_json: str, version: int) -> bool:
    return update_if_newer(
        model(SETTINGS_PK, SETTINGS_SK), "business_version", version, business=business_json
    )


class SettingsCopy:
    """One service's copy of the portal settings in its own table: the source `shared.preferences`
    reads there, and what its directory consumer writes from the customers service's events."""

    def __init__(self, table_name: str) -> None:
        self.model = settings_model(table_name)

    def read(self) -> TenantSettings | None:
        return read_settings(self.model)

    def copy_preferences(self, preferences: PortalPreferences, version: int) -> bool:
        return copy_preferences(self.model, preferences, version)

    def copy_business(self, business_json: str, version: int) -> bool:
        return copy_business(self.model, business_json, version)


class KnownCustomerRecord(KeyedRecord):
    """The attributes of a customer's copy; each service binds it to its table (known_customer_model)."""

    customer_id = UnicodeAttribute(null=True)
    currency = UnicodeAttribute(null=True)
    display_name = UnicodeAttribute(null=True)
    company_name = UnicodeAttribute(null=True)
    email = UnicodeAttribute(null=True)
    version = NumberAttribute(null=True)


def known_customer_model(table_name: str) -> type[KnownCustomerRecord]:
    """The customer copy's model on one service's table (each service its own class and table)."""

    class KnownCustomer(KnownCustomerRecord):
        Meta = table_meta(table_name)

    return KnownCustomer


class CustomerCopy:
    """One service's copy of the customers in its own table: whether a customer exists (documents are
    raised for existing customers only) and whom its documents are addressed to."""

    def __init__(self, table_name: str) -> None:
        self.model = known_customer_model(table_name)

    def exists(self, customer_id: str) -> bool:
        try:
            self.model.get(f"CUSTOMER#{customer_id}", "CUSTOMER", attributes_to_get=["pk"])
        except self.model.DoesNotExist:
            return False
        return True

    def currency(self, customer_id: str) -> str | None:
        """The customer's one currency (every document of theirs is in it); None before its event."""
        try:
            item = self.model.get(f"CUSTOMER#{customer_id}", "CUSTOMER", attributes_to_get=["currency"])
        except self.model.DoesNotExist:
            return None
        return item.currency

    def project(self, facts: CustomerFacts) -> bool:
        item = self.model(
            pk=f"CUSTOMER#{facts.customer_id}",
            sk="CUSTOMER",
            customer_id=facts.customer_id,
            currency=facts.currency,
            display_name=facts.display_name,
            company_name=facts.company_name,
            email=facts.email,
            version=facts.customer_version,
        )
        return save_if_newer(item, "version")

    def party(self, customer_id: str) -> Party | None:
        """Whom this customer's documents are addressed to (None before its first event arrived)."""
        try:
            item = self.model.get(f"CUSTOMER#{customer_id}", "CUSTOMER")
        except self.model.DoesNotExist:
            return None
        if not item.display_name:
            return None
        return Party(name=item.display_name, company=item.company_name, email=item.email)
