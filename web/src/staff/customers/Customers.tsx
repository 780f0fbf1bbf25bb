// Staff: the customers list (search by name, email, status) and a customer's page. Placeholder
// until the console's customers pages land.
import { PageTitle } from "../../components/common";
import { t } from "../../i18n";

export function CustomersPage() {
  return <PageTitle>{t("common.staff.customers")}</PageTitle>;
}

export function CustomerPage({ customerId }: { customerId: string }) {
  return <PageTitle>{customerId}</PageTitle>;
}
