import type { Address, Dashboard as DashboardData } from "../api";
import { PageTitle } from "../components/common";
import { formatMoney } from "../format";

function AddressLines({ address }: { address: Address | null }) {
  if (!address) return null;
  const cityLine = [address.postal_code, address.city, address.region].filter(Boolean).join(" ");
  return (
    <address>
      {[address.line1, address.line2, cityLine, address.country].filter(Boolean).map((line) => (
        <span key={line} class="address-line">
          {line}
        </span>
      ))}
    </address>
  );
}

export function Dashboard({ data }: { data: DashboardData }) {
  const { customer, contacts, receivables, business } = data;
  const invoicesEnabled = data.portal.modules.invoices !== false;
  const canPay = data.portal.modules.payments !== false && data.portal.actions.pay_invoices !== false;
  const pending = (data.open_invoices ?? []).filter((invoice) => invoice.payment_pending);
  // Nothing to start when every open invoice already has a payment under way.
  const payable = data.open_invoices ? data.open_invoices.some((invoice) => !invoice.payment_pending) : receivables.open_count > 0;
  return (
    <>
      <PageTitle>Dashboard</PageTitle>
      <div class="grid">
        <section aria-labelledby="outstanding-title" class="card highlight">
          <h2 id="outstanding-title">Outstanding</h2>
          {receivables.outstanding.length === 0 ? (
            <p class="amount">Nothing to pay</p>
          ) : (
            receivables.outstanding.map((money) => (
              <p class="amount" key={money.currency}>
                {formatMoney(money)}
              </p>
            ))
          )}
          <p class="muted">
            {receivables.open_count} open {receivables.open_count === 1 ? "invoice" : "invoices"}
          </p>
          {pending.length > 0 && (
            <p class="muted">
              Payment pending: {pending.map((invoice) => invoice.number).join(", ")}
            </p>
          )}
          <p class={receivables.overdue_count > 0 ? "overdue-note" : "muted"}>
            {receivables.overdue_count} overdue
            {receivables.overdue.length > 0 && ` (${receivables.overdue.map(formatMoney).join(", ")})`}
          </p>
          <p class="actions">
            {canPay && payable && (
              <a class="button-primary" href="/pay?invoices=all">
                Pay all outstanding
              </a>
            )}
            {invoicesEnabled && (
              <a class={canPay && payable ? "button-secondary" : "button-primary"} href="/invoices">
                View invoices
              </a>
            )}
          </p>
        </section>

        {data.portal.modules.payments !== false && data.available_credit && data.available_credit.amount > 0 && (
          <section aria-labelledby="credit-title" class="card">
            <h2 id="credit-title">Available credit</h2>
            <p class="amount strong">{formatMoney(data.available_credit)}</p>
            <p class="muted">From payments beyond what you owed; it can pay your invoices.</p>
            <p>
              <a href="/credits">See your credit</a>
            </p>
          </section>
        )}

        <section aria-labelledby="account-title" class="card">
          <h2 id="account-title">Your account</h2>
          <p class="strong">{customer.display_name}</p>
          {customer.company_name && <p>{customer.company_name}</p>}
          <p>{customer.email}</p>
          {customer.phone && <p>{customer.phone}</p>}
          <AddressLines address={customer.billing_address} />
        </section>

        <section aria-labelledby="contacts-title" class="card">
          <h2 id="contacts-title">Contact persons</h2>
          <ul class="plain-list">
            {contacts.map((contact) => (
              <li key={contact.contact_id}>
                <span class="strong">
                  {contact.first_name} {contact.last_name}
                </span>
                {contact.is_primary && <span class="badge badge-primary">Primary</span>}
                {contact.portal_status && (
                  <span class={`badge badge-access-${contact.portal_status}`}>{ACCESS_LABELS[contact.portal_status]}</span>
                )}
                <br />
                <span class="muted">{contact.email}</span>
              </li>
            ))}
          </ul>
        </section>

        {business && (
          <section aria-labelledby="business-title" class="card">
            <h2 id="business-title">Contact us</h2>
            <p class="strong">{business.name}</p>
            {business.email && (
              <p>
                <a href={`mailto:${business.email}`}>{business.email}</a>
              </p>
            )}
            {business.phone && <p>{business.phone}</p>}
            {business.website && (
              <p>
                <a href={business.website} target="_blank" rel="noopener noreferrer">
                  {business.website.replace(/^https?:\/\//, "")}
                </a>
              </p>
            )}
            <AddressLines address={business.address} />
          </section>
        )}
      </div>
    </>
  );
}

const ACCESS_LABELS: Record<string, string> = {
  not_invited: "No portal access",
  invited: "Invited",
  active: "Has portal access",
  disabled: "Access turned off",
};
