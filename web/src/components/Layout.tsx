import type { ComponentChildren } from "preact";
import { logout } from "../api";
import { ActivityLink } from "./ActivityLink";
import { BrandFooter, BrandMark } from "./Brand";
import { navigate } from "../router";
import { t } from "../i18n";

interface Props {
  path: string;
  customerName: string | null;
  invoicesEnabled: boolean;
  paymentsEnabled: boolean;
  estimatesEnabled?: boolean;
  creditNotesEnabled?: boolean;
  statementsEnabled?: boolean;
  subscriptionsEnabled?: boolean;
  children: ComponentChildren;
}

export function Layout({
  path,
  customerName,
  invoicesEnabled,
  paymentsEnabled,
  estimatesEnabled = false,
  creditNotesEnabled = false,
  statementsEnabled = false,
  subscriptionsEnabled = false,
  children,
}: Props) {
  const signOut = async () => {
    await logout().catch(() => undefined);
    navigate("/login", true);
  };
  const current = (href: string) => (href === "/" ? path === "/" : path.startsWith(href)) ? "page" : undefined;
  return (
    <>
      <a class="skip-link" href="#content">
        {t("common.skip_to_content")}
      </a>
      <header class="topbar no-print">
        <div class="topbar-inner">
          <BrandMark fallback={t("common.portal")} />
          {customerName && <span class="brand-customer">{customerName}</span>}
          <nav aria-label={t("common.nav.main")} class="nav">
            <a href="/" aria-current={current("/")}>
              {t("common.nav.dashboard")}
            </a>
            {invoicesEnabled && (
              <a href="/invoices" aria-current={current("/invoices")}>
                Invoices
              </a>
            )}
            {customerName && estimatesEnabled && (
              <a href="/estimates" aria-current={current("/estimates")}>
                Estimates
              </a>
            )}
            {customerName && creditNotesEnabled && (
              <a href="/credit-notes" aria-current={current("/credit-notes")}>
                Credit notes
              </a>
            )}
            {customerName && statementsEnabled && (
              <a href="/statement" aria-current={current("/statement")}>
                Statement
              </a>
            )}
            {customerName && subscriptionsEnabled && (
              <a href="/subscriptions" aria-current={current("/subscriptions")}>
                Subscriptions
              </a>
            )}
            {customerName && paymentsEnabled && (
              <>
                <a href="/payments" aria-current={path === "/pay" ? "page" : current("/payments")}>
                  Payments
                </a>
                <a href="/credits" aria-current={current("/credits")}>
                  Credit
                </a>
                <a href="/payment-methods" aria-current={current("/payment-methods")}>
                  Payment methods
                </a>
              </>
            )}
            {customerName && invoicesEnabled && <ActivityLink path={path} />}
            {customerName && (
              <a href="/profile" aria-current={current("/profile")}>
                {t("common.nav.profile")}
              </a>
            )}
            {customerName && (
              <a href="/security" aria-current={current("/security")}>
                Security
              </a>
            )}
          </nav>
          <button type="button" class="button-secondary" onClick={signOut}>
            {t("common.sign_out")}
          </button>
        </div>
      </header>
      <main id="content" class="container">
        {children}
      </main>
      <BrandFooter />
    </>
  );
}
