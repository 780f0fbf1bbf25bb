"""Subscriptions table: the catalog, the tenant's rules, subscriptions and the outbox (pynamodb; the
only DynamoDB code of the service). Projections of other services' facts: `directory_store.py`.

  CATALOG        PLAN#<id> | ADDON#<id> | COUPON#<code>   a catalog entry (JSON), coupons' redemptions
  TENANT         RULES                                    the tenant's rules (JSON)
  SUB#<id>       SUB                                      a subscription (JSON) + version
  SUB#<id>       INVOICE#<issue date>#<invoice id>        a copy of an invoice billing it (portal.invoices)
  INVOICE#<id>   SUB                                      which subscription an invoice bills (its first
                                                          auto-charge was asked for with it)
  PREVIEW#<id>   PREVIEW                                  a change preview (single-use, expires; TTL)
  OUTBOX#<eid>   OUTBOX                                   an event, published from the stream
  IDEMPOTENCY    <key>                                    Powertools idempotency records (24 h TTL)

Indexes (sparse):
  by_customer    customer_key=<cid> / start_key=<started_at>#<id>     a customer's subscriptions
  due_by_time    due_key="DUE" / due_at=<iso instant>#<id>           the next lifecycle instant
                 (renewal, trial end, pause end); absent once nothing is due (cancelled, open pause)
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from pynamodb.attributes import NumberAttribute, UnicodeAttribute, VersionAttribute
from pynamodb.exceptions import PutError

from services.subscriptions.directory_store import (
    tenant_settings as tenant_settings,  # re-exported: logic reads the settings copy here
)
from services.subscriptions.logic.subscription import Preview, Subscription
from services.subscriptions.schemas import AddonView, CouponView, PlanView, Rules, SubscriptionInvoice
from services.subscriptions.settings import Settings
from shared.dynamo import (
    KeyedRecord,
    condition_failed,
    conditional_transaction,
    outbox_model,
    sparse_index,
    table_meta,
)
from shared.errors import Conflict
from shared.event_models import InvoiceChanged
from shared.events import OutboxEvent
from shared.money import Money
from shared.projections import save_if_newer
from shared.settings import load

TABLE_NAME = load(Settings).subscriptions_table
ModelT = TypeVar("ModelT", bound=BaseModel)

ByCustomer = sparse_index("by_customer", "customer_key", "start_key")
DueByTime = sparse_index("due_by_time", "due_key", "due_at")


class CatalogRecord(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    body = UnicodeAttribute()
    redemptions = NumberAttribute(default=0)
    max_redemptions = NumberAttribute(null=True)


class SubscriptionRecord(KeyedRecord):
    Meta = table_meta(TABLE_NAME)

    body = UnicodeAttribute()
    version = VersionAttribute()
    customer_key = UnicodeAttribute()
    start_key = UnicodeAttribute()
    due_key = UnicodeAttribute(null=True)
    due_at = UnicodeAttribute(null=True)

    by_customer = ByCustomer()
    due_by_time = DueByTime()


class InvoiceCopyRecord(KeyedRecord):
    """An invoice that bills one of the subscription's charges, as the invoices service's events tell it
    (version-guarded by `invoice_version`)."""

    Meta = table_meta(TABLE_NAME)

    invoice_id = UnicodeAttribute()
    number = UnicodeAttribute()
    status = UnicodeAttribute()
    issue_date = UnicodeAttribute()
    due_date = UnicodeAttribute()
    currency = UnicodeAttribute()
    total = NumberAttribute()
    amount_due = NumberAttribute()
    invoice_version = NumberAttribute()


class InvoicePointerRecord(KeyedRecord):
    """Which subscription an invoice bills (a failed payment names invoices, not subscriptions)."""

    Meta = table_meta(TABLE_NAME)

    subscription_id = UnicodeAttribute()


class PreviewRecord(KeyedRecord):
    """A change preview the server issued (logic/previews.py): used once, then deleted; TTL after expiry."""

    Meta = table_meta(TABLE_NAME)

    body = UnicodeAttribute()
    expires_at = NumberAttribute()


OutboxRecord = outbox_model(TABLE_NAME)
INVOICES_SHOWN = 24  # a subscription's page lists its latest invoices

KINDS: dict[type[BaseModel], str] = {PlanView: "PLAN", AddonView: "ADDON", CouponView: "COUPON"}


# ---- catalog and rules -------------------------------------------------------------------------------


def _entry_id(entry: BaseModel) -> str:
    if isinstance(entry, PlanView):
        return entry.plan_id
    if isinstance(entry, AddonView):
        return entry.addon_id
    assert isinstance(entry, CouponView)
    return entry.code


def add_entry(entry: PlanView | AddonView | CouponView) -> None:
    """A new catalog entry; an existing id (a coupon's code) is a 409."""
    kind = KINDS[type(entry)]
    record = CatalogRecord(pk="CATALOG", sk=f"{kind}#{_entry_id(entry)}", body=entry.model_dump_json())
    if isinstance(entry, CouponView):
        record.body = entry.model_dump_json(exclude={"redemptions"})
        record.max_redemptions = entry.max_redemptions
    try:
        record.save(condition=CatalogRecord.pk.does_not_exist())
    except PutError as error:
        if not condition_failed(error):
            raise
        raise Conflict(f"The catalog already has {kind.lower()} {_entry_id(entry)}.") from None


def get_entry(model: type[ModelT], entry_id: str) -> ModelT | None:
    try:
        record = CatalogRecord.get("CATALOG", f"{KINDS[model]}#{entry_id}")
    except CatalogRecord.DoesNotExist:
        return None
    return _entry(model, record)


def _entry(model: type[ModelT], record: CatalogRecord) -> ModelT:
    if model is CouponView:  # the counter lives beside the body (a transaction adds to it)
        return model.model_validate({**json.loads(record.body), "redemptions": int(record.redemptions)})
    return model.model_validate_json(record.body)


def list_catalog() -> tuple[list[PlanView], list[AddonView], list[CouponView]]:
    """The whole catalog in one Query (its partition holds only catalog entries)."""
    plans, addons, coupons = [], [], []
    for record in CatalogRecord.query("CATALOG"):
        kind = record.sk.split("#", 1)[0]
        if kind == "PLAN":
            plans.append(_entry(PlanView, record))
        elif kind == "ADDON":
            addons.append(_entry(AddonView, record))
        else:
            coupons.append(_entry(CouponView, record))
    return plans, addons, coupons


def read_rules() -> Rules:
    try:
        return Rules.model_validate_json(CatalogRecord.get("TENANT", "RULES").body)
    except CatalogRecord.DoesNotExist:
        return Rules()


def save_rules(rules: Rules) -> None:
    CatalogRecord(pk="TENANT", sk="RULES", body=rules.model_dump_json()).save()


# ---- subscriptions -------------------------------------------------------------------------------------


def _record(sub: Subscription) -> SubscriptionRecord:
    record = SubscriptionRecord(
        pk=f"SUB#{sub.subscription_id}",
        sk="SUB",
        body=sub.model_dump_json(exclude={"version"}),
        customer_key=sub.customer_id,
        start_key=f"{sub.started_at.isoformat()}#{sub.subscription_id}",
    )
    due = due_instant(sub)
    if due is not None:
        record.due_key, record.due_at = "DUE", f"{due}#{sub.subscription_id}"
    if sub.version is not None:
        record.version = sub.version
    return record


def due_instant(sub: Subscription) -> str | None:
    """When the renewal job must next look at it (fixed-width UTC, so strings sort as instants)."""
    at = sub.due_at()
    return instant_key(at) if at else None


def instant_key(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def due(now: datetime, limit: int = 100) -> list[Subscription]:
    """Subscriptions whose lifecycle instant has come, oldest first: one Query of the sparse index."""
    query = SubscriptionRecord.due_by_time.query(
        "DUE", SubscriptionRecord.due_at <= f"{instant_key(now)}#~", limit=limit
    )
    return [_subscription(record) for record in query]


def _subscription(record: SubscriptionRecord) -> Subscription:
    return Subscription.model_validate_json(record.body).model_copy(update={"version": record.version})


def get(subscription_id: str) -> Subscription | None:
    try:
        return _subscription(SubscriptionRecord.get(f"SUB#{subscription_id}", "SUB"))
    except SubscriptionRecord.DoesNotExist:
        return None


def get_with_invoices(subscription_id: str) -> tuple[Subscription | None, list[SubscriptionInvoice]]:
    """The subscription and its latest invoices, newest first, in one Query: `INVOICE#<date>#…` sort
    before `SUB`, so reading backwards from `SUB` gives the subscription, then its invoices."""
    items = SubscriptionRecord._get_connection().query(  # raw items: two kinds of item in one Query
        f"SUB#{subscription_id}",
        SubscriptionRecord.sk.between("INVOICE#", "SUB"),
        scan_index_forward=False,
        limit=INVOICES_SHOWN + 1,
    )
    sub: Subscription | None = None
    invoices = []
    for raw in items.get("Items", []):
        if raw["sk"]["S"] == "SUB":
            sub = _subscription(SubscriptionRecord.from_raw_data(raw))
        else:
            invoices.append(_invoice_copy(InvoiceCopyRecord.from_raw_data(raw)))
    return sub, invoices


def project_invoice(facts: InvoiceChanged) -> bool:
    """Keep the newest snapshot of an invoice of a subscription; False for a stale or repeated one."""
    assert facts.subscription_id is not None
    record = InvoiceCopyRecord(
        pk=f"SUB#{facts.subscription_id}",
        sk=f"INVOICE#{facts.issue_date}#{facts.invoice_id}",
        invoice_id=facts.invoice_id,
        number=facts.number,
        status=facts.status,
        issue_date=facts.issue_date,
        due_date=facts.due_date,
        currency=facts.total.currency,
        total=facts.total.amount,
        amount_due=facts.amount_due.amount,
        invoice_version=facts.invoice_version,
    )
    return save_if_newer(record, "invoice_version")


def request_first_charge(subscription_id: str, invoice_id: str, event: OutboxEvent, now_epoch: int) -> bool:
    """The invoice's pointer to its subscription and the request to auto-charge it, together, once:
    False when the invoice was seen before (a redelivered InvoiceIssued asks nothing again)."""
    pointer = InvoicePointerRecord(pk=f"INVOICE#{invoice_id}", sk="SUB", subscription_id=subscription_id)
    with conditional_transaction() as tx:
        tx.save(pointer, condition=InvoicePointerRecord.pk.does_not_exist())
        tx.save(OutboxRecord.of(event, now_epoch), condition=OutboxRecord.pk.does_not_exist())
    return tx.committed


def subscription_of_invoice(invoice_id: str) -> str | None:
    try:
        return InvoicePointerRecord.get(f"INVOICE#{invoice_id}", "SUB").subscription_id
    except InvoicePointerRecord.DoesNotExist:
        return None


def _invoice_copy(record: InvoiceCopyRecord) -> SubscriptionInvoice:
    return SubscriptionInvoice(
        invoice_id=record.invoice_id,
        number=record.number,
        status=record.status,
        issue_date=record.issue_date,
        due_date=record.due_date,
        total=Money(amount=int(record.total), currency=record.currency),
        amount_due=Money(amount=int(record.amount_due), currency=record.currency),
    )


def list_for_customer(customer_id: str) -> list[Subscription]:
    """A customer's subscriptions, newest first (one Query; a customer has a handful)."""
    query = SubscriptionRecord.by_customer.query(customer_id, scan_index_forward=False, limit=100)
    return [_subscription(record) for record in query]


def save_preview(preview: Preview) -> None:
    PreviewRecord(
        pk=f"PREVIEW#{preview.preview_id}",
        sk="PREVIEW",
        body=preview.model_dump_json(),
        expires_at=int(preview.expires_at.timestamp()),
    ).save()


def get_preview(preview_id: str) -> Preview | None:
    try:
        return Preview.model_validate_json(PreviewRecord.get(f"PREVIEW#{preview_id}", "PREVIEW").body)
    except PreviewRecord.DoesNotExist:
        return None


def save_with_event(
    sub: Subscription,
    event: OutboxEvent,
    now_epoch: int,
    redeem: str | None = None,
    preview_id: str | None = None,
) -> Subscription:
    """The new state (only if nobody changed it since it was read), its event, a coupon's redemption
    (only while it has any left) and the preview it was priced by used up (only if still there), in
    one transaction."""
    record = _record(sub)
    with conditional_transaction() as tx:
        tx.save(record)
        tx.save(OutboxRecord.of(event, now_epoch), condition=OutboxRecord.pk.does_not_exist())
        if preview_id is not None:
            used_preview = PreviewRecord(pk=f"PREVIEW#{preview_id}", sk="PREVIEW")
            tx.delete(used_preview, condition=PreviewRecord.pk.exists())
        if redeem is not None:
            coupon = CatalogRecord(pk="CATALOG", sk=f"COUPON#{redeem}")
            tx.update(
                coupon,
                actions=[CatalogRecord.redemptions.add(1)],
                condition=CatalogRecord.max_redemptions.does_not_exist()
                | (CatalogRecord.redemptions < CatalogRecord.max_redemptions),
            )
    if not tx.committed:
        raise Conflict(
            "This subscription was changed meanwhile (or the coupon or the preview was used up); "
            "reload and try again."
        )
    return _subscription(record)


def idempotency_layer() -> Any:
    """Powertools' persistence layer for POST /subscriptions/{id}/changes (records under pk IDEMPOTENCY)."""
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    from shared.aws import client

    return DynamoDBPersistenceLayer(
        table_name=TABLE_NAME,
        key_attr="pk",
        sort_key_attr="sk",
        static_pk_value="IDEMPOTENCY",
        expiry_attr="expires_at",
        boto3_client=client("dynamodb"),
    )
