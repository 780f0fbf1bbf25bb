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
      <PageTitle>Credit notes</PageTitle>
      <div class="filters">
        <div class="field">
          <label for="status">Status</label>
          <select id="status" value={status} onChange={(e) => { setStatus(e.currentTarget.value); paging.restart(); }}>
            <option value="">All</option>
            <option value="open">Open</option>
            <option value="closed">Used</option>
            <option value="void">Void</option>
          </select>
        </div>
      </div>

      <ListCard list={list} emptyText="No credit notes match this filter.">
        <table class="credit-notes">
          <caption class="visually-hidden">Your credit notes, page {page}</caption>
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Date</th>
              <th scope="col">Invoice</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">Total</th>
              <th scope="col" class="num">Remaining</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((note) => (
              <tr key={note.credit_note_id}>
                <th scope="row" data-label="Number">
                  <a href={`/credit-notes/${note.credit_note_id}`}>{note.number}</a>
                </th>
                <td data-label="Date">{formatDate(note.issue_date)}</td>
                <td data-label="Invoice">{note.invoice_number ?? "—"}</td>
                <td data-label="Status">
                  <StatusBadge status={note.status} />
                </td>
                <td data-label="Total" class="num">{formatMoney(note.total)}</td>
                <td data-label="Remaining" class="num">{formatMoney(note.remaining)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListCard>
      <Pager paging={paging} nextCursor={list.data?.next_cursor} loading={list.loading} />

      {canRequest && <RequestForm preselected={preselected} onSent={() => setRequestsVersion((v) => v + 1)} />}

      <section class="card" aria-labelledby="requests-title">
        <h2 id="requests-title" class="card-heading">
          Your requests
        </h2>
        {requests.error && <ErrorMessage error={requests.error} />}
        {requests.data && requests.data.items.length === 0 && <p class="muted">You have not asked for a credit note.</p>}
        {requests.data && requests.data.items.length > 0 && (
          <table class="credit-requests">
            <caption class="visually-hidden">Your credit-note requests</caption>
            <thead>
              <tr>
                <th scope="col">Asked</th>
                <th scope="col">Invoice</th>
                <th scope="col">Reason</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">Amount</th>
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
      <td data-label="Asked">{formatDateTime(request.created_at)}</td>
      <td data-label="Invoice">
        <a href={`/invoices/${request.invoice_id}`}>{request.invoice_number}</a>
      </td>
      <td data-label="Reason">
        {request.reason}
        {request.answer && <div class="muted">Answer: {request.answer}</div>}
      </td>
      <td data-label="Status">
        {request.credit_note_id ? (
          <a href={`/credit-notes/${request.credit_note_id}`}>
            <StatusBadge status={request.status} />
          </a>
        ) : (
          <StatusBadge status={request.status} />
        )}
      </td>
      <td data-label="Amount" class="num">{formatMoney(request.amount)}</td>
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
        Request a credit note
      </h2>
      <form onSubmit={submit}>
        <div class="field">
          <label for="credit-invoice">Invoice</label>
          <select id="credit-invoice" required value={invoiceId} onChange={(e) => setInvoiceId(e.currentTarget.value)}>
            <option value="">Choose an invoice…</option>
            {creditable.map((invoice) => (
              <option key={invoice.invoice_id} value={invoice.invoice_id}>
                {invoice.number} — {formatMoney(invoice.total)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="credit-amount">Amount{chosen ? ` (${chosen.total.currency})` : ""}</label>
          <input id="credit-amount" inputMode="decimal" required value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="credit-reason">Reason</label>
          <textarea id="credit-reason" required maxLength={1000} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
        <button type="submit" class="button-primary" disabled={busy || !chosen || minor === null || minor <= 0 || !reason.trim()}>
          Send request
        </button>
      </form>
      {sent && (
        <p class="notice" role="status">
          Your request was sent. We will answer it soon.
        </p>
      )}
      {error && <ErrorMessage error={error} />}
    </section>
  );
}
