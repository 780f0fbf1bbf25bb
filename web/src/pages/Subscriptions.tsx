import { call } from "../api";
import { PageTitle, StatusBadge, useAsync } from "../components/common";
import { ListCard } from "../components/Paging";
import { formatDateTime, formatMoney } from "../format";
import type { SubscriptionSummary } from "../subscriptions";

export function Subscriptions() {
  const list = useAsync(() => call<{ items: SubscriptionSummary[] }>("/subscriptions"), []);
  return (
    <>
      <PageTitle>Subscriptions</PageTitle>
      <ListCard list={list} emptyText="You have no subscriptions.">
        <table class="subscriptions">
          <caption class="visually-hidden">Your subscriptions</caption>
          <thead>
            <tr>
              <th scope="col">Plan</th>
              <th scope="col">Status</th>
              <th scope="col">Next renewal</th>
              <th scope="col" class="num">Next invoice</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((sub) => (
              <tr key={sub.subscription_id}>
                <th scope="row" data-label="Plan">
                  <a href={`/subscriptions/${sub.subscription_id}`}>{sub.plan_name}</a>
                </th>
                <td data-label="Status">
                  <StatusBadge status={sub.status} />
                </td>
                <td data-label="Next renewal">{sub.next_renewal_at ? formatDateTime(sub.next_renewal_at) : "—"}</td>
                <td data-label="Next invoice" class="num">
                  {sub.next_invoice_amount ? formatMoney(sub.next_invoice_amount) : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListCard>
    </>
  );
}
