"""Estimate use cases: staff draft, send and convert estimates; customer contacts list, open, accept
or decline them. No boto3 and no HTTP here: state goes through `store`, each change's event through
the outbox in the same transaction."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from services.estimates.logic import directory
from services.estimates.logic.domain import (
    Estimate,
    check_answer,
    check_convert,
    check_dates,
    check_send,
    effective_status,
    is_expired,
)
from services.estimates.schemas import (
    CreateEstimateRequest,
    DeclineRequest,
    EstimateDetail,
    EstimatePage,
    EstimateSummary,
    ListEstimatesQuery,
)
from shared.errors import NotFound
from shared.event_models import (
    EstimateAccepted,
    EstimateChanged,
    EstimateConverted,
    EstimateDeclined,
    EstimateLine,
    EstimateSent,
    EstimateViewed,
)
from shared.events import outbox_event
from shared.ids import new_id, utc_now, utc_now_iso, utc_today
from shared.lazy import lazy_module
from shared.line_schemas import line_view, tax_views
from shared.preferences import require_module, tax_rounding
from shared.pricing import draft_fields
from shared.principal import Principal

if TYPE_CHECKING:
    from services.estimates import store
else:  # pynamodb (and with it most of botocore) loads on the first request, not at cold start
    store = lazy_module("services.estimates.store")

# ---- staff -----------------------------------------------------------------------------------------


def create_draft(request: CreateEstimateRequest) -> EstimateDetail:
    directory.require_customer_currency(request.customer_id, request.currency)
    expiry = request.expiry_date or request.issue_date + timedelta(days=request.valid_days)
    check_dates(request.issue_date, expiry)
    fields = draft_fields(
        request, store.customer_party(request.customer_id), tax_rounding(store.tenant_settings)
    )
    estimate = Estimate(
        estimate_id=new_id(),
        expiry_date=expiry,
        number=store.next_estimate_number(),
        **fields,
    )
    return detail(store.insert(estimate))


def staff_get(estimate_id: str) -> EstimateDetail:
    return detail(existing(estimate_id))


def send(estimate_id: str, correlation_id: str | None = None, today: date | None = None) -> EstimateDetail:
    estimate = existing(estimate_id)
    check_send(estimate.status, estimate.total, estimate.expiry_date, today or utc_today())
    sent = _changed(estimate, status="sent")
    return detail(_save(sent, EstimateSent(**_snapshot(sent)), correlation_id))


def convert(estimate_id: str, correlation_id: str | None = None) -> EstimateDetail:
    """An accepted estimate becomes an invoice: the invoices service drafts it from the event."""
    estimate = existing(estimate_id)
    check_convert(estimate.status)
    invoiced = _changed(estimate, status="invoiced")
    event = EstimateConverted(
        **_snapshot(invoiced),
        currency=invoiced.currency,
        lines=[
            EstimateLine(
                description=line.description,
                quantity=str(line.quantity),
                unit_price=line.unit_price,
                tax_name=line.tax_name,
                tax_rate_bps=line.tax_rate_bps,
            )
            for line in invoiced.lines
        ],
        reference=invoiced.reference or invoiced.number,
        notes=invoiced.notes,
        terms=invoiced.terms,
    )
    return detail(_save(invoiced, event, correlation_id))


# ---- customer contacts -----------------------------------------------------------------------------


def list_for_customer(
    caller: Principal, query: ListEstimatesQuery, today: date | None = None
) -> EstimatePage:
    customer_id = caller.require_customer()
    require_module("estimates", store.tenant_settings)
    today = today or utc_today()
    estimates, cursor = store.list_for_customer(customer_id, query.status, today, query.limit, query.cursor)
    return EstimatePage(items=[summary(estimate, today) for estimate in estimates], next_cursor=cursor)


def view_as_customer(
    caller: Principal, estimate_id: str, correlation_id: str | None = None
) -> EstimateDetail:
    """A contact opens one of their customer's estimates; the first view of a sent one marks it viewed
    and tells the business (EstimateViewed)."""
    estimate = customer_estimate(caller, estimate_id)
    if estimate.status == "sent":
        viewed = _changed(estimate, status="viewed")
        event = EstimateViewed(**_snapshot(viewed), viewed_by_contact_id=caller.contact_id)
        estimate = _save(viewed, event, correlation_id)
    return detail(estimate)


def accept(caller: Principal, estimate_id: str, correlation_id: str | None = None) -> EstimateDetail:
    estimate = customer_estimate(caller, estimate_id)
    check_answer(estimate.status, estimate.expiry_date, utc_today(), "accepted")
    accepted = _changed(
        estimate, status="accepted", answered_by_contact_id=caller.contact_id, answered_at=utc_now_iso()
    )
    event = EstimateAccepted(**_snapshot(accepted), contact_id=caller.contact_id)
    return detail(_save(accepted, event, correlation_id))


def decline(
    caller: Principal, estimate_id: str, request: DeclineRequest, correlation_id: str | None = None
) -> EstimateDetail:
    estimate = customer_estimate(caller, estimate_id)
    check_answer(estimate.status, estimate.expiry_date, utc_today(), "declined")
    reason = request.reason.strip()
    declined = _changed(
        estimate,
        status="declined",
        decline_reason=reason,
        answered_by_contact_id=caller.contact_id,
        answered_at=utc_now_iso(),
    )
    event = EstimateDeclined(**_snapshot(declined), contact_id=caller.contact_id, reason=reason)
    return detail(_save(declined, event, correlation_id))


def customer_estimate(caller: Principal, estimate_id: str) -> Estimate:
    """One of the caller's customer's estimates; another customer's or a draft is a 404."""
    customer_id = caller.require_customer()
    require_module("estimates", store.tenant_settings)
    estimate = store.get(estimate_id)
    if estimate is None or estimate.customer_id != customer_id or estimate.status == "draft":
        raise NotFound("No estimate with this id.")
    return estimate


