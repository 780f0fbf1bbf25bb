// The staff console's customer and invoice calls: the customers service (search, details, contacts),
// the auth service (invitations, access, MFA reset, sign-up links) and the invoices service.
import { call, type Address, type InvoiceSummary, type Money } from "../../api";

export type PortalStatus = "not_invited" | "invited" | "active" | "disabled";
export const PORTAL_STATUSES: PortalStatus[] = ["not_invited", "invited", "active", "disabled"];

export interface StaffCustomer {
  customer_id: string;
  display_name: string;
  company_name: string | null;
  email: string;
  phone: string | null;
  currency: string;
  billing_address: Address | null;
}

export interface StaffContact {
  contact_id: string;
  customer_id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  is_primary: boolean;
  portal_status: PortalStatus | null;
}

export interface CustomerPage {
  items: StaffCustomer[];
  next_cursor: string | null;
}

export interface CustomerDetail {
  customer: StaffCustomer;
  contacts: StaffContact[];
  receivables: { outstanding: Money[]; overdue: Money[]; open_count: number; overdue_count: number };
  available_credit: Money;
}

export interface Invitation {
  customer_id: string;
  contact_id: string;
  email: string;
  status: "invited" | "already_active" | "access_disabled";
}

export interface SignupLink {
  customer_id: string;
  url: string;
  expires_at: string;
}

export interface InvoicePage {
  items: InvoiceSummary[];
  next_cursor: string | null;
}

export interface DraftLine {
  description: string;
  quantity: string;
  unit_price: number; // minor units
  tax_name: string | null;
  tax_rate_bps: number;
}

export interface StaffInvoice {
  invoice_id: string;
  number: string;
  status: string;
  total: Money;
  amount_due: Money;
}

const json = (method: string, body: unknown): RequestInit => ({ method, body: JSON.stringify(body) });
const customerPath = (customerId: string) => `/staff/customers/${encodeURIComponent(customerId)}`;
const contactPath = (customerId: string, contactId: string) =>
  `${customerPath(customerId)}/contacts/${encodeURIComponent(contactId)}`;

export function searchCustomers(q: string, status: string, cursor: string | null, limit = 20): Promise<CustomerPage> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (q.trim()) params.set("q", q.trim());
  if (status) params.set("status", status);
  if (cursor) params.set("cursor", cursor);
  return call<CustomerPage>(`/staff/customers?${params}`);
}

export const customerDetail = (customerId: string) => call<CustomerDetail>(customerPath(customerId));

export const addContact = (
  customerId: string,
  body: { first_name: string; last_name: string; email: string; is_primary: boolean },
) => call<StaffContact>(`${customerPath(customerId)}/contacts`, json("POST", body));

export const inviteContact = (customerId: string, contactId: string) =>
  call<Invitation>(`${contactPath(customerId, contactId)}/invitation`, { method: "POST", body: "{}" });

export const inviteCustomers = (customerIds: string[]) =>
  call<{ invitations: Invitation[] }>("/staff/invitations", json("POST", { customer_ids: customerIds }));

export const setContactAccess = (customerId: string, contactId: string, enabled: boolean) =>
  call<{ enabled: boolean }>(`${contactPath(customerId, contactId)}/access`, json("PUT", { enabled }));

export const setCustomerAccess = (customerId: string, enabled: boolean) =>
  call<{ enabled: boolean; contacts_signed_out: number }>(`${customerPath(customerId)}/portal-access`, json("PUT", { enabled }));

export const resetMfa = (customerId: string, contactId: string) =>
  call<void>(`${contactPath(customerId, contactId)}/mfa/reset`, { method: "POST", body: "{}" });

export const createSignupLink = (customerId: string) =>
  call<SignupLink>(`${customerPath(customerId)}/signup-link`, { method: "POST", body: "{}" });

export function customerInvoices(customerId: string, cursor: string | null): Promise<InvoicePage> {
  const params = new URLSearchParams({ limit: "20" });
  if (cursor) params.set("cursor", cursor);
  return call<InvoicePage>(`${customerPath(customerId)}/invoices?${params}`);
}

export const createDraft = (body: {
  customer_id: string;
  currency: string;
  issue_date: string;
  payment_terms_days: number;
  lines: DraftLine[];
}) => call<StaffInvoice>("/staff/invoices", json("POST", body));

const invoicePath = (invoiceId: string) => `/staff/invoices/${encodeURIComponent(invoiceId)}`;

export const issueInvoice = (invoiceId: string) =>
  call<StaffInvoice>(`${invoicePath(invoiceId)}/issue`, { method: "POST", body: "{}" });

export const voidInvoice = (invoiceId: string) =>
  call<StaffInvoice>(`${invoicePath(invoiceId)}/void`, { method: "POST", body: "{}" });

export const recordPayment = (invoiceId: string, body: { amount: number; paid_on: string; method: string; reference?: string }) =>
  call<StaffInvoice>(`${invoicePath(invoiceId)}/payments`, json("POST", body));
