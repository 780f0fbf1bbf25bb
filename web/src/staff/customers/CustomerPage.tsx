// Staff: one customer — details, contacts with their portal status and the auth service's actions
// (invite, resend, access off/on, MFA reset), the customer's access and sign-up link, a new contact
// person, and the customer's invoices.
import { useState } from "preact/hooks";
import { ErrorMessage, Loading, PageTitle, useAsync } from "../../components/common";
import type { Money } from "../../api";
import { formatMoney } from "../../format";
import { t } from "../../i18n";
import {
  addContact,
  createSignupLink,
  customerDetail,
  inviteContact,
  resetMfa,
  setContactAccess,
  setCustomerAccess,
  type PortalStatus,
  type SignupLink,
  type StaffContact,
} from "./api";
import { CustomerInvoices } from "./CustomerInvoices";
import { Feedback, useAction } from "../feedback";

export function CustomerPage({ customerId }: { customerId: string }) {
  const [reloads, setReloads] = useState(0);
  const detail = useAsync(() => customerDetail(customerId), [customerId, reloads]);
  // What an action just did, shown at once (the status projection follows the events a moment later).
  const [statuses, setStatuses] = useState<Record<string, PortalStatus>>({});
  const reload = () => setReloads(reloads + 1);

  if (detail.error) return <ErrorMessage error={detail.error} />;
  if (!detail.data) return <Loading />;
  const { customer, contacts, receivables, available_credit } = detail.data;
  const amounts = (list: Money[]) => (list.length ? list.map(formatMoney).join(" · ") : formatMoney({ amount: 0, currency: customer.currency }));
  const statusOf = (contact: StaffContact): PortalStatus => statuses[contact.contact_id] ?? contact.portal_status ?? "not_invited";
  const remember = (contactId: string, status: PortalStatus) => setStatuses({ ...statuses, [contactId]: status });

  return (
    <>
      <a class="back-link" href="/staff/customers">
        {t("staff_customers.back")}
      </a>
      <PageTitle>{customer.display_name}</PageTitle>
      <p>
        <a href={`/staff/subscriptions?customer_id=${encodeURIComponent(customer.customer_id)}`}>
          {t("staff_customers.subscriptions_link")}
        </a>
      </p>
      <section class="card" aria-labelledby="customer-details">
        <h2 id="customer-details">{t("staff_customers.details")}</h2>
        <dl class="facts">
          <div>
            <dt>{t("staff_customers.company")}</dt>
            <dd>{customer.company_name ?? "—"}</dd>
          </div>
          <div>
            <dt>{t("staff_customers.email")}</dt>
            <dd>{customer.email}</dd>
          </div>
          <div>
            <dt>{t("staff_customers.phone")}</dt>
            <dd>{customer.phone ? <bdi dir="ltr">{customer.phone}</bdi> : "—"}</dd>
          </div>
          <div>
            <dt>{t("staff_customers.currency")}</dt>
            <dd>{customer.currency}</dd>
          </div>
          <div>
            <dt>{t("staff_customers.outstanding", { count: receivables.open_count })}</dt>
            <dd>{amounts(receivables.outstanding)}</dd>
          </div>
          <div>
            <dt>{t("staff_customers.overdue", { count: receivables.overdue_count })}</dt>
            <dd>{amounts(receivables.overdue)}</dd>
          </div>
          <div>
            <dt>{t("staff_customers.credit")}</dt>
            <dd>{formatMoney(available_credit)}</dd>
          </div>
        </dl>
      </section>
      <section class="card table-wrap" aria-labelledby="customer-contacts">
        <h2 id="customer-contacts" class="console-card-heading">
          {t("staff_customers.contacts")}
        </h2>
        <table class="console-table">
          <thead>
            <tr>
              <th scope="col">{t("staff_customers.name")}</th>
              <th scope="col">{t("staff_customers.email")}</th>
              <th scope="col">{t("staff_customers.portal_status")}</th>
              <th scope="col">{t("staff_customers.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {contacts.map((contact) => (
              <ContactRow
                key={contact.contact_id}
                contact={contact}
                status={statusOf(contact)}
                onStatus={(status) => remember(contact.contact_id, status)}
              />
            ))}
          </tbody>
        </table>
      </section>
      <CustomerAccess customerId={customerId} contacts={contacts} onChanged={setStatuses} />
      <AddContact customerId={customerId} onAdded={reload} />
      <CustomerInvoices customerId={customerId} currency={customer.currency} />
    </>
  );
}

