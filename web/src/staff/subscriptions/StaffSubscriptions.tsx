// Staff: subscriptions, catalog and rules. Placeholder until it lands.
import { PageTitle } from "../../components/common";
import { t } from "../../i18n";

export function StaffSubscriptionsPage() {
  return <PageTitle>{t("staff_subscriptions.title")}</PageTitle>;
}
