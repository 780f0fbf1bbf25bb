import { render } from "preact";
import { useEffect } from "preact/hooks";
import { call, isSignedIn, type Dashboard as DashboardData } from "./api";
import { ErrorMessage, Loading, PageTitle, useAsync } from "./components/common";
import { Layout } from "./components/Layout";
import { Activity } from "./pages/Activity";
import { Dashboard } from "./pages/Dashboard";
import { InvoiceDetail } from "./pages/InvoiceDetail";
import { Invoices } from "./pages/Invoices";
import { Login } from "./pages/Login";
import { navigate, onLinkClick, usePath } from "./router";
import "./styles.css";

function SignedIn({ path }: { path: string }) {
  // The dashboard carries who the customer is and which modules are on; every page needs that.
  const { data, error } = useAsync(() => call<DashboardData>("/dashboard"), []);
  if (error) {
    // e.g. a staff member signing in here: staff pages do not exist yet, so say so and offer sign-out.
    return (
      <Layout path={path} customerName={null} invoicesEnabled={false}>
        <PageTitle>This portal is for customer contacts</PageTitle>
        <ErrorMessage error={error} />
      </Layout>
    );
  }
  if (!data) return <Loading />;
  const invoicesEnabled = data.portal.modules.invoices !== false;
  const invoiceMatch = path.match(/^\/invoices\/([^/]+)$/);
  let page;
  if (path === "/") page = <Dashboard data={data} />;
  else if (path === "/activity") page = <Activity />;
  else if (invoicesEnabled && path === "/invoices") page = <Invoices />;
  else if (invoicesEnabled && invoiceMatch) page = <InvoiceDetail key={invoiceMatch[1]} invoiceId={invoiceMatch[1]} />;
  else page = <PageTitle>Page not found</PageTitle>;
  return (
    <Layout path={path} customerName={data.customer.display_name} invoicesEnabled={invoicesEnabled}>
      {page}
    </Layout>
  );
}

function App() {
  const path = usePath();
  const signedIn = isSignedIn();
  useEffect(() => {
    if (!signedIn && path !== "/login") navigate("/login", true);
    if (signedIn && path === "/login") navigate("/", true);
  }, [path, signedIn]);
  if (!signedIn || path === "/login") return <Login key="login" />;
  return <SignedIn path={path} />;
}

document.addEventListener("click", onLinkClick);
render(<App />, document.getElementById("app")!);
