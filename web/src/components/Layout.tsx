import type { ComponentChildren } from "preact";
import { logout } from "../api";
import { ActivityLink } from "./ActivityLink";
import { BrandFooter, BrandMark } from "./Brand";
import { navigate } from "../router";
import { LOCALES, locale, setLocale, t, type Locale } from "../i18n";

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
                {t("common.nav.invoices")}
              </a>
            )}
            {customerName && estimatesEnabled && (
              <a href="/estimates" aria-current={current("/estimates")}>
                {t("common.nav.estimates")}
              </a>
            )}
            {customerName && creditNotesEnabled && (
              <a href="/credit-notes" aria-current={current("/credit-notes")}>
                {t("common.nav.credit_notes")}
              </a>
            )}
            {customerName && statementsEnabled && (
              <a href="/statement" aria-current={current("/statement")}>
                {t("common.nav.statement")}
              </a>
            )}
            {customerName && subscriptionsEnabled && (
              <a href="/subscriptions" aria-current={current("/subscriptions")}>
                {t("common.nav.subscriptions")}
              </a>
            )}
            {customerName && paymentsEnabled && (
              <>
                <a href="/payments" aria-current={path === "/pay" ? "page" : current("/payments")}>
                  {t("common.nav.payments")}
                </a>
                <a href="/credits" aria-current={current("/credits")}>
                  {t("common.nav.credits")}
                </a>
                <a href="/payment-methods" aria-current={current("/payment-methods")}>
                  {t("common.nav.payment_methods")}
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
                {t("common.nav.security")}
              </a>
            )}
          </nav>
          <LanguageSwitcher />
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

/** English / العربية: each name in its own language (so anyone finds theirs); the page turns at once. */
export function LanguageSwitcher() {
  return (
    <div class="language-switcher" role="group" aria-label={t("common.language")}>
      {(Object.keys(LOCALES) as Locale[]).map((code) => (
        <button
          key={code}
          type="button"
          class="link-button"
          lang={code}
          aria-pressed={locale() === code}
          onClick={() => setLocale(code)}
        >
          {LOCALES[code].name}
        </button>
      ))}
    </div>
  );
}

/** The top bar of the pages anyone may open (sign-in, password reset): the portal's name and the language switcher. */
export function PublicHeader() {
  return (
    <header class="topbar topbar-public no-print">
      <div class="topbar-inner">
        <span class="brand">{t("common.portal")}</span>
        <LanguageSwitcher />
      </div>
    </header>
  );
}
