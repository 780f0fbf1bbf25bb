import { useState } from "preact/hooks";
import { call } from "../api";
import { PageTitle, useAsync } from "../components/common";
import { ListCard, pageQuery, Pager, SORTS, SortField, useCursors } from "../components/Paging";
import { formatDateTime, formatMoney } from "../format";
import { describeMethod, paymentStatusLabel, type PaymentPage } from "../payments";
import { t } from "../i18n";

export function PaymentStatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-payment-${status}`}>{paymentStatusLabel(status)}</span>;
}

/** The payments the customer made: invoice payments and advance payments (which became credit). */
export function Payments() {
  const [kind, setKind] = useState("");
  const [sortKey, setSortKey] = useState("newest");
  const paging = useCursors();
  const { cursor, page, restart } = paging;

  const list = useAsync(() => {
    const { sort, order } = SORTS[sortKey];
    return call<PaymentPage>(`/payments?${pageQuery(cursor, { sort, order, kind })}`);
  }, [kind, sortKey, cursor]);

  return (
    <>
      <PageTitle>{t("payments.title")}</PageTitle>
      <div class="filters">
        <div class="field">
          <label for="payment-kind">{t("payments.show")}</label>
          <select id="payment-kind" value={kind} onChange={(e) => { setKind(e.currentTarget.value); restart(); }}>
            <option value="">{t("payments.all")}</option>
            <option value="invoice">{t("payments.invoice_payments")}</option>
            <option value="advance">{t("payments.advance_payments")}</option>
          </select>
        </div>
        <SortField id="payment-sort" value={sortKey} onChange={(key) => { setSortKey(key); restart(); }} />
      </div>

      <ListCard list={list} emptyText={t("payments.empty")}>
        <table class="payments">
          <caption class="visually-hidden">{t("payments.caption", { page })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("documents.col.date")}</th>
              <th scope="col">{t("payments.paid_for")}</th>
              <th scope="col">{t("documents.col.method")}</th>
              <th scope="col">{t("documents.col.status")}</th>
              <th scope="col" class="num">{t("documents.amount")}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((payment) => (
              <tr key={payment.payment_id}>
                <th scope="row" data-label={t("documents.col.date")}>
                  <a href={`/payments/${payment.payment_id}`}>{formatDateTime(payment.created_at)}</a>
                </th>
                <td data-label={t("payments.paid_for")}>
                  {payment.kind === "advance" || payment.allocations.length === 0
                    ? t("payments.advance")
                    : payment.allocations.map((line) => line.invoice_number).join(" · ")}
                </td>
                <td data-label={t("documents.col.method")}>{describeMethod(payment.method)}</td>
                <td data-label={t("documents.col.status")}>
                  <PaymentStatusBadge status={payment.status} />
                </td>
                <td data-label={t("documents.amount")} class="num">{formatMoney(payment.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListCard>

      <Pager paging={paging} nextCursor={list.data?.next_cursor} loading={list.loading} />
    </>
  );
}
