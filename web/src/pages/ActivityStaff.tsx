// Staff pages of the notifications service: the tenant-wide activity feed (filter by customer and
// type, unread count, mark read) and each staff member's notification settings.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, call, type ActivityItem, type ActivityPage } from "../api";
import { ErrorMessage, PageTitle, useAsync } from "../components/common";
import { navigate } from "../router";
import { has, t } from "../i18n";
import { formatDateTime, formatNumber } from "../format";

const PAGE_SIZE = 20;
// Every type the staff feed may hold (services/notifications/schemas.py ActivityType; a unit test keeps them in step).
export const ACTIVITY_TYPES = [
  "invoice_issued",
  "invoice_viewed",
  "payment_received",
  "payment_failed",
  "payment_refunded",
  "credit_created",
  "invoice_voided",
  "contact_joined",
  "estimate_accepted",
  "estimate_declined",
  "comment_added",
  "document_forwarded",
  "credit_note_issued",
  "credit_note_requested",
  "credit_note_answered",
  "security_changed",
  "customer_details_changed",
  "contact_added_by_customer",
  "subscription_changed",
];
const CHANNELS = ["email", "in_app", "none"];

/** An activity type's name in the current language (the raw type when a newer one is not in the catalog). */
export function activityTypeLabel(type: string): string {
  return has(`staff_activity.type.${type}`) ? t(`staff_activity.type.${type}`) : type;
}

interface Preferences {
  channels: Record<string, string>;
  options: { type: string; label: string; channel: string }[];
}

export function StaffActivity() {
  const [type, setType] = useState("");
  const [customer, setCustomer] = useState("");
  const [customerInput, setCustomerInput] = useState("");
  const [items, setItems] = useState<ActivityItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [unread, setUnread] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error | null>(null);

  // Only the latest request may change the page (a filter changed, or the feed was marked read,
  // while an older request was still on its way).
  const latest = useRef(0);
  const load = async (after: string | null) => {
    const request = ++latest.current;
    setLoading(true);
    setError(null);
    try {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (type) query.set("type", type);
      if (customer) query.set("customer_id", customer);
      if (after) query.set("cursor", after);
      const page = await call<ActivityPage>(`/staff/activity?${query}`);
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
  }, [type, customer]);

  const markRead = async () => {
    try {
      await call<{ unread_count: number }>("/staff/activity/read", { method: "POST", body: "{}" });
      await load(null); // the first page again, with its read flags and count as they are now
    } catch (failure) {
      setError(failure as Error);
    }
  };

  return (
    <>
      <div class="title-row">
        <PageTitle>{t("staff_activity.title")}</PageTitle>
        <span class="muted" role="status">
          {unread === 0 ? t("staff_activity.none_new") : t("staff_activity.new_count", { count: unread >= 100 ? `${formatNumber(99)}+` : formatNumber(unread) })}
        </span>
        {unread > 0 && (
          <button type="button" class="button-secondary" onClick={markRead}>
            {t("staff_activity.mark_read")}
          </button>
        )}
      </div>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setCustomer(customerInput.trim());
        }}
      >
        <div class="field">
          <label for="activity-type">{t("staff_activity.type")}</label>
          <select id="activity-type" value={type} onChange={(e) => setType(e.currentTarget.value)}>
            <option value="">{t("documents.filter.all")}</option>
            {ACTIVITY_TYPES.map((value) => (
              <option key={value} value={value}>
                {activityTypeLabel(value)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="activity-customer">{t("staff_activity.customer_id")}</label>
          <input id="activity-customer" value={customerInput} onInput={(e) => setCustomerInput(e.currentTarget.value)} />
        </div>
        <div class="field">
          <button type="submit" class="button-secondary">
            {t("staff_activity.filter")}
          </button>
        </div>
      </form>
      {error && <ErrorMessage error={error} />}
      <section class="card" aria-busy={loading ? "true" : "false"} aria-label={t("staff_activity.title")}>
        <ul class="plain-list">
          {items.map((item) => (
            <li key={item.activity_id} class={item.read ? undefined : "strong"}>
              {!item.read && <span class="badge badge-sent">{t("staff_activity.new")}</span>} {item.title}
              <span class="muted" style={{ display: "block", fontWeight: "normal" }}>
                {activityTypeLabel(item.type)} · <time dateTime={item.occurred_at}>{formatDateTime(item.occurred_at)}</time> ·{" "}
                <button
                  type="button"
                  class="button-secondary"
                  onClick={() => {
                    setCustomerInput(item.customer_id);
                    setCustomer(item.customer_id);
                  }}
                >
                  {t("staff_activity.only_customer")}
                </button>
              </span>
            </li>
          ))}
        </ul>
        {!loading && items.length === 0 && !error && <p class="empty">{t("staff_activity.empty")}</p>}
      </section>
      {cursor && (
        <button type="button" class="button-secondary" disabled={loading} onClick={() => load(cursor)}>
          {t("staff_activity.older")}
        </button>
      )}
    </>
  );
}

export function NotificationSettings() {
  const [channels, setChannels] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState("");
  const [failure, setFailure] = useState<Error | null>(null);
  const { data, error } = useAsync(() => call<Preferences>("/staff/notifications/preferences"), []);
  useEffect(() => {
    // Keep a choice made before this effect ran (the form shows as soon as the data is there).
    if (data) setChannels((chosen) => ({ ...data.channels, ...chosen }));
  }, [data]);

  const save = async (event: Event) => {
    event.preventDefault();
    setSaved("");
    setFailure(null);
    try {
      const result = await call<Preferences>("/staff/notifications/preferences", {
        method: "PUT",
        body: JSON.stringify({ channels }),
      });
      setChannels(result.channels);
      setSaved(t("staff_activity.saved"));
    } catch (problem) {
      setFailure(problem as Error);
    }
  };

  return (
    <>
      <PageTitle>{t("staff_activity.settings_title")}</PageTitle>
      <p class="muted">{t("staff_activity.settings_intro")}</p>
      {error && <ErrorMessage error={error} />}
      {data && (
        <form class="card" onSubmit={save}>
          {data.options.map((option) => (
            <div class="field" key={option.type} style={{ maxWidth: "none", marginBottom: "1rem" }}>
              <label for={`channel-${option.type}`}>{has(`staff_activity.preference.${option.type}`) ? t(`staff_activity.preference.${option.type}`) : option.label}</label>
              <select
                id={`channel-${option.type}`}
                value={channels[option.type] ?? option.channel}
                onChange={(e) => setChannels({ ...channels, [option.type]: e.currentTarget.value })}
              >
                {CHANNELS.map((value) => (
                  <option key={value} value={value}>
                    {t(`staff_activity.channel.${value}`)}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <button type="submit" class="button-primary">
            {t("staff_activity.save")}
          </button>{" "}
          <span role="status" class="muted">
            {saved}
          </span>
          {failure && <ErrorMessage error={failure} />}
        </form>
      )}
    </>
  );
}
