// A contact's own details (name, phone, language, sign-in email) and, for the primary contact, the
// customer's addresses and contact persons. Placeholder until self-service lands.
import { PageTitle } from "../components/common";
import { t } from "../i18n";

export function Profile() {
  return <PageTitle>{t("common.nav.profile")}</PageTitle>;
}
