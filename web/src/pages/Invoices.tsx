import { useState } from "preact/hooks";
import { call, type Dashboard, type InvoicePage, type InvoiceSummary } from "../api";
import { PageTitle, StatusBadge, useAsync } from "../components/common";
import { ListCard, pageQuery, Pager, SORTS, SortField, useCursors } from "../components/Paging";
import { formatDate, formatMoney } from "../format";
import { navigate } from "../router";

const payable = (invoice: InvoiceSummary) => invoice.status !== "void" && invoice.amount_due.amount > 0;

export function Invoices({ portal }: { portal: Dashboard["portal"] }) {
  const canPay = portal.modules.payments !== false && portal.actions.pay_invoices !== false;
  // Chosen invoices to pay together; kept across pages and filters.
  const [selected, setSelected] = useState<Map<string, InvoiceSummary>>(new Map());
  const [status, setStatus] = useState("");
  const [sortKey, setSortKey] = useState("newest");
  const paging = useCursors();
  const { cursor, page, restart } = paging;

  const list = useAsync(() => {
    const { sort, order } = SORTS[sortKey];
    return call<InvoicePage>(`/invoices?${pageQuery(cursor, { sort, order, status })}`);
  }, [status, sortKey, cursor]);

  const toggle = (invoice: InvoiceSummary, on: boolean) => {
    const next = new Map(selected);
    if (on) next.set(invoice.invoice_id, invoice);
    else next.delete(invoice.invoice_id);
    setSelected(next);
  };
  const selectedTotals = new Map<string, number>();
  for (const invoice of selected.values())
    selectedTotals.set(invoice.amount_due.currency, (selectedTotals.get(invoice.amount_due.currency) ?? 0) + invoice.amount_due.amount);

  return (
    <>
      <PageTitle>Invoices</PageTitle>
      <div class="filters">
        <div class="field">
          <label for="status">Status</label>
          <select id="status" value={status} onChange={(e) => { setStatus(e.currentTarget.value); restart(); }}>
            <option value="">All</option>
            <option value="unpaid">Unpaid</option>
            <option value="partially_paid">Partially paid</option>
            <option value="paid">Paid</option>
            <option value="overdue">Overdue</option>
            <option value="void">Void</option>
          </select>
        </div>
        <SortField id="sort" value={sortKey} onChange={(key) => { setSortKey(key); restart(); }} />
      </div>

      {canPay && (
        <div class="selection-bar" role="region" aria-label="Pay several invoices">
          <span class="muted" role="status">
            {selected.size === 0
              ? "Select open invoices to pay them together."
              : `${selected.size} selected: ${[...selectedTotals].map(([currency, amount]) => formatMoney({ amount, currency })).join(", ")}`}
          </span>
          {selected.size > 0 && (
            <button type="button" class="button-secondary" onClick={() => setSelected(new Map())}>
              Clear selection
            </button>
          )}
          <button type="button" class="button-primary" disabled={selected.size === 0}
            onClick={() => navigate(`/pay?invoices=${[...selected.keys()].map(encodeURIComponent).join(",")}`)}>
            Pay selected
          </button>
        </div>
      )}

      <ListCard list={list} emptyText="No invoices match this filter.">
        <table class="invoices">
          <caption class="visually-hidden">Your invoices, page {page}</caption>
          <thead>
            <tr>
              {canPay && (
                <th scope="col">
                  <span class="visually-hidden">Select</span>
                </th>
              )}
              <th scope="col">Number</th>
              <th scope="col">Date</th>
              <th scope="col">Due date</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">Total</th>
              <th scope="col" class="num">Amount due</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((invoice) => (
              <tr key={invoice.invoice_id}>
                {canPay && (
                  <td data-label="Select" class="select-cell">
                    {payable(invoice) && (
                      <input type="checkbox" aria-label={`Select invoice ${invoice.number}`} checked={selected.has(invoice.invoice_id)}
                        onChange={(e) => toggle(invoice, e.currentTarget.checked)} />
                    )}
                  </td>
                )}
                <th scope="row" data-label="Number">
                  <a href={`/invoices/${invoice.invoice_id}`}>{invoice.number}</a>
                </th>
                <td data-label="Date">{formatDate(invoice.issue_date)}</td>
                <td data-label="Due date">{formatDate(invoice.due_date)}</td>
                <td data-label="Status">
                  <StatusBadge status={invoice.status} />
                </td>
                <td data-label="Total" class="num">{formatMoney(invoice.total)}</td>
                <td data-label="Amount due" class="num">{formatMoney(invoice.amount_due)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListCard>

      <Pager paging={paging} nextCursor={list.data?.next_cursor} loading={list.loading} />
    </>
  );
}
