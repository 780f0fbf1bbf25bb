import { useState } from "preact/hooks";
import { call, type EstimatePage } from "../api";
import { PageTitle, StatusBadge, useAsync } from "../components/common";
import { ListCard, pageQuery, Pager, useCursors } from "../components/Paging";
import { formatDate, formatMoney } from "../format";

export function Estimates() {
  const [status, setStatus] = useState("");
  const paging = useCursors();
  const { cursor, page } = paging;

  const list = useAsync(() => {
    return call<EstimatePage>(`/estimates?${pageQuery(cursor, { status })}`);
  }, [status, cursor]);

  return (
    <>
      <PageTitle>Estimates</PageTitle>
      <div class="filters">
        <div class="field">
          <label for="status">Status</label>
          <select id="status" value={status} onChange={(e) => { setStatus(e.currentTarget.value); paging.restart(); }}>
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

      <ListCard list={list} emptyText="No estimates match this filter.">
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
            {list.data?.items.map((estimate) => (
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
      </ListCard>

      <Pager paging={paging} nextCursor={list.data?.next_cursor} loading={list.loading} />
    </>
  );
}
