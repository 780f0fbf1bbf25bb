import { useState } from "preact/hooks";
import { call, type Dashboard, type InvoicePage, type InvoiceSummary } from "../api";
import { PageTitle, StatusBadge, useAsync } from "../components/common";
import { ListCard, pageQuery, Pager, SORTS, SortField, useCursors } from "../components/Paging";
import { formatDate, formatMoney } from "../format";
import { navigate } from "../router";
import { t } from "../i18n";

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
      <PageTitle>{t("invoices.title")}</PageTitle>
      <div class="filters">
        <div class="field">
          <label for="status">{t("documents.filter.status")}</label>
          <select id="status" value={status} onChange={(e) => { setStatus(e.currentTarget.value); restart(); }}>
            <option value="">{t("documents.filter.all")}</option>
            <option value="unpaid">{t("invoices.unpaid")}</option>
            <option value="partially_paid">{t("status.partially_paid")}</option>
            <option value="paid">{t("status.paid")}</option>
            <option value="overdue">{t("status.overdue")}</option>
            <option value="void">{t("status.void")}</option>
          </select>
        </div>
        <SortField id="sort" value={sortKey} onChange={(key) => { setSortKey(key); restart(); }} />
      </div>

      {canPay && (
        <div class="selection-bar" role="region" aria-label={t("invoices.pay_several")}>
          <span class="muted" role="status">
            {selected.size === 0
              ? t("invoices.select_hint")
              : t("invoices.selected", { count: selected.size, totals: [...selectedTotals].map(([currency, amount]) => formatMoney({ amount, currency })).join(" · ") })}
          </span>
          {selected.size > 0 && (
            <button type="button" class="button-secondary" onClick={() => setSelected(new Map())}>
              {t("invoices.clear_selection")}
            </button>
          )}
          <button type="button" class="button-primary" disabled={selected.size === 0}
            onClick={() => navigate(`/pay?invoices=${[...selected.keys()].map(encodeURIComponent).join(",")}`)}>
            {t("invoices.pay_selected")}
          </button>
        </div>
      )}

      <ListCard list={list} emptyText={t("invoices.empty")}>
        <table class="invoices">
          <caption class="visually-hidden">{t("invoices.caption", { page })}</caption>
          <thead>
            <tr>
              {canPay && (
                <th scope="col">
                  <span class="visually-hidden">{t("invoices.select")}</span>
                </th>
              )}
              <th scope="col">{t("documents.col.number")}</th>
              <th scope="col">{t("documents.col.date")}</th>
              <th scope="col">{t("documents.col.due_date")}</th>
              <th scope="col">{t("documents.col.status")}</th>
              <th scope="col" class="num">{t("documents.col.total")}</th>
              <th scope="col" class="num">{t("documents.col.amount_due")}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((invoice) => (
              <tr key={invoice.invoice_id}>
                {canPay && (
                  <td data-label={t("invoices.select")} class="select-cell">
                    {payable(invoice) && (
                      <input type="checkbox" aria-label={t("invoices.select_one", { number: invoice.number })} checked={selected.has(invoice.invoice_id)}
                        onChange={(e) => toggle(invoice, e.currentTarget.checked)} />
                    )}
                  </td>
                )}
                <th scope="row" data-label={t("documents.col.number")}>
                  <a href={`/invoices/${invoice.invoice_id}`}>{invoice.number}</a>
                </th>
                <td data-label={t("documents.col.date")}>{formatDate(invoice.issue_date)}</td>
                <td data-label={t("documents.col.due_date")}>{formatDate(invoice.due_date)}</td>
                <td data-label={t("documents.col.status")}>
                  <StatusBadge status={invoice.status} />
                </td>
                <td data-label={t("documents.col.total")} class="num">{formatMoney(invoice.total)}</td>
                <td data-label={t("documents.col.amount_due")} class="num">{formatMoney(invoice.amount_due)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListCard>

      <Pager paging={paging} nextCursor={list.data?.next_cursor} loading={list.loading} />
    </>
  );
}
