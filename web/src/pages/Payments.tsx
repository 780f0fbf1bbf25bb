import { useState } from "preact/hooks";
import { call } from "../api";
import { ErrorMessage, PageTitle, useAsync } from "../components/common";
import { formatDateTime, formatMoney } from "../format";
import { describeMethod, PAYMENT_STATUS_LABELS, type PaymentPage } from "../payments";

const PAGE_SIZE = 10;
const SORTS: Record<string, { label: string; sort: string; order: string }> = {
  newest: { label: "Newest first", sort: "date", order: "desc" },
  oldest: { label: "Oldest first", sort: "date", order: "asc" },
  amount_desc: { label: "Amount: high to low", sort: "amount", order: "desc" },
  amount_asc: { label: "Amount: low to high", sort: "amount", order: "asc" },
};

export function PaymentStatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-payment-${status}`}>{PAYMENT_STATUS_LABELS[status] ?? status}</span>;
}

/** The payments the customer made: invoice payments and advance payments (which became credit). */
export function Payments() {
  const [kind, setKind] = useState("");
  const [sortKey, setSortKey] = useState("newest");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];

  const { data, error, loading } = useAsync(() => {
    const { sort, order } = SORTS[sortKey];
    const query = new URLSearchParams({ sort, order, limit: String(PAGE_SIZE) });
    if (kind) query.set("kind", kind);
    if (cursor) query.set("cursor", cursor);
    return call<PaymentPage>(`/payments?${query}`);
  }, [kind, sortKey, cursor]);

  const restart = () => setCursors([null]);
  const page = cursors.length;

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
        <div class="field">
          <label for="payment-sort">Sort by</label>
          <select id="payment-sort" value={sortKey} onChange={(e) => { setSortKey(e.currentTarget.value); restart(); }}>
            {Object.entries(SORTS).map(([key, option]) => (
              <option key={key} value={key}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </div>

      {error && <ErrorMessage error={error} />}
      <div class="table-wrap card" aria-busy={loading ? "true" : "false"}>
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
            {data?.items.map((payment) => (
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
        {data && data.items.length === 0 && <p class="empty">No payments yet.</p>}
        {loading && !data && <p class="empty">Loading…</p>}
      </div>

      <nav class="pager" aria-label="Pages">
        <button type="button" class="button-secondary" disabled={page === 1 || loading}
          onClick={() => setCursors(cursors.slice(0, -1))}>
          Previous page
        </button>
        <span class="muted">Page {page}</span>
        <button type="button" class="button-secondary" disabled={!data?.next_cursor || loading}
          onClick={() => data?.next_cursor && setCursors([...cursors, data.next_cursor])}>
          Next page
        </button>
      </nav>
    </>
  );
}
