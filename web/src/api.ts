// The portal API client: the ID token in sessionStorage (the refresh token is an HttpOnly cookie no
// script can read; Cognito's access token never reaches the browser), one refresh on 401, errors as ApiError.
import { t } from "./i18n";
import { navigate } from "./router";

export interface Money {
  amount: number; // integer minor units
  currency: string;
}

export interface Address {
  line1: string | null;
  line2: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
}

export interface Contact {
  contact_id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  is_primary: boolean;
  portal_status: "not_invited" | "invited" | "active" | "disabled" | null;
  language?: string | null; // the contact's saved language (adopted on sign-in when the device has none)
}

export interface Dashboard {
  customer: {
    customer_id: string;
    display_name: string;
    company_name: string | null;
    email: string;
    phone: string | null;
    currency: string;
    billing_address: Address | null;
  };
  contacts: Contact[];
  receivables: { outstanding: Money[]; overdue: Money[]; open_count: number; overdue_count: number };
  open_invoices?: { invoice_id: string; number: string; status: string; amount_due: Money; due_date: string; payment_pending: boolean }[];
  available_credit?: Money; // credit the customer has with the business
  business: { name: string; email: string | null; phone: string | null; website: string | null; address: Address | null } | null;
  portal: {
    modules: { invoices?: boolean; payments?: boolean; estimates?: boolean; credit_notes?: boolean; statements?: boolean; subscriptions?: boolean };
    documents?: { forward_to_any_address: boolean; forwards_per_hour: number };
    actions: Record<string, boolean>;
    payments?: { partial_minimum: number }; // the smallest part payment, in minor units
  };
}

export interface InvoiceSummary {
  invoice_id: string;
  number: string;
  issue_date: string;
  due_date: string;
  status: string;
  total: Money;
  amount_due: Money;
}

export interface InvoicePage {
  items: InvoiceSummary[];
  next_cursor: string | null;
}

/** What an invoice's and an estimate's pages both show: priced lines for a customer. */
export interface PricedDocument {
  customer_id: string;
  currency: string;
  reference: string | null;
  notes: string | null;
  terms: string | null;
  lines: DocumentLine[];
  taxes: TaxLine[];
  subtotal: Money;
  tax_total: Money;
  total: Money;
}

export interface InvoiceDetail extends InvoiceSummary, PricedDocument {
  amount_paid: Money;
  payment_pending?: boolean; // a payment of it is under way (3-D Secure, a bank debit clearing)
  payments?: AppliedPayment[];
  history?: { status: string; at: string }[]; // each status it reached, oldest first
}

/** Money applied to an invoice: a portal payment, credit, an offline payment or a refund. */
export interface AppliedPayment {
  payment_id: string;
  kind: "payment" | "credit" | "credit_note" | "offline" | "refund";
  amount: Money;
  method: string; // card, bank_debit, credit, offline …
  applied_at: string;
  refund_id?: string | null; // a refund: payment_id is the payment refunded
}

export interface DocumentLine {
  description: string;
  quantity: string;
  unit_price: Money;
  tax_name: string | null;
  tax_rate_bps: number;
  amount: Money;
  tax: Money;
}

export interface TaxLine {
  name: string;
  rate_bps: number;
  amount: Money;
}

export interface EstimateSummary {
  estimate_id: string;
  number: string;
  issue_date: string;
  expiry_date: string;
  status: string;
  total: Money;
}

export interface EstimatePage {
  items: EstimateSummary[];
  next_cursor: string | null;
}

export interface EstimateDetail extends EstimateSummary, PricedDocument {
  decline_reason: string | null;
  answered_at: string | null;
  can_answer: boolean;
}

export interface CreditNoteSummary {
  credit_note_id: string;
  number: string;
  issue_date: string;
  status: string; // open, closed (all used), void
  invoice_number: string | null;
  total: Money;
  remaining: Money;
}

export interface CreditNotePage {
  items: CreditNoteSummary[];
  next_cursor: string | null;
}

export interface CreditNoteDetail extends CreditNoteSummary, PricedDocument {
  invoice_id: string | null;
  reason: string;
  applications: { application_id: string; invoice_id: string; invoice_number: string; amount: Money; applied_at: string }[];
  refunds: { refund_id: string; amount: Money; method: string; reference: string | null; refunded_at: string }[];
  applied: Money;
  refunded: Money;
}

export interface CreditNoteRequest {
  request_id: string;
  invoice_id: string;
  invoice_number: string;
  amount: Money;
  reason: string;
  status: "requested" | "approved" | "rejected";
  answer: string | null;
  credit_note_id: string | null;
  created_at: string;
  answered_at: string | null;
}

export interface CreditNoteRequestPage {
  items: CreditNoteRequest[];
  next_cursor: string | null;
}

export interface ActivityItem {
  activity_id: string;
  type: string;
  customer_id: string;
  title: string;
  link: string | null; // a portal path, e.g. /invoices/<id>
  occurred_at: string; // ISO 8601 UTC
  read: boolean;
}

export interface ActivityPage {
  items: ActivityItem[];
  next_cursor: string | null;
  unread_count: number;
}

interface Tokens {
  id_token: string;
  expires_in: number;
}

const BASE = (import.meta.env.VITE_API_BASE as string | undefined) ?? "/api";
const STORE_KEY = "portal.tokens";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    // Which fields were refused and why (a 400's `details`), when the API says.
    readonly details: { field?: string; message: string }[] = [],
  ) {
    super(message);
  }
}

function loadTokens(): Tokens | null {
  const raw = sessionStorage.getItem(STORE_KEY);
  return raw ? (JSON.parse(raw) as Tokens) : null;
}

