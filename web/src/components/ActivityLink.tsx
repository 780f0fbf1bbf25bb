import { useEffect, useState } from "preact/hooks";
import { call } from "../api";
import { t } from "../i18n";
import { formatNumber } from "../format";

/** Fired by the Activity page after "Mark all as read", so the nav badge updates at once. */
export const ACTIVITY_READ_EVENT = "portal:activity-read";

/** The "Activity" nav link with the caller's unread count (refreshed on navigation and after reading). */
export function ActivityLink({ path }: { path: string }) {
  const [unread, setUnread] = useState(0);
  useEffect(() => {
    let current = true;
    const load = () =>
      call<{ unread_count: number }>("/activity/unread").then(
        (result) => current && setUnread(result.unread_count),
        () => undefined,
      );
    load();
    window.addEventListener(ACTIVITY_READ_EVENT, load);
    return () => {
      current = false;
      window.removeEventListener(ACTIVITY_READ_EVENT, load);
    };
  }, [path]);
  const label = unread >= 100 ? `${formatNumber(99)}+` : formatNumber(unread);
  return (
    <a href="/activity" aria-current={path.startsWith("/activity") ? "page" : undefined}>
      {t("common.nav.activity")}
      {unread > 0 && (
        <span class="badge badge-sent" aria-label={t("common.nav.unread", { count: label })}>
          {label}
        </span>
      )}
    </a>
  );
}
