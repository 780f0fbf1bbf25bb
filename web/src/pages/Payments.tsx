import { useState } from "preact/hooks";
import { call } from "../api";
import { PageTitle, useAsync } from "../components/common";
import { ListCard, pageQuery, Pager, SORTS, SortField, useCursors } from "../components/Paging";
import { formatDateTime, formatMoney } from "../format";
import { describeMethod, paymentStatusLabel, type PaymentPage } from "../payments";

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
      <PageTitle>Payments</PageTitle>
      <div class="filters">
        <div class="field">
          <label for="payment-kind">Show</label>
          <select id="payment-kind" value={kind} onChange={(e) => { setKind(e.currentTarget.value); restart(); }}>
            <option value="">All payments</option>
            <option value="invoice">Invoice payments</option>
            <option value="advance">Advance payments</option>
          </select>
        </div>
        <SortField id="payment-sort" value={sortKey} onChange={(key) => { setSortKey(key); restart(); }} />
      </div>

      <ListCard list={list} emptyText="No payments yet.">
        <table class="payments">
          <caption class="visually-hidden">Your payments, page {page}</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Paid for</th>
              <th scope="col">Method</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">Amount</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((payment) => (
              <tr key={payment.payment_id}>
                <th scope="row" data-label="Date">
                  <a href={`/payments/${payment.payment_id}`}>{formatDateTime(payment.created_at)}</a>
                </th>
                <td data-label="Paid for">
                  {payment.kind === "advance" || payment.allocations.length === 0
                    ? "Advance payment"
                    : payment.allocations.map((line) => line.invoice_number).join(", ")}
                </td>
                <td data-label="Method">{describeMethod(payment.method)}</td>
                <td data-label="Status">
                  <PaymentStatusBadge status={payment.status} />
                </td>
                <td data-label="Amount" class="num">{formatMoney(payment.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListCard>

      <Pager paging={paging} nextCursor={list.data?.next_cursor} loading={list.loading} />
    </>
  );
}
