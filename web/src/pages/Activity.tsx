import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, call, type ActivityItem, type ActivityPage } from "../api";
import { ACTIVITY_READ_EVENT } from "../components/ActivityLink";
import { ErrorMessage, PageTitle } from "../components/common";
import { navigate } from "../router";

const PAGE_SIZE = 10;

function formatWhen(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

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
        <PageTitle>Activity</PageTitle>
        <span class="muted" role="status">
          {unread === 0 ? "All caught up" : `${unread >= 100 ? "99+" : unread} unread`}
        </span>
        {unread > 0 && (
          <button type="button" class="button-secondary" onClick={markRead}>
            Mark all as read
          </button>
        )}
      </div>
      {error && <ErrorMessage error={error} />}
      <section class="card" aria-busy={loading ? "true" : "false"} aria-label="Activity">
        <ul class="plain-list">
          {items.map((item) => (
            <li key={item.activity_id} class={item.read ? undefined : "strong"}>
              {!item.read && <span class="badge badge-sent">New</span>}{" "}
              {item.link ? <a href={item.link}>{item.title}</a> : item.title}
              <span class="muted" style={{ display: "block", fontWeight: "normal" }}>
                <time dateTime={item.occurred_at}>{formatWhen(item.occurred_at)}</time>
              </span>
            </li>
          ))}
        </ul>
        {!loading && items.length === 0 && !error && <p class="empty">Nothing has happened on your account yet.</p>}
        {loading && items.length === 0 && <p class="empty">Loading…</p>}
      </section>
      {cursor && (
        <button type="button" class="button-secondary" disabled={loading} onClick={() => load(cursor)}>
          Show older activity
        </button>
      )}
    </>
  );
}