function saveTokens(tokens: Tokens | null): void {
  if (tokens) sessionStorage.setItem(STORE_KEY, JSON.stringify(tokens));
  else sessionStorage.removeItem(STORE_KEY);
}

export function isSignedIn(): boolean {
  return loadTokens() !== null;
}

/** A new tab starts with no token (sessionStorage is per tab): it asks for one with the refresh cookie
 * before its first page, so a contact who opens a portal link in another tab is not asked to sign in. */
export async function restoreSession(): Promise<void> {
  if (!loadTokens()) await refresh().catch(() => null);
}

/** Whether the session's token names the staff group: chooses console or portal without a round
 * trip. Only a display choice; every staff route checks the verified token on the server. */
export function signedInAsStaff(): boolean {
  const token = loadTokens()?.id_token;
  try {
    const payload = token?.split(".")[1];
    if (!payload) return false;
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>;
    const groups = claims["cognito:groups"];
    return Array.isArray(groups) ? groups.includes("staff") : String(groups ?? "").split(/[\s,[\]]+/).includes("staff");
  } catch {
    return false;
  }
}

/** The signed-in contact's id from the session's token (null for staff or without a session): which
 * of the dashboard's contacts is the caller, e.g. to adopt their saved language. Display only. */
export function signedInContactId(): string | null {
  const payload = loadTokens()?.id_token?.split(".")[1];
  try {
    const claims = payload ? (JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as Record<string, unknown>) : {};
    const id = claims["custom:contact_id"];
    return typeof id === "string" && id ? id : null;
  } catch {
    return null;
  }
}

async function send(path: string, init: RequestInit, token?: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json", ...(init.headers as Record<string, string>) };
  if (init.body) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = token;
  // same-origin: the refresh cookie (Path=/api/auth) goes to the auth routes and nowhere else.
  return fetch(`${BASE}${path}`, { ...init, headers, credentials: "same-origin" });
}

async function parse<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = body?.error;
    throw new ApiError(
      response.status,
      error?.code ?? "error",
      error?.message ?? t("common.error.generic"),
      Array.isArray(error?.details) ? error.details : [],
    );
  }
  return body as T;
}

let refreshing: Promise<Tokens | null> | null = null;

/** A new ID token for the refresh token in the HttpOnly cookie (the browser sends it, we never see it).
 * One at a time: each refresh rotates the cookie, so calls refused together share one refresh (a second
 * one would present the token the first just revoked, and end the session). */
function refresh(): Promise<Tokens | null> {
  refreshing ??= (async () => {
    const response = await send("/auth/refresh", { method: "POST" });
    if (!response.ok) return null;
    const fresh = (await response.json()) as Tokens;
    saveTokens(fresh);
    return fresh;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** Whether a 401 means the session (not, say, a password typed to confirm an action) was refused. */
async function sessionRefused(response: Response): Promise<boolean> {
  if (response.status !== 401) return false;
  const body = await response.clone().json().catch(() => null);
  return body?.error?.code === "unauthenticated";
}

/** An authorized call; refreshes the session once on 401, then gives up (the caller goes to login). */
export async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  return parse<T>(await authorized(path, init));
}

/** A request with the session's token (refreshed once if the session was refused). */
async function authorized(path: string, init: RequestInit): Promise<Response> {
  let tokens = loadTokens();
  if (!tokens) throw new ApiError(401, "unauthenticated", t("common.error.sign_in"));
  let response = await send(path, init, tokens.id_token);
  if (await sessionRefused(response)) {
    tokens = await refresh();
    if (!tokens) {
      // Revoked (logout elsewhere, password changed, access turned off): back to sign-in, saying why.
      saveTokens(null);
      navigate(`/login?notice=${encodeURIComponent(t("common.error.session_ended"))}`, true);
      throw new ApiError(401, "unauthenticated", t("common.error.session_ended"));
    }
    response = await send(path, init, tokens.id_token);
  }
  return response;
}

/** A document (a PDF) fetched with the session's token and saved under the server's file name. */
export async function download(path: string, accept = "application/pdf"): Promise<void> {
  const response = await authorized(path, { headers: { Accept: accept } });
  if (!response.ok) await parse<never>(response);
  const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "document.pdf";
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export interface MfaSetup {
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
  session: string | null; // for /auth/mfa/confirm when enrolling from the Security page
}

/** Tokens when signed in; otherwise the next step: a code from the app, or enrolling one first. */
export interface LoginResult {
  challenge: "mfa_code" | "mfa_setup" | null;
  session: string | null;
  mfa_setup: MfaSetup | null;
  id_token: string | null;
  expires_in: number | null;
}

export interface Security {
  email: string;
  mfa_enabled: boolean;
  mfa_policy: "off" | "optional" | "required";
}

/** A read of a public route (e.g. whether single sign-on is offered). */
export async function get<T>(path: string): Promise<T> {
  return parse<T>(await send(path, { method: "GET" }));
}

/** A call to a public route (sign-in steps, invitations, password reset). */
export async function post<T>(path: string, body: unknown): Promise<T> {
  return parse<T>(await send(path, { method: "POST", body: JSON.stringify(body) }));
}

/** Keeps the tokens of a finished sign-in; false when a step (an MFA code) is still to come. */
export function keepSignIn(result: LoginResult): boolean {
  if (!result.id_token) return false;
  saveTokens({ id_token: result.id_token, expires_in: result.expires_in ?? 0 });
  return true;
}

export function forgetSignIn(): void {
  saveTokens(null);
}

export async function login(email: string, password: string): Promise<LoginResult> {
  const result = await post<LoginResult>("/auth/login", { email, password });
  keepSignIn(result);
  return result;
}

export async function logout(): Promise<void> {
  try {
    await call<void>("/auth/logout", { method: "POST", body: "{}" });
  } finally {
    saveTokens(null);
  }
}