function ContactRow({ contact, status, onStatus }: { contact: StaffContact; status: PortalStatus; onStatus: (s: PortalStatus) => void }) {
  const action = useAction();
  const name = `${contact.first_name} ${contact.last_name}`;
  const invite = () =>
    action.run(
      () => inviteContact(contact.customer_id, contact.contact_id),
      (result) => {
        if (result.status === "invited") onStatus("invited");
        return t(`staff_customers.invitation.${result.status}`, { email: contact.email });
      },
    );
  const access = (enabled: boolean) =>
    action.run(
      () => setContactAccess(contact.customer_id, contact.contact_id, enabled),
      () => {
        onStatus(enabled ? "active" : "disabled");
        return t(enabled ? "staff_customers.access_on_done" : "staff_customers.access_off_done", { name });
      },
    );
  const mfa = () => action.run(() => resetMfa(contact.customer_id, contact.contact_id), () => t("staff_customers.mfa_reset_done", { name }));
  return (
    <tr>
      <th scope="row">
        {name}
        {contact.is_primary && <span class="badge badge-primary console-badge">{t("staff_customers.primary")}</span>}
      </th>
      <td>{contact.email}</td>
      <td>
        <span class={`badge console-status-${status}`}>{t(`staff_customers.status.${status}`)}</span>
      </td>
      <td class="console-actions-cell">
        <div class="console-actions">
          {(status === "not_invited" || status === "invited") && (
            <button type="button" class="button-secondary" disabled={action.busy} onClick={invite}>
              {t(status === "invited" ? "staff_customers.resend_named" : "staff_customers.invite_named", { name })}
            </button>
          )}
          {status === "disabled" ? (
            <button type="button" class="button-secondary" disabled={action.busy} onClick={() => access(true)}>
              {t("staff_customers.access_on_named", { name })}
            </button>
          ) : (
            // Offered whatever the status says: a login made outside the invitations (an import)
            // has no event behind it, and the server answers when there is no login to change.
            <>
              <button type="button" class="button-secondary" disabled={action.busy} onClick={() => access(false)}>
                {t("staff_customers.access_off_named", { name })}
              </button>
              <button type="button" class="button-secondary" disabled={action.busy} onClick={mfa}>
                {t("staff_customers.mfa_reset_named", { name })}
              </button>
            </>
          )}
        </div>
        <Feedback outcome={action.outcome} />
      </td>
    </tr>
  );
}

function CustomerAccess({
  customerId,
  contacts,
  onChanged,
}: {
  customerId: string;
  contacts: StaffContact[];
  onChanged: (statuses: Record<string, PortalStatus>) => void;
}) {
  const access = useAction();
  const signup = useAction();
  const [link, setLink] = useState<SignupLink | null>(null);
  const turn = (enabled: boolean) =>
    access.run(
      () => setCustomerAccess(customerId, enabled),
      (result) => {
        // Contacts with a login change with the customer (the server's events say so a moment later).
        const withLogin = contacts.filter((c) => c.portal_status === "active" || c.portal_status === "disabled");
        onChanged(Object.fromEntries(withLogin.map((c) => [c.contact_id, enabled ? "active" : "disabled"])));
        return enabled ? t("staff_customers.customer_on_done") : t("staff_customers.customer_off_done", { count: result.contacts_signed_out });
      },
    );
  const createLink = () =>
    signup.run(
      () => createSignupLink(customerId),
      (created) => {
        setLink(created);
        return t("staff_customers.signup_link_done");
      },
    );
  const copy = () =>
    signup.run(
      () => navigator.clipboard.writeText(link?.url ?? ""),
      () => t("staff_customers.copied"),
    );
  return (
    <section class="card" aria-labelledby="customer-access">
      <h2 id="customer-access">{t("staff_customers.access")}</h2>
      <div class="console-actions">
        <button type="button" class="button-secondary" disabled={access.busy} onClick={() => turn(false)}>
          {t("staff_customers.customer_off")}
        </button>
        <button type="button" class="button-secondary" disabled={access.busy} onClick={() => turn(true)}>
          {t("staff_customers.customer_on")}
        </button>
      </div>
      <Feedback outcome={access.outcome} />
      <div class="console-actions console-signup">
        <button type="button" class="button-secondary" disabled={signup.busy} onClick={createLink}>
          {t("staff_customers.signup_link")}
        </button>
      </div>
      {link && (
        <div class="console-link">
          <label for="signup-link">{t("staff_customers.signup_link_label")}</label>
          <input id="signup-link" type="text" readOnly value={link.url} dir="ltr" onFocus={(e) => e.currentTarget.select()} />
          <button type="button" class="button-secondary" onClick={copy}>
            {t("staff_customers.copy")}
          </button>
        </div>
      )}
      <Feedback outcome={signup.outcome} />
    </section>
  );
}

function AddContact({ customerId, onAdded }: { customerId: string; onAdded: () => void }) {
  const [form, setForm] = useState({ first_name: "", last_name: "", email: "", is_primary: false });
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const added = await action.run(
      () => addContact(customerId, form),
      (contact) => t("staff_customers.contact_added", { email: contact.email }),
    );
    if (added) {
      setForm({ first_name: "", last_name: "", email: "", is_primary: false });
      onAdded();
    }
  };
  const field = (name: "first_name" | "last_name" | "email", type = "text") => (
    <div class="field">
      <label for={`contact-${name}`}>{t(`staff_customers.contact_${name}`)}</label>
      <input
        id={`contact-${name}`}
        type={type}
        required
        value={form[name]}
        onInput={(e) => setForm({ ...form, [name]: e.currentTarget.value })}
      />
    </div>
  );
  return (
    <section class="card" aria-labelledby="add-contact">
      <h2 id="add-contact">{t("staff_customers.add_contact")}</h2>
      <form onSubmit={submit} class="console-form">
        <div class="filters">
          {field("first_name")}
          {field("last_name")}
          {field("email", "email")}
        </div>
        <label class="console-inline">
          <input type="checkbox" class="console-check" checked={form.is_primary} onChange={(e) => setForm({ ...form, is_primary: e.currentTarget.checked })} />
          {t("staff_customers.contact_primary")}
        </label>
        <button type="submit" class="button-secondary" disabled={action.busy}>
          {t("staff_customers.add_contact_button")}
        </button>
      </form>
      <Feedback outcome={action.outcome} />
    </section>
  );
}
