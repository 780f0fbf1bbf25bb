import { render } from "preact";
import { useEffect } from "preact/hooks";
import { call, isSignedIn, restoreSession, signedInAsStaff, signedInContactId, type Dashboard as DashboardData } from "./api";
import { ErrorMessage, Loading, PageTitle, useAsync } from "./components/common";
import { Layout } from "./components/Layout";
import { Activity } from "./pages/Activity";
import { Credits } from "./pages/Credits";
import { Dashboard } from "./pages/Dashboard";
import { CreditNoteDetail } from "./pages/CreditNoteDetail";
import { CreditNotes } from "./pages/CreditNotes";
import { EstimateDetail } from "./pages/EstimateDetail";
import { Estimates } from "./pages/Estimates";
import { Statement } from "./pages/Statement";
import { InvoiceDetail } from "./pages/InvoiceDetail";
import { Invoices } from "./pages/Invoices";
import { Login } from "./pages/Login";
import { Pay } from "./pages/Pay";
import { PaymentDetail } from "./pages/PaymentDetail";
import { PaymentMethods } from "./pages/PaymentMethods";
import { Payments } from "./pages/Payments";
import { AcceptInvitation, ForgotPassword, ResetPassword, SignUp } from "./pages/Recovery";
import { Profile } from "./pages/Profile";
import { Security } from "./pages/Security";
import { SubscriptionDetail } from "./pages/SubscriptionDetail";
import { Subscriptions } from "./pages/Subscriptions";
import { SsoCallback } from "./pages/SsoCallback";
import { navigate, onLinkClick, usePath } from "./router";
import { adoptLocale, locale, onLocaleChange, t } from "./i18n";
import { StaffConsole } from "./staff/StaffConsole";
import { useState } from "preact/hooks";
import "./styles.css";

function SignedIn({ path }: { path: string }) {
  // Staff get the business's console; contacts get their customer's portal.
  return signedInAsStaff() ? <StaffConsole path={path} /> : <CustomerPortal path={path} contactId={signedInContactId()} />;
}

function CustomerPortal({ path, contactId }: { path: string; contactId: string | null }) {
  // The dashboard carries who the customer is and which modules are on; every page needs that.
  // Read again on coming back to the dashboard, so what was just paid shows there.
  const onDashboard = path === "/";
  const { data, error } = useAsync(() => call<DashboardData>("/dashboard"), [onDashboard]);
  // The contact's saved language, unless this device already chose one (the header's switcher).
  const language = data?.contacts.find((contact) => contact.contact_id === contactId)?.language;
  useEffect(() => adoptLocale(language), [language]);
  if (error)
    return (
      <Layout path={path} customerName={null} invoicesEnabled={false} paymentsEnabled={false}>
        <ErrorMessage error={error} />
      </Layout>
    );
  if (!data) return <Loading />;
  const invoicesEnabled = data.portal.modules.invoices !== false;
  const paymentsEnabled = data.portal.modules.payments !== false;
  const estimatesEnabled = data.portal.modules.estimates !== false;
  const statementsEnabled = data.portal.modules.statements !== false;
  const creditNotesEnabled = data.portal.modules.credit_notes !== false;
  const creditNoteMatch = path.match(/^\/credit-notes\/([^/]+)$/);
  const invoiceMatch = path.match(/^\/invoices\/([^/]+)$/);
  const paymentMatch = path.match(/^\/payments\/([^/]+)$/);
  const estimateMatch = path.match(/^\/estimates\/([^/]+)$/);
  const subscriptionsEnabled = data.portal.modules.subscriptions !== false;
  const subscriptionMatch = path.match(/^\/subscriptions\/([^/]+)$/);
  let page;
  if (path === "/") page = <Dashboard data={data} />;
  else if (invoicesEnabled && path === "/activity") page = <Activity />;
  else if (path === "/security") page = <Security />;
  else if (path === "/profile") page = <Profile />;
  else if (invoicesEnabled && path === "/invoices") page = <Invoices portal={data.portal} />;
  else if (invoicesEnabled && invoiceMatch)
    page = <InvoiceDetail key={invoiceMatch[1]} invoiceId={invoiceMatch[1]} portal={data.portal} />;
  else if (estimatesEnabled && path === "/estimates") page = <Estimates />;
  else if (estimatesEnabled && estimateMatch) page = (
      <EstimateDetail key={estimateMatch[1]} estimateId={estimateMatch[1]} portal={data.portal} />
    );
  else if (statementsEnabled && path === "/statement") page = <Statement />;
  else if (creditNotesEnabled && path === "/credit-notes")
    page = <CreditNotes key={location.search} portal={data.portal} />;
  else if (creditNotesEnabled && creditNoteMatch)
    page = <CreditNoteDetail key={creditNoteMatch[1]} creditNoteId={creditNoteMatch[1]} />;
  else if (subscriptionsEnabled && path === "/subscriptions") page = <Subscriptions />;
  else if (subscriptionsEnabled && subscriptionMatch)
    page = <SubscriptionDetail key={subscriptionMatch[1]} subscriptionId={subscriptionMatch[1]} />;
  else if (paymentsEnabled && path === "/pay") page = <Pay key={location.search} data={data} />;
  else if (paymentsEnabled && path === "/payments") page = <Payments />;
  else if (paymentsEnabled && paymentMatch) page = <PaymentDetail key={paymentMatch[1]} paymentId={paymentMatch[1]} />;
  else if (paymentsEnabled && path === "/credits") page = <Credits data={data} />;
  else if (paymentsEnabled && path === "/payment-methods") page = <PaymentMethods data={data} />;
  else page = <PageTitle>{t("common.page_not_found")}</PageTitle>;
  return (
    <Layout
      path={path}
      customerName={data.customer.display_name}
      invoicesEnabled={invoicesEnabled}
      paymentsEnabled={paymentsEnabled}
      estimatesEnabled={estimatesEnabled}
      statementsEnabled={statementsEnabled}
      creditNotesEnabled={creditNotesEnabled}
      subscriptionsEnabled={subscriptionsEnabled}
    >
      {page}
    </Layout>
  );
}

// Pages anyone may open: sign-in and the pages that emails link to.
const PUBLIC_PAGES: Record<string, () => preact.JSX.Element> = {
  "/login": () => <Login key="login" />,
  "/accept-invitation": () => <AcceptInvitation />,
  "/forgot-password": () => <ForgotPassword />,
  "/reset-password": () => <ResetPassword />,
  "/sso/callback": () => <SsoCallback />,
  "/sign-up": () => <SignUp />,
};

function App() {
  const path = usePath();
  // A language switch re-renders the whole tree (messages are read at render time).
  const [language, setLanguage] = useState(locale());
  useEffect(() => onLocaleChange(() => setLanguage(locale())), []);
  useEffect(() => {
    document.title = t("common.portal"); // the tab's name follows the language too
  }, [language]);
  const signedIn = isSignedIn();
  const publicPage = PUBLIC_PAGES[path];
  useEffect(() => {
    if (!signedIn && !publicPage) navigate("/login", true);
    if (signedIn && path === "/login") navigate("/", true);
  }, [path, signedIn]);
  if (publicPage && !(signedIn && path === "/login")) return publicPage();
  if (!signedIn) return <Login key="login" />;
  return <SignedIn path={path} />;
}

document.addEventListener("click", onLinkClick);
void restoreSession().then(() => render(<App />, document.getElementById("app")!));
