// The payments API (services/payments) and the payment provider's browser library. Card and bank
// details go from the provider's own elements straight to the provider: never through this app.
import { call, download, type Money } from "./api";
import { has, t } from "./i18n";

export type PaymentStatus = "pending" | "succeeded" | "failed" | "cancelled" | "refunded" | "partially_refunded";

export interface Allocation {
  invoice_id: string;
  invoice_number: string;
  amount: Money;
}

export interface MethodFacts {
  kind: "card" | "bank_debit" | "credit" | "offline";
  brand: string | null;
  last4: string | null;
}

export interface Payment {
  payment_id: string;
  status: PaymentStatus;
  kind: "invoice" | "advance";
  amount: Money;
  method: MethodFacts;
  allocations: Allocation[];
  credit_created: Money; // what was left after the invoices
  refunded: Money;
  failure_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface PaymentPage {
  items: Payment[];
  next_cursor: string | null;
}

export interface ProviderConfig {
  publishable_key: string;
  js_url: string;
}

export interface Preview {
  total: Money;
  allocations: Allocation[];
  credit: Money; // what becomes credit
  partial_allowed: boolean;
  partial_minimum: Money;
  // Not (yet) in the API: where the browser loads the provider's elements from before paying.
  publishable_key?: string;
  js_url?: string;
}

export interface Started extends ProviderConfig {
  payment: Payment;
  client_secret: string | null; // with a saved method: only for 3-D Secure
}

export interface SavedMethod {
  method_id: string;
  kind: "card" | "bank_debit";
  brand: string | null;
  last4: string | null;
  exp_month: number | null;
  exp_year: number | null;
  is_default: boolean;
}

export interface MethodList {
  methods: SavedMethod[];
  default_method_id: string | null;
  auto_charge: boolean;
}

export interface MethodSetup extends ProviderConfig {
  setup_id: string;
  client_secret: string;
}

export interface CreditEntry {
  credit_id: string;
  kind: "created" | "applied" | "reversed" | "returned";
  amount: Money; // positive: added to the balance; negative: taken from it
  payment_id: string | null;
  invoice_id: string | null;
  invoice_number: string | null;
  created_at: string;
}

export interface CreditNoteCredit {
  credit_note_id: string;
  number: string;
  remaining: Money;
}

export interface Credits {
  balance: Money | null; // the one available credit (payments' credit + open credit notes); null: never had credit
  payments_credit: Money | null; // over- and advance payments: what POST /credits/apply uses
  credit_notes: CreditNoteCredit[]; // open ones
  entries: CreditEntry[];
}

export interface PaymentRequest {
  invoices: { invoice_id: string; amount?: number }[];
  amount?: number;
  all_outstanding?: boolean;
  method_id?: string;
}

export const previewPayment = (request: PaymentRequest) =>
  call<Preview>("/payments/preview", { method: "POST", body: JSON.stringify(request) });

/** Starts a payment. `key` is fresh for every press of Pay: a retry of the same press (e.g. after a
 * lost answer) replays the first answer instead of paying twice. */
export async function startPayment(request: PaymentRequest, key: string): Promise<Started> {
  const started = await call<Started>("/payments", { method: "POST", body: JSON.stringify(request), headers: { "Idempotency-Key": key } });
  rememberProvider(started);
  return started;
}

export const getPayment = (paymentId: string) => call<Payment>(`/payments/${encodeURIComponent(paymentId)}`);

/** Asks for the payment until it leaves `pending` (or `patience` runs out: a bank debit takes days). */
export async function settle(paymentId: string, patienceMs = 30_000, everyMs = 1000): Promise<Payment> {
  const until = Date.now() + patienceMs;
  let payment = await getPayment(paymentId);
  while (payment.status === "pending" && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    payment = await getPayment(paymentId);
  }
  return payment;
}

/** Saves the receipt PDF through the browser (the route needs the auth header, so no plain link). */
export async function saveReceipt(paymentId: string): Promise<void> {
  await download(`/payments/${encodeURIComponent(paymentId)}/receipt`);
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

// ---- the provider's browser library (Stripe.js, or the local stand-in with the same API) ---------

export interface ProviderError {
  message?: string;
  code?: string;
  decline_code?: string;
}

interface ConfirmResult {
  error?: ProviderError;
  paymentIntent?: { id: string; status: string };
  setupIntent?: { id: string; status: string; payment_method?: string };
}

export interface ProviderElement {
  mount(target: HTMLElement | string): void;
  unmount?(): void;
  destroy?(): void;
  on?(event: string, handler: (event: { complete?: boolean; error?: ProviderError }) => void): void;
}

export interface ProviderClient {
  elements(options?: Record<string, unknown>): { create(kind: "card" | "iban", options?: Record<string, unknown>): ProviderElement };
  confirmCardPayment(clientSecret: string, data?: Record<string, unknown>): Promise<ConfirmResult>;
  confirmSepaDebitPayment(clientSecret: string, data?: Record<string, unknown>): Promise<ConfirmResult>;
  confirmCardSetup(clientSecret: string, data?: Record<string, unknown>): Promise<ConfirmResult>;
}

type ProviderFactory = (publishableKey: string) => ProviderClient;

const scripts = new Map<string, Promise<ProviderFactory>>();
const clients = new Map<string, ProviderClient>();

function loadScript(jsUrl: string): Promise<ProviderFactory> {
  let loading = scripts.get(jsUrl);
  if (!loading) {
    loading = new Promise<ProviderFactory>((resolve, reject) => {
      const ready = () => {
        const factory = (window as unknown as { Stripe?: ProviderFactory }).Stripe;
        if (factory) resolve(factory);
        else reject(new Error(t("payments.form_not_loaded")));
      };
      if ((window as unknown as { Stripe?: ProviderFactory }).Stripe) return ready();
      const script = document.createElement("script");
      script.src = jsUrl;
      script.async = true;
      script.onload = ready;
      script.onerror = () => {
        scripts.delete(jsUrl);
        script.remove();
        reject(new Error(t("payments.form_not_loaded")));
      };
      document.head.append(script);
    });
    scripts.set(jsUrl, loading);
  }
  return loading;
}

/** One client per publishable key (the provider's library keeps its own state per instance). */
export async function providerClient(config: ProviderConfig): Promise<ProviderClient> {
  const known = clients.get(config.publishable_key);
  if (known) return known;
  const factory = await loadScript(config.js_url);
  const client = factory(config.publishable_key);
  clients.set(config.publishable_key, client);
  return client;
}

const PROVIDER_KEY = "portal.payment-provider";

/** Where the provider's library comes from, as the API last said (the preview, a started payment or
 * a method setup); null before any of them answered in this session. */
export function knownProvider(preview?: Preview | null): ProviderConfig | null {
  if (preview?.publishable_key && preview.js_url) return { publishable_key: preview.publishable_key, js_url: preview.js_url };
  const raw = sessionStorage.getItem(PROVIDER_KEY);
  return raw ? (JSON.parse(raw) as ProviderConfig) : null;
}

export function rememberProvider(config: ProviderConfig): void {
  sessionStorage.setItem(PROVIDER_KEY, JSON.stringify({ publishable_key: config.publishable_key, js_url: config.js_url }));
}

/** A payment method kind's name in the current language (the raw kind when unknown). */
export function methodLabel(kind: string): string {
  return has(`payments.method.${kind}`) ? t(`payments.method.${kind}`) : kind;
}

export function describeMethod(method: MethodFacts | null | undefined): string {
  if (!method) return t("common.dash");
  const brand = method.brand ? method.brand[0].toUpperCase() + method.brand.slice(1) : methodLabel(method.kind);
  return method.last4 ? t("payments.method.ending_in", { brand, last4: method.last4 }) : brand;
}

export function paymentStatusLabel(status: string): string {
  return has(`payments.status.${status}`) ? t(`payments.status.${status}`) : status;
}
