import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, call, type ActivityItem, type ActivityPage } from "../api";
import { ACTIVITY_READ_EVENT } from "../components/ActivityLink";
import { ErrorMessage, PageTitle } from "../components/common";
import { navigate } from "../router";
import { t } from "../i18n";
import { formatDateTime, formatNumber } from "../format";

const PAGE_SIZE = 10;

/** What happened on the customer's account, newest first: invoices issued, viewed, paid … */
export function Activity() {
  const [items, setItems] = useState<ActivityItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [unread, setUnread] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | null>(null);

  // Only the latest request may change the page (e.g. "Mark all as read" while a page is loading).
  const latest = useRef(0);
  const load = async (after: string | null) => {
    const request = ++latest.current;
    setLoading(true);
    setError(null);
    try {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (after) query.set("cursor", after);
      const page = await call<ActivityPage>(`/activity?${query}`);
      if (request !== latest.current) return;
      setItems((previous) => (after ? [...previous, ...page.items] : page.items));
      setCursor(page.next_cursor);
      setUnread(page.unread_count);
    } catch (failure) {
      if (request !== latest.current) return;
      if (failure instanceof ApiError && failure.status === 401) navigate("/login", true);
      else setError(failure as Error);
    } finally {
      if (request === latest.current) setLoading(false);
    }
  };

  useEffect(() => {
    load(null);
  }, []);

  const markRead = async () => {
    try {
      const result = await call<{ unread_count: number }>("/activity/read", { method: "POST", body: "{}" });
      latest.current++; // a page still on its way carries the old read flags: drop it
      setLoading(false);
      setUnread(result.unread_count);
      setItems((previous) => previous.map((item) => ({ ...item, read: true })));
      window.dispatchEvent(new Event(ACTIVITY_READ_EVENT));
    } catch (failure) {
      setError(failure as Error);
    }
  };

  return (
    <>
      <div class="title-row">
        <PageTitle>{t("activity.title")}</PageTitle>
        <span class="muted" role="status">
          {unread === 0 ? t("activity.caught_up") : t("activity.unread", { count: unread >= 100 ? `${formatNumber(99)}+` : formatNumber(unread) })}
        </span>
        {unread > 0 && (
          <button type="button" class="button-secondary" onClick={markRead}>
            {t("activity.mark_read")}
          </button>
        )}
      </div>
      {error && <ErrorMessage error={error} />}
      <section class="card" aria-busy={loading ? "true" : "false"} aria-label={t("activity.title")}>
        <ul class="plain-list">
          {items.map((item) => (
            <li key={item.activity_id} class={item.read ? undefined : "strong"}>
              {!item.read && <span class="badge badge-sent">{t("activity.new")}</span>}{" "}
              {item.link ? <a href={item.link}>{item.title}</a> : item.title}
              <span class="muted" style={{ display: "block", fontWeight: "normal" }}>
                <time dateTime={item.occurred_at}>{formatDateTime(item.occurred_at)}</time>
              </span>
            </li>
          ))}
        </ul>
        {!loading && items.length === 0 && !error && <p class="empty">{t("activity.empty")}</p>}
        {loading && items.length === 0 && <p class="empty">{t("common.loading")}</p>}
      </section>
      {cursor && (
        <button type="button" class="button-secondary" disabled={loading} onClick={() => load(cursor)}>
          {t("activity.older")}
        </button>
      )}
    </>
  );
}
