import { useState } from "preact/hooks";
import { call, type EstimatePage } from "../api";
import { ErrorMessage, PageTitle, StatusBadge, useAsync } from "../components/common";
import { formatDate, formatMoney } from "../format";

const PAGE_SIZE = 10;

export function Estimates() {
  const [status, setStatus] = useState("");
  // Cursors of the pages before the current one, so "Previous page" can go back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1];

  const { data, error, loading } = useAsync(() => {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (status) query.set("status", status);
    if (cursor) query.set("cursor", cursor);
    return call<EstimatePage>(`/estimates?${query}`);
  }, [status, cursor]);
  const page = cursors.length;

  return (
    <>
      <PageTitle>Estimates</PageTitle>
      <div class="filters">
        <div class="field">
          <label for="status">Status</label>
          <select id="status" value={status} onChange={(e) => { setStatus(e.currentTarget.value); setCursors([null]); }}>
            <option value="">All</option>
            <option value="sent">Sent</option>
            <option value="viewed">Viewed</option>
            <option value="accepted">Accepted</option>
            <option value="declined">Declined</option>
            <option value="expired">Expired</option>
            <option value="invoiced">Invoiced</option>
          </select>
        </div>
      </div>

      {error && <ErrorMessage error={error} />}
      <div class="table-wrap card" aria-busy={loading ? "true" : "false"}>
        <table class="estimates">
          <caption class="visually-hidden">Your estimates, page {page}</caption>
          <thead>
            <tr>
              <th scope="col">Number</th>
              <th scope="col">Date</th>
              <th scope="col">Valid until</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">Total</th>
            </tr>
          </thead>
          <tbody>
            {data?.items.map((estimate) => (
              <tr key={estimate.estimate_id}>
                <th scope="row" data-label="Number">
                  <a href={`/estimates/${estimate.estimate_id}`}>{estimate.number}</a>
                </th>
                <td data-label="Date">{formatDate(estimate.issue_date)}</td>
                <td data-label="Valid until">{formatDate(estimate.expiry_date)}</td>
                <td data-label="Status">
                  <StatusBadge status={estimate.status} />
                </td>
                <td data-label="Total" class="num">{formatMoney(estimate.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {data && data.items.length === 0 && <p class="empty">No estimates match this filter.</p>}
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
