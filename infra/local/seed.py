"""The demo tenant — RenoTech Solutions, a digital services company — entered through the product's
own use cases (never raw table writes): its business profile, four customers with contacts and
logins, a year of invoices in every status, in USD and EUR, with realistic lines and taxes, and
estimates (quotes) in every status for the first two customers, and credit notes for the first (one
applied to an invoice, one partly refunded, and a contact's request waiting for an answer)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from services.auth.logic.use_cases import provision_login
from services.credit_notes.logic import requests as credit_requests
from services.credit_notes.logic import use_cases as credit_notes
from services.credit_notes.schemas import (
    ApplyCreditNoteRequest,
    IssueCreditNoteRequest,
    NewCreditRequest,
    RefundCreditNoteRequest,
)
from services.customers.logic import use_cases as customers
from services.customers.schemas import Address, BusinessProfile, CreateContactRequest, CreateCustomerRequest
from services.estimates.logic import use_cases as estimates
from services.estimates.logic.comments import threads as estimate_threads
from services.estimates.schemas import CreateEstimateRequest, DeclineRequest
from services.invoices.logic import use_cases as invoices
from services.invoices.schemas import CreateInvoiceRequest, LineInput, ListInvoicesQuery, RecordPaymentRequest
from shared.comments import CommentRequest, StaffCommentRequest
from shared.ids import utc_today
from shared.preferences import PortalPreferences
from shared.principal import Principal

DEMO_PASSWORD = "Portal-demo-2026!"
STAFF_EMAIL = "finance@renotech.solutions"


def provision_staff(email: str, password: str) -> str:
    """A staff login: the seed (and tests) add it to the pool's staff group with their own
    credentials, so no function of the stack needs cognito-idp:AdminAddUserToGroup."""
    import os

    import boto3

    subject = provision_login(email, password)
    boto3.client("cognito-idp").admin_add_user_to_group(
        UserPoolId=os.environ["USER_POOL_ID"], Username=email.lower(), GroupName="staff"
    )
    return subject


@dataclass(frozen=True)
class SeedCustomer:
    customer: CreateCustomerRequest
    contacts: list[tuple[str, str, str, bool]]  # first name, last name, email, primary
    tax: tuple[str, int]  # name, basis points
    invoices: int


@dataclass(frozen=True)
class Login:
    email: str
    password: str
    who: str


# (description, unit price in minor units, quantity choices, taxable)
CATALOG = [
    ("Website redesign — discovery & UX workshop", 240_000, ["1"], False),
    ("UI design sprint (per week)", 380_000, ["1", "2"], False),
    ("Front-end development (hours)", 12_500, ["12", "24", "37.5", "40"], False),
    ("Back-end development (hours)", 13_500, ["8", "16", "22.5", "30"], False),
    ("Managed cloud hosting — monthly", 29_900, ["1"], True),
    ("SEO & content retainer — monthly", 150_000, ["1"], False),
    ("Copywriting (per page)", 18_000, ["3", "5", "8"], False),
    ("Analytics dashboard setup", 95_000, ["1"], False),
    ("Premium support hours", 9_500, ["2", "4.5", "6"], False),
    ("SSL certificate & domain renewal", 12_900, ["1", "2"], True),
    ("Design system licence (seat)", 4_900, ["5", "10", "12"], True),
]

CUSTOMERS = [
    SeedCustomer(
        customer=CreateCustomerRequest(
            display_name="Northwind Studio",
            company_name="Northwind Studio LLC",
            email="accounts@northwind-studio.com",
            phone="+1 415 555 0142",
            currency="USD",
            billing_address=Address(
                line1="410 Market Street",
                line2="Suite 300",
                city="San Francisco",
                region="CA",
                postal_code="94111",
                country="US",
            ),
        ),
        contacts=[
            ("Maya", "Chen", "maya@northwind-studio.com", True),
            ("Leo", "Park", "leo@northwind-studio.com", False),
        ],
        tax=("Sales tax", 863),
        invoices=14,
    ),
    SeedCustomer(
        customer=CreateCustomerRequest(
            display_name="Harbor & Pine Legal",
            company_name="Harbor & Pine LLP",
            email="billing@harborpine.com",
            phone="+1 617 555 0199",
            currency="USD",
            billing_address=Address(
                line1="77 Summer Street", city="Boston", region="MA", postal_code="02110", country="US"
            ),
        ),
        contacts=[("Daniel", "Okafor", "daniel@harborpine.com", True)],
        tax=("Sales tax", 625),
        invoices=12,
    ),
    SeedCustomer(
        customer=CreateCustomerRequest(
            display_name="Kestrel Robotics",
            company_name="Kestrel Robotics GmbH",
            email="finanzen@kestrel-robotics.de",
            phone="+49 89 5550 1234",
            currency="EUR",
            billing_address=Address(
                line1="Leopoldstraße 120", city="München", postal_code="80802", country="DE"
            ),
        ),
        contacts=[
            ("Anna", "Keller", "anna@kestrel-robotics.de", True),
            ("Jonas", "Weber", "jonas@kestrel-robotics.de", False),
        ],
        tax=("VAT", 1900),
        invoices=11,
    ),
    SeedCustomer(
        customer=CreateCustomerRequest(
            display_name="Lumen Health Clinics",
            company_name="Lumen Health Inc.",
            email="ap@lumenhealth.com",
            phone="+1 312 555 0175",
            currency="USD",
            billing_address=Address(
                line1="233 S Wacker Drive", city="Chicago", region="IL", postal_code="60606", country="US"
            ),
        ),
        contacts=[("Priya", "Natarajan", "priya@lumenhealth.com", True)],
        tax=("Sales tax", 1025),
        invoices=8,
    ),
]

# What happens to each invoice, oldest first: older ones are mostly settled, recent ones open.
OLD_FATES = ["paid", "paid", "paid", "paid", "partially_paid", "void", "overdue"]
RECENT_FATES = ["sent", "viewed", "viewed", "partially_paid", "paid", "overdue", "sent"]


def seed_demo(settle: Callable[[], None], today: date | None = None) -> list[Login]:
    """`settle` delivers the events waiting (the local worker's drain): the invoices service knows a
    customer only once its CustomerCreated event reached its projection, as on AWS."""
    today = today or utc_today()
    rng = random.Random(2026)
    customers.set_business(
        BusinessProfile(
            name="RenoTech Solutions",
            email="billing@renotech.solutions",
            phone="+1 512 555 0100",
            website="https://renotech.solutions",
            address=Address(
                line1="500 W 2nd Street",
                line2="Floor 19",
                city="Austin",
                region="TX",
                postal_code="78701",
                country="US",
            ),
        )
    )
    customers.set_preferences(PortalPreferences())
    provision_staff(STAFF_EMAIL, DEMO_PASSWORD)
    logins: list[Login] = []
    first_viewer: Principal | None = None
    for spec in CUSTOMERS:
        customer = customers.create_customer(spec.customer)
        contacts = []
        for first, last, email, primary in spec.contacts:
            contact = customers.add_contact(
                customer.customer_id,
                CreateContactRequest(first_name=first, last_name=last, email=email, is_primary=primary),
            )
            provision_login(email, DEMO_PASSWORD, customer.customer_id, contact.contact_id)
            contacts.append(contact)
            if primary:
                logins.append(Login(email, DEMO_PASSWORD, f"{first} {last}, {customer.display_name}"))
        settle()
        viewer = Principal(
            subject=contacts[0].contact_id,
            username=contacts[0].email,
            email=contacts[0].email,
            customer_id=customer.customer_id,
            contact_id=contacts[0].contact_id,
            groups=(),
        )
        _invoices_for(
            customer.customer_id,
            customer.currency,
            spec.tax,
            spec.invoices,
            viewer,
            today,
            rng,
        )
        if spec is CUSTOMERS[0] or spec is CUSTOMERS[1]:
            _estimates_for(customer.customer_id, customer.currency, spec.tax, viewer, today, rng)
        if spec is CUSTOMERS[0]:
            first_viewer = viewer
            _subscriptions_for(customer.customer_id, customer.currency)
    settle()  # converted estimates reach the invoices service as drafts; issued invoices the credit notes
    if first_viewer is not None:
        _credit_notes_for(first_viewer)
        settle()
    # The staff login (the console) comes after the contacts'.
    return [*logins, Login(STAFF_EMAIL, DEMO_PASSWORD, "RenoTech staff (finance)")]


def _subscriptions_for(customer_id: str, currency: str) -> None:
    """Two plans and a trial on the larger one (a trial bills nothing, so the demo's invoices stay as
    they are): the contact can convert, extend or cancel it and, once paying, change plan."""
    from services.subscriptions.logic import use_cases as subscriptions
    from services.subscriptions.schemas import CreateSubscriptionRequest, PlanRequest

    subscriptions.add_plan(PlanRequest(name="Site care Starter", currency=currency, unit_amount=29_00))
    growth = subscriptions.add_plan(
        PlanRequest(
            name="Site care Growth", currency=currency, unit_amount=79_00, trial_days=30, setup_fee=49_00
        )
    )
    subscriptions.create(CreateSubscriptionRequest(customer_id=customer_id, plan_id=growth.plan_id))


def _invoices_for(
    customer_id: str,
    currency: str,
    tax: tuple[str, int],
    count: int,
    viewer: Principal,
    today: date,
    rng: random.Random,
) -> None:
    for n in range(count):
        issue_date = today - timedelta(days=int((count - n) * 330 / count) + rng.randint(0, 6))
        age = (today - issue_date).days
        fate = rng.choice(OLD_FATES if age > 75 else RECENT_FATES)
        terms = 15 if fate == "overdue" and age < 30 else 30
        if fate == "overdue" and age <= terms:
            fate = "sent"
        lines = [
            LineInput(
                description=description,
                quantity=Decimal(rng.choice(quantities)),
                unit_price=price,
                tax_name=tax[0] if taxable else None,
                tax_rate_bps=tax[1] if taxable else 0,
            )
            for description, price, quantities, taxable in rng.sample(CATALOG, rng.randint(1, 4))
        ]
        draft = invoices.create_draft(
            CreateInvoiceRequest(
                customer_id=customer_id,
                currency=currency,
                issue_date=issue_date,
                payment_terms_days=terms,
                reference=f"PO-{rng.randint(1000, 9999)}" if rng.random() < 0.5 else None,
                notes="Thank you for your business." if rng.random() < 0.6 else None,
                terms="Payment due within the stated terms. Late payments may incur a 1.5% monthly fee.",
                lines=lines,
            )
        )
        _play(draft.invoice_id, fate, draft.total.amount, issue_date, today, viewer, rng)
    # One draft per customer: staff work in progress, never visible to the customer.
    invoices.create_draft(
        CreateInvoiceRequest(
            customer_id=customer_id,
            currency=currency,
            issue_date=today,
            lines=[
                LineInput(description="Quarterly performance review", quantity=Decimal(1), unit_price=60_000)
            ],
        )
    )


def _play(
    invoice_id: str,
    fate: str,
    total: int,
    issue_date: date,
    today: date,
    viewer: Principal,
    rng: random.Random,
) -> None:
    invoices.issue(invoice_id)
    if fate in ("viewed", "partially_paid", "paid", "overdue") and rng.random() < 0.8:
        invoices.view_as_customer(viewer, invoice_id)
    paid_on = min(today, issue_date + timedelta(days=rng.randint(3, 25)))
    if fate == "paid":
        invoices.record_payment(
            invoice_id,
            RecordPaymentRequest(amount=total, paid_on=paid_on, method=rng.choice(["bank_transfer", "card"])),
        )
    elif fate == "partially_paid":
        invoices.record_payment(
            invoice_id,
            RecordPaymentRequest(
                amount=total * rng.choice([25, 40, 50]) // 100, paid_on=paid_on, method="bank_transfer"
            ),
        )
    elif fate == "void":
        invoices.void(invoice_id)


def _credit_notes_for(viewer: Principal) -> None:
    """A credit note applied to an open invoice, a goodwill credit partly refunded, and a contact's
    request on another invoice still waiting for staff's answer."""
    customer_id = viewer.require_customer()
    listed = invoices.list_for_customer(viewer, ListInvoicesQuery(limit=100)).items
    open_invoices = [
        i for i in listed if i.amount_due.amount > 0 and i.status not in ("draft", "void", "paid")
    ]
    currency = listed[0].total.currency
    if open_invoices:
        target = open_invoices[0]
        amount = max(1, min(target.amount_due.amount, target.total.amount // 10))
        applied = credit_notes.issue(
            IssueCreditNoteRequest(
                customer_id=customer_id,
                currency=currency,
                invoice_id=target.invoice_id,
                reason="Discount for the delayed launch",
                lines=[
                    LineInput(description="Launch delay discount", quantity=Decimal(1), unit_price=amount)
                ],
            )
        )
        credit_notes.apply(
            applied.credit_note_id, ApplyCreditNoteRequest(invoice_id=target.invoice_id, amount=amount)
        )
    goodwill = credit_notes.issue(
        IssueCreditNoteRequest(
            customer_id=customer_id,
            currency=currency,
            reason="Goodwill credit for the hosting outage",
            lines=[LineInput(description="Hosting outage, 3 days", quantity=Decimal(3), unit_price=40_00)],
        )
    )
    credit_notes.refund(
        goodwill.credit_note_id,
        RefundCreditNoteRequest(amount=40_00, method="bank_transfer", reference="REF-2026-0042"),
    )
    if len(open_invoices) > 1:
        asked = open_invoices[1]
        credit_requests.create(
            viewer,
            NewCreditRequest(
                invoice_id=asked.invoice_id,
                amount=max(1, asked.total.amount // 5),
                reason="Two of the design revisions were not delivered.",
            ),
        )


# What becomes of each estimate (newest last): every status a customer can filter by.
ESTIMATE_FATES = ["invoiced", "declined", "expired", "accepted", "viewed", "sent"]


def _estimates_for(
    customer_id: str,
    currency: str,
    tax: tuple[str, int],
    viewer: Principal,
    today: date,
    rng: random.Random,
) -> None:
    for n, fate in enumerate(ESTIMATE_FATES):
        issue_date = today - timedelta(days=(len(ESTIMATE_FATES) - n) * 12)
        valid_days = 20 if fate == "expired" else 90  # the others still valid today, when answered
        lines = [
            LineInput(
                description=description,
                quantity=Decimal(rng.choice(quantities)),
                unit_price=price,
                tax_name=tax[0] if taxable else None,
                tax_rate_bps=tax[1] if taxable else 0,
            )
            for description, price, quantities, taxable in rng.sample(CATALOG, rng.randint(2, 4))
        ]
        draft = estimates.create_draft(
            CreateEstimateRequest(
                customer_id=customer_id,
                currency=currency,
                issue_date=issue_date,
                valid_days=valid_days,
                reference=f"Q-{rng.randint(1000, 9999)}",
                notes="Prices are valid until the date shown. We can start within two weeks of acceptance.",
                lines=lines,
            )
        )
        estimate_id = draft.estimate_id
        estimates.send(estimate_id, today=issue_date)  # sent on its issue date, while still valid
        if fate != "sent":
            estimates.view_as_customer(viewer, estimate_id)
        if fate in ("accepted", "invoiced"):
            estimates.accept(viewer, estimate_id)
        if fate == "invoiced":
            estimates.convert(estimate_id)
        if fate == "declined":
            reason = DeclineRequest(reason="We went with a smaller scope for now.")
            estimates.decline(viewer, estimate_id, reason)
        if fate == "sent":  # the open question on the newest one, answered by staff
            _conversation(estimate_id, viewer)


def _conversation(estimate_id: str, viewer: Principal) -> None:
    staff = Principal(
        subject="seed-staff",
        username=STAFF_EMAIL,
        email=STAFF_EMAIL,
        customer_id=None,
        contact_id=None,
        groups=("staff",),
    )
    question = CommentRequest(body="Could the hosting start next month instead of this one?")
    estimate_threads.add_by_customer(viewer, estimate_id, question, None)
    note = StaffCommentRequest(body="Check capacity with the ops team first.", visible_to_customer=False)
    estimate_threads.add_by_staff(staff, estimate_id, note, None)
    reply = StaffCommentRequest(body="Yes: we can start on the 1st; the price stays the same.")
    estimate_threads.add_by_staff(staff, estimate_id, reply, None)
