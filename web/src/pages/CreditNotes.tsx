import { useState } from "preact/hooks";
import {
  call,
  type CreditNotePage,
  type CreditNoteRequest,
  type CreditNoteRequestPage,
  type Dashboard,
  type InvoicePage,
} from "../api";
import { ErrorMessage, PageTitle, StatusBadge, useAsync } from "../components/common";
import { ListCard, pageQuery, Pager, useCursors } from "../components/Paging";
import { formatDate, formatDateTime, formatMoney, parseAmount } from "../format";
import { t } from "../i18n";

export function CreditNotes({ portal }: { portal: Dashboard["portal"] }) {
  const [status, setStatus] = useState("");
  const paging = useCursors();
  const { cursor, page } = paging;
  const [requestsVersion, setRequestsVersion] = useState(0);
  const list = useAsync(() => call<CreditNotePage>(`/credit-notes?${pageQuery(cursor, { status })}`), [status, cursor]);
  const requests = useAsync(() => call<CreditNoteRequestPage>("/credit-note-requests"), [requestsVersion]);
  const preselected = new URLSearchParams(location.search).get("invoice");
  const canRequest = portal.actions.request_credit_notes !== false;

  return (
    <>
      <PageTitle>{t("credit_notes.title")}</PageTitle>
      <div class="filters">
        <div class="field">
          <label for="status">{t("documents.filter.status")}</label>
          <select id="status" value={status} onChange={(e) => { setStatus(e.currentTarget.value); paging.restart(); }}>
            <option value="">{t("documents.filter.all")}</option>
            <option value="open">{t("status.open")}</option>
            <option value="closed">{t("status.closed")}</option>
            <option value="void">{t("status.void")}</option>
          </select>
        </div>
      </div>

      <ListCard list={list} emptyText={t("credit_notes.empty")}>
        <table class="credit-notes">
          <caption class="visually-hidden">{t("credit_notes.caption", { page })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("documents.col.number")}</th>
              <th scope="col">{t("documents.col.date")}</th>
              <th scope="col">{t("documents.col.invoice")}</th>
              <th scope="col">{t("documents.col.status")}</th>
              <th scope="col" class="num">{t("documents.col.total")}</th>
              <th scope="col" class="num">{t("documents.col.remaining")}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((note) => (
              <tr key={note.credit_note_id}>
                <th scope="row" data-label={t("documents.col.number")}>
                  <a href={`/credit-notes/${note.credit_note_id}`}>{note.number}</a>
                </th>
                <td data-label={t("documents.col.date")}>{formatDate(note.issue_date)}</td>
                <td data-label={t("documents.col.invoice")}>{note.invoice_number ?? t("common.dash")}</td>
                <td data-label={t("documents.col.status")}>
                  <StatusBadge status={note.status} />
                </td>
                <td data-label={t("documents.col.total")} class="num">{formatMoney(note.total)}</td>
                <td data-label={t("documents.col.remaining")} class="num">{formatMoney(note.remaining)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListCard>
      <Pager paging={paging} nextCursor={list.data?.next_cursor} loading={list.loading} />

      {canRequest && <RequestForm preselected={preselected} onSent={() => setRequestsVersion((v) => v + 1)} />}

      <section class="card" aria-labelledby="requests-title">
        <h2 id="requests-title" class="card-heading">
          {t("credit_notes.requests")}
        </h2>
        {requests.error && <ErrorMessage error={requests.error} />}
        {requests.data && requests.data.items.length === 0 && <p class="muted">{t("credit_notes.no_requests")}</p>}
        {requests.data && requests.data.items.length > 0 && (
          <table class="credit-requests">
            <caption class="visually-hidden">{t("credit_notes.requests_caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("credit_notes.asked")}</th>
                <th scope="col">{t("documents.col.invoice")}</th>
                <th scope="col">{t("documents.col.reason")}</th>
                <th scope="col">{t("documents.col.status")}</th>
                <th scope="col" class="num">{t("documents.amount")}</th>
              </tr>
            </thead>
            <tbody>
              {requests.data.items.map((request) => (
                <RequestRow key={request.request_id} request={request} />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function RequestRow({ request }: { request: CreditNoteRequest }) {
  return (
    <tr>
      <td data-label={t("credit_notes.asked")}>{formatDateTime(request.created_at)}</td>
      <td data-label={t("documents.col.invoice")}>
        <a href={`/invoices/${request.invoice_id}`}>{request.invoice_number}</a>
      </td>
      <td data-label={t("documents.col.reason")}>
        {request.reason}
        {request.answer && <div class="muted">{t("credit_notes.answer", { answer: request.answer })}</div>}
      </td>
      <td data-label={t("documents.col.status")}>
        {request.credit_note_id ? (
          <a href={`/credit-notes/${request.credit_note_id}`}>
            <StatusBadge status={request.status} />
          </a>
        ) : (
          <StatusBadge status={request.status} />
        )}
      </td>
      <td data-label={t("documents.amount")} class="num">{formatMoney(request.amount)}</td>
    </tr>
  );
}

function RequestForm({ preselected, onSent }: { preselected: string | null; onSent: () => void }) {
  const invoices = useAsync(() => call<InvoicePage>("/invoices?limit=100"), []);
  const [invoiceId, setInvoiceId] = useState(preselected ?? "");
  const [amount, setAmount] = useState("");
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [sent, setSent] = useState(false);
  const creditable = (invoices.data?.items ?? []).filter((invoice) => invoice.status !== "void");
  const chosen = creditable.find((invoice) => invoice.invoice_id === invoiceId);
  const minor = chosen ? parseAmount(amount, chosen.total.currency) : null;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!chosen || minor === null) return;
    setBusy(true);
    setError(null);
    setSent(false);
    try {
      await call("/credit-note-requests", {
        method: "POST",
        body: JSON.stringify({ invoice_id: chosen.invoice_id, amount: minor, reason }),
      });
      setSent(true);
      setAmount("");
      setReason("");
      onSent();
    } catch (failure) {
      setError(failure as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card no-print" aria-labelledby="request-title">
      <h2 id="request-title" class="card-heading">
        {t("credit_notes.request_title")}
      </h2>
      <form onSubmit={submit}>
        <div class="field">
          <label for="credit-invoice">{t("documents.col.invoice")}</label>
          <select id="credit-invoice" required value={invoiceId} onChange={(e) => setInvoiceId(e.currentTarget.value)}>
            <option value="">{t("credit_notes.choose_invoice")}</option>
            {creditable.map((invoice) => (
              <option key={invoice.invoice_id} value={invoice.invoice_id}>
                {t("credit_notes.invoice_option", { number: invoice.number, amount: formatMoney(invoice.total) })}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="credit-amount">{chosen ? t("credit_notes.amount_in", { currency: chosen.total.currency }) : t("documents.amount")}</label>
          <input id="credit-amount" inputMode="decimal" required value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="credit-reason">{t("documents.col.reason")}</label>
          <textarea id="credit-reason" required maxLength={1000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
        <button type="submit" class="button-primary" disabled={busy || !chosen || minor === null || minor <= 0 || !reason.trim()}>
          {t("credit_notes.send_request")}
        </button>
      </form>
      {sent && (
        <p class="notice" role="status">
          {t("credit_notes.request_sent")}
        </p>
      )}
      {error && <ErrorMessage error={error} />}
    </section>
  );
}
