// The business's console: the pages shown to the `staff` group, each owned by its area's folder.
import { Layout } from "../components/Layout";
import { PageTitle } from "../components/common";
import { t } from "../i18n";
import { NotificationSettings, StaffActivity } from "../pages/ActivityStaff";
import { CustomerPage, CustomersPage } from "./customers/Customers";
import { BrandingPage } from "./settings/Branding";
import { PortalSettingsPage } from "./settings/PortalSettings";
import { StaffSubscriptionsPage } from "./subscriptions/StaffSubscriptions";

const SECTIONS: { href: string; label: string }[] = [
  { href: "/staff/customers", label: "common.staff.customers" },
  { href: "/staff/subscriptions", label: "common.staff.subscriptions" },
  { href: "/staff/settings", label: "common.staff.settings" },
  { href: "/staff/branding", label: "common.staff.branding" },
  { href: "/staff/activity", label: "common.staff.activity" },
  { href: "/staff/notifications", label: "common.staff.notifications" },
];

function staffPage(path: string) {
  const customer = path.match(/^\/staff\/customers\/([^/]+)$/);
  if (path === "/" || path === "/staff" || path === "/staff/customers") return <CustomersPage />;
  if (customer) return <CustomerPage key={customer[1]} customerId={decodeURIComponent(customer[1])} />;
  if (path === "/staff/subscriptions") return <StaffSubscriptionsPage />;
  if (path === "/staff/settings") return <PortalSettingsPage />;
  if (path === "/staff/branding") return <BrandingPage />;
  if (path === "/staff/activity") return <StaffActivity />;
  if (path === "/staff/notifications") return <NotificationSettings />;
  return <PageTitle>{t("common.page_not_found")}</PageTitle>;
}

export function StaffConsole({ path }: { path: string }) {
  const current = (href: string) => (path.startsWith(href) ? "page" : undefined);
  return (
    <Layout path={path} customerName={null} invoicesEnabled={false} paymentsEnabled={false}>
      <nav aria-label={t("common.nav.staff")} class="filters">
        {SECTIONS.map(({ href, label }) => (
          <a key={href} href={href} aria-current={current(href)}>
            {t(label)}
          </a>
        ))}
      </nav>
      {staffPage(path)}
    </Layout>
  );
}