def existing(estimate_id: str) -> Estimate:
    estimate = store.get(estimate_id)
    if estimate is None:
        raise NotFound("No estimate with this id.")
    return estimate


# ---- shaping -----------------------------------------------------------------------------------------


def summary(estimate: Estimate, today: date) -> EstimateSummary:
    return EstimateSummary(
        estimate_id=estimate.estimate_id,
        number=estimate.number,
        issue_date=estimate.issue_date,
        expiry_date=estimate.expiry_date,
        status=effective_status(estimate.status, estimate.expiry_date, today),
        total=estimate.total,
    )


def detail(estimate: Estimate, today: date | None = None) -> EstimateDetail:
    today = today or utc_today()
    return EstimateDetail(
        estimate_id=estimate.estimate_id,
        customer_id=estimate.customer_id,
        number=estimate.number,
        status=effective_status(estimate.status, estimate.expiry_date, today),
        issue_date=estimate.issue_date,
        expiry_date=estimate.expiry_date,
        currency=estimate.currency,
        reference=estimate.reference,
        notes=estimate.notes,
        terms=estimate.terms,
        lines=[line_view(line) for line in estimate.lines],
        taxes=tax_views(estimate.taxes),
        subtotal=estimate.subtotal,
        tax_total=estimate.tax_total,
        total=estimate.total,
        decline_reason=estimate.decline_reason,
        answered_at=estimate.answered_at,
        can_answer=estimate.status in ("sent", "viewed")
        and not is_expired(estimate.status, estimate.expiry_date, today),
    )


# ---- helpers -------------------------------------------------------------------------------------------


def _changed(estimate: Estimate, **changes: Any) -> Estimate:
    return estimate.model_copy(update={**changes, "updated_at": utc_now_iso()})


def _snapshot(estimate: Estimate) -> dict[str, Any]:
    return {
        "estimate_id": estimate.estimate_id,
        "customer_id": estimate.customer_id,
        "number": estimate.number,
        "status": estimate.status,
        "issue_date": estimate.issue_date.isoformat(),
        "expiry_date": estimate.expiry_date.isoformat(),
        "total": estimate.total,
        # the version this write creates: consumers keep the highest they have seen
        "estimate_version": (estimate.version or 0) + 1,
    }


def _save(estimate: Estimate, event: EstimateChanged, correlation_id: str | None) -> Estimate:
    return store.save_with_event(estimate, outbox_event(event, correlation_id), int(utc_now().timestamp()))
