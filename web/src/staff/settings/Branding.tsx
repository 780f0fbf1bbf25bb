// Staff: logo, brand colour, portal name, footer links. Placeholder until it lands.
import { PageTitle } from "../../components/common";
import { t } from "../../i18n";

export function BrandingPage() {
  return <PageTitle>{t("common.staff.branding")}</PageTitle>;
}
