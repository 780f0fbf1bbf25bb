import { call } from "../api";
import { PageTitle, StatusBadge, useAsync } from "../components/common";
import { ListCard } from "../components/Paging";
import { formatDateTime, formatMoney } from "../format";
import { t } from "../i18n";
import type { SubscriptionSummary } from "../subscriptions";

export function Subscriptions() {
  const list = useAsync(() => call<{ items: SubscriptionSummary[] }>("/subscriptions"), []);
  return (
    <>
      <PageTitle>{t("subscriptions.title")}</PageTitle>
      <ListCard list={list} emptyText={t("subscriptions.empty")}>
        <table class="subscriptions">
          <caption class="visually-hidden">{t("subscriptions.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("subscriptions.plan")}</th>
              <th scope="col">{t("subscriptions.status")}</th>
              <th scope="col">{t("subscriptions.next_renewal")}</th>
              <th scope="col" class="num">{t("subscriptions.next_invoice")}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((sub) => (
              <tr key={sub.subscription_id}>
                <th scope="row" data-label={t("subscriptions.plan")}>
                  <a href={`/subscriptions/${sub.subscription_id}`}>{sub.plan_name}</a>
                </th>
                <td data-label={t("subscriptions.status")}>
                  <StatusBadge status={sub.status} />
                </td>
                <td data-label={t("subscriptions.next_renewal")}>
                  {sub.next_renewal_at ? formatDateTime(sub.next_renewal_at) : "—"}
                </td>
                <td data-label={t("subscriptions.next_invoice")} class="num">
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
