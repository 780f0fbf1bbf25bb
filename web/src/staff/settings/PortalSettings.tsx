// Staff: portal modules, customer permissions, sign-in policy. Placeholder until it lands.
import { PageTitle } from "../../components/common";
import { t } from "../../i18n";

export function PortalSettingsPage() {
  return <PageTitle>{t("common.staff.settings")}</PageTitle>;
}
