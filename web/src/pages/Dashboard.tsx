import type { Address, Dashboard as DashboardData } from "../api";
import { PageTitle } from "../components/common";
import { formatMoney, formatNumber } from "../format";
import { t } from "../i18n";

function AddressLines({ address }: { address: Address | null }) {
  if (!address) return null;
  const cityLine = [address.postal_code, address.city, address.region].filter(Boolean).join(" ");
  return (
    <address>
      {[address.line1, address.line2, cityLine, address.country].filter(Boolean).map((line) => (
        <span key={line} class="address-line">
          <bdi>{line}</bdi>
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
      <PageTitle>{t("dashboard.title")}</PageTitle>
      <div class="grid">
        <section aria-labelledby="outstanding-title" class="card highlight">
          <h2 id="outstanding-title">{t("dashboard.outstanding")}</h2>
          {receivables.outstanding.length === 0 ? (
            <p class="amount">{t("dashboard.nothing_to_pay")}</p>
          ) : (
            receivables.outstanding.map((money) => (
              <p class="amount" key={money.currency}>
                {formatMoney(money)}
              </p>
            ))
          )}
          <p class="muted">
            {t("dashboard.open_invoices", { count: receivables.open_count })}
          </p>
          {pending.length > 0 && (
            <p class="muted">
              {t("dashboard.payment_pending", { numbers: pending.map((invoice) => invoice.number).join(" · ") })}
            </p>
          )}
          <p class={receivables.overdue_count > 0 ? "overdue-note" : "muted"}>
            {receivables.overdue.length > 0
              ? t("dashboard.overdue_amounts", { count: formatNumber(receivables.overdue_count), amounts: receivables.overdue.map(formatMoney).join(" · ") })
              : t("dashboard.overdue", { count: formatNumber(receivables.overdue_count) })}
          </p>
          <p class="actions">
            {canPay && payable && (
              <a class="button-primary" href="/pay?invoices=all">
                {t("dashboard.pay_all")}
              </a>
            )}
            {invoicesEnabled && (
              <a class={canPay && payable ? "button-secondary" : "button-primary"} href="/invoices">
                {t("dashboard.view_invoices")}
              </a>
            )}
          </p>
        </section>

        {data.portal.modules.payments !== false && data.available_credit && data.available_credit.amount > 0 && (
          <section aria-labelledby="credit-title" class="card">
            <h2 id="credit-title">{t("dashboard.available_credit")}</h2>
            <p class="amount strong">{formatMoney(data.available_credit)}</p>
            <p class="muted">{t("dashboard.credit_explain")}</p>
            <p>
              <a href="/credits">{t("dashboard.see_credit")}</a>
            </p>
          </section>
        )}

        <section aria-labelledby="account-title" class="card">
          <h2 id="account-title">{t("dashboard.account")}</h2>
          <p class="strong">{customer.display_name}</p>
          {customer.company_name && <p>{customer.company_name}</p>}
          <p>
            <bdi>{customer.email}</bdi>
          </p>
          {customer.phone && (
            <p>
              <bdi dir="ltr">{customer.phone}</bdi>
            </p>
          )}
          <AddressLines address={customer.billing_address} />
        </section>

        <section aria-labelledby="contacts-title" class="card">
          <h2 id="contacts-title">{t("dashboard.contacts")}</h2>
          <ul class="plain-list">
            {contacts.map((contact) => (
              <li key={contact.contact_id}>
                <span class="strong">
                  {contact.first_name} {contact.last_name}
                </span>
                {contact.is_primary && <span class="badge badge-primary">{t("dashboard.primary")}</span>}
                {contact.portal_status && (
                  <span class={`badge badge-access-${contact.portal_status}`}>{t(`dashboard.access.${contact.portal_status}`)}</span>
                )}
                <br />
                <bdi class="muted">{contact.email}</bdi>
              </li>
            ))}
          </ul>
        </section>

        {business && (
          <section aria-labelledby="business-title" class="card">
            <h2 id="business-title">{t("dashboard.contact_us")}</h2>
            <p class="strong">{business.name}</p>
            {business.email && (
              <p>
                <a href={`mailto:${business.email}`}>{business.email}</a>
              </p>
            )}
            {business.phone && (
              <p>
                <bdi dir="ltr">{business.phone}</bdi>
              </p>
            )}
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
