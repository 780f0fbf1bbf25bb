import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ErrorMessage } from "./common";
import { t } from "../i18n";

export const PAGE_SIZE = 10;

/** One page's query: the filters that are set (an empty one is left out), the page size and the cursor. */
export function pageQuery(cursor: string | null, filters: Record<string, string>): URLSearchParams {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const [name, value] of Object.entries(filters)) if (value) query.set(name, value);
  if (cursor) query.set("cursor", cursor);
  return query;
}

/** Cursor paging of a list: the cursors of the pages before the current one, so "Previous page" can go back. */
export function useCursors() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    cursor: cursors[cursors.length - 1],
    page: cursors.length,
    restart: () => setCursors([null]),
    previous: () => setCursors(cursors.slice(0, -1)),
    next: (cursor: string) => setCursors([...cursors, cursor]),
  };
}

export type Cursors = ReturnType<typeof useCursors>;

export function Pager({ paging, nextCursor, loading }: { paging: Cursors; nextCursor?: string | null; loading: boolean }) {
  return (
    <nav class="pager" aria-label={t("list.pages")}>
      <button type="button" class="button-secondary" disabled={paging.page === 1 || loading} onClick={paging.previous}>
        {t("list.previous")}
      </button>
      <span class="muted">{t("list.page", { page: paging.page })}</span>
      <button type="button" class="button-secondary" disabled={!nextCursor || loading}
        onClick={() => nextCursor && paging.next(nextCursor)}>
        {t("list.next")}
      </button>
    </nav>
  );
}

/** The sort orders of a list the API sorts by date or amount (invoices, payments). */
export const SORTS: Record<string, { sort: string; order: string }> = {
  newest: { sort: "date", order: "desc" },
  oldest: { sort: "date", order: "asc" },
  amount_desc: { sort: "amount", order: "desc" },
  amount_asc: { sort: "amount", order: "asc" },
};

export function SortField({ id, value, onChange }: { id: string; value: string; onChange: (key: string) => void }) {
  return (
    <div class="field">
      <label for={id}>{t("list.sort_by")}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        {Object.keys(SORTS).map((key) => (
          <option key={key} value={key}>
            {t(`list.sort.${key}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A list's table in its card, with the load error, "Loading…" and what to say when a page is empty. */
export function ListCard({ list, emptyText, children }: {
  list: { data: { items: unknown[] } | null; error: Error | null; loading: boolean };
  emptyText: string;
  children: ComponentChildren;
}) {
  return (
    <>
      {list.error && <ErrorMessage error={list.error} />}
      <div class="table-wrap card" aria-busy={list.loading ? "true" : "false"}>
        {children}
        {list.data && list.data.items.length === 0 && <p class="empty">{emptyText}</p>}
        {list.loading && !list.data && <p class="empty">{t("common.loading")}</p>}
      </div>
    </>
  );
}
