// Staff: the customers list (search by name, email or a contact's portal status, by index on the
// server; paged with its opaque cursor) and the way to a customer's page.
import { useState } from "preact/hooks";
import { ErrorMessage, Loading, PageTitle, useAsync } from "../../components/common";
import { Pager, useCursors } from "../../components/Paging";
import { t } from "../../i18n";
import { inviteCustomers, PORTAL_STATUSES, searchCustomers } from "./api";
import { Feedback, useAction } from "../feedback";

export { CustomerPage } from "./CustomerPage";

export function CustomersPage() {
  const [text, setText] = useState("");
  const [status, setStatus] = useState("");
  const [query, setQuery] = useState({ q: "", status: "" });
  const paging = useCursors();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const invite = useAction();
  const { cursor } = paging;
  const page = useAsync(() => searchCustomers(query.q, query.status, cursor), [query.q, query.status, cursor]);

  const submit = (event: Event) => {
    event.preventDefault();
    paging.restart();
    setSelected(new Set());
    setQuery({ q: text, status });
  };
  const toggle = (customerId: string) => {
    const next = new Set(selected);
    if (next.has(customerId)) next.delete(customerId);
    else next.add(customerId);
    setSelected(next);
  };
  const inviteSelected = () =>
    invite.run(
      () => inviteCustomers([...selected]),
      (result) => t("staff_customers.invited_many", { count: result.invitations.filter((i) => i.status === "invited").length }),
    );

  return (
    <>
      <PageTitle>{t("staff_customers.title")}</PageTitle>
      <form role="search" class="filters console-search" onSubmit={submit}>
        <div class="field">
          <label for="customer-search">{t("staff_customers.search")}</label>
          <input id="customer-search" type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
          <p class="hint muted">{t("staff_customers.search_hint")}</p>
        </div>
        <div class="field">
          <label for="customer-status">{t("staff_customers.portal_status")}</label>
          <select id="customer-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">{t("staff_customers.status_any")}</option>
            {PORTAL_STATUSES.map((value) => (
              <option key={value} value={value}>
                {t(`staff_customers.status.${value}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="console-search-submit">
          <button type="submit" class="button-primary">
            {t("staff_customers.search_button")}
          </button>
        </div>
      </form>
      <section class="card table-wrap" aria-labelledby="customers-heading" aria-busy={page.loading}>
        <h2 id="customers-heading" class="visually-hidden">
          {t("staff_customers.results")}
        </h2>
        {page.error && <ErrorMessage error={page.error} />}
        {page.loading && !page.data && <Loading />}
        {page.data && page.data.items.length === 0 && <p class="empty">{t("staff_customers.none_found")}</p>}
        {page.data && page.data.items.length > 0 && (
          <table class="console-table">
            <thead>
              <tr>
                <th scope="col">
                  <span class="visually-hidden">{t("staff_customers.select")}</span>
                </th>
                <th scope="col">{t("staff_customers.name")}</th>
                <th scope="col">{t("staff_customers.email")}</th>
                <th scope="col">{t("staff_customers.currency")}</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((customer) => (
                <tr key={customer.customer_id}>
                  <td>
                    <input
                      type="checkbox"
                      class="console-check"
                      checked={selected.has(customer.customer_id)}
                      onChange={() => toggle(customer.customer_id)}
                      aria-label={t("staff_customers.select_customer", { name: customer.display_name })}
                    />
                  </td>
                  <th scope="row">
                    <a href={`/staff/customers/${encodeURIComponent(customer.customer_id)}`}>{customer.display_name}</a>
                    {customer.company_name && <span class="muted console-sub">{customer.company_name}</span>}
                  </th>
                  <td>{customer.email}</td>
                  <td>{customer.currency}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <Pager paging={paging} nextCursor={page.data?.next_cursor} loading={page.loading} />
      <div class="console-bulk">
        <button type="button" class="button-primary" disabled={selected.size === 0 || invite.busy} onClick={inviteSelected}>
          {t("staff_customers.invite_selected", { count: selected.size })}
        </button>
        <p class="hint muted">{t("staff_customers.invite_selected_hint")}</p>
        <Feedback outcome={invite.outcome} />
      </div>
    </>
  );
}
