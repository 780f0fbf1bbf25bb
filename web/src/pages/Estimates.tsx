import { useState } from "preact/hooks";
import { call, type EstimatePage } from "../api";
import { PageTitle, StatusBadge, useAsync } from "../components/common";
import { ListCard, pageQuery, Pager, useCursors } from "../components/Paging";
import { formatDate, formatMoney } from "../format";
import { t } from "../i18n";

export function Estimates() {
  const [status, setStatus] = useState("");
  const paging = useCursors();
  const { cursor, page } = paging;

  const list = useAsync(() => {
    return call<EstimatePage>(`/estimates?${pageQuery(cursor, { status })}`);
  }, [status, cursor]);

  return (
    <>
      <PageTitle>{t("estimates.title")}</PageTitle>
      <div class="filters">
        <div class="field">
          <label for="status">{t("documents.filter.status")}</label>
          <select id="status" value={status} onChange={(e) => { setStatus(e.currentTarget.value); paging.restart(); }}>
            <option value="">{t("documents.filter.all")}</option>
            <option value="sent">{t("status.sent")}</option>
            <option value="viewed">{t("status.viewed")}</option>
            <option value="accepted">{t("status.accepted")}</option>
            <option value="declined">{t("status.declined")}</option>
            <option value="expired">{t("status.expired")}</option>
            <option value="invoiced">{t("status.invoiced")}</option>
          </select>
        </div>
      </div>

      <ListCard list={list} emptyText={t("estimates.empty")}>
        <table class="estimates">
          <caption class="visually-hidden">{t("estimates.caption", { page })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("documents.col.number")}</th>
              <th scope="col">{t("documents.col.date")}</th>
              <th scope="col">{t("documents.col.valid_until")}</th>
              <th scope="col">{t("documents.col.status")}</th>
              <th scope="col" class="num">{t("documents.col.total")}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.items.map((estimate) => (
              <tr key={estimate.estimate_id}>
                <th scope="row" data-label={t("documents.col.number")}>
                  <a href={`/estimates/${estimate.estimate_id}`}>{estimate.number}</a>
                </th>
                <td data-label={t("documents.col.date")}>{formatDate(estimate.issue_date)}</td>
                <td data-label={t("documents.col.valid_until")}>{formatDate(estimate.expiry_date)}</td>
                <td data-label={t("documents.col.status")}>
                  <StatusBadge status={estimate.status} />
                </td>
                <td data-label={t("documents.col.total")} class="num">{formatMoney(estimate.total)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListCard>

      <Pager paging={paging} nextCursor={list.data?.next_cursor} loading={list.loading} />
    </>
  );
}
