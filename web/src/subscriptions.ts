// Contracts of the subscriptions API as the portal pages use them (services/subscriptions/schemas.py).
import type { Money } from "./api";

export interface SubscriptionSummary {
  subscription_id: string;
  plan_id: string;
  plan_name: string;
  status: string;
  next_renewal_at: string | null;
  next_invoice_amount: Money | null;
}

export interface ChargeLine {
  kind: "charge" | "credit" | "discount";
  description: string;
  amount: Money;
  start: string;
  end: string;
}

export interface Subscription {
  subscription_id: string;
  currency: string;
  status: string;
  plan_id: string;
  plan_name: string;
  quantity: number;
  items: { key: string; description: string; unit_amount: Money; quantity: number; amount: Money }[];
  coupon: { code: string; cycles_left: number | null } | null;
  started_at: string;
  current_period_end: string | null;
  trial_ends_at: string | null;
  paused_until: string | null;
  scheduled_plan_id: string | null;
  cancel_reason: string | null;
  next_renewal_at: string | null;
  next_invoice_amount: Money | null;
  next_invoice_lines: ChargeLine[];
  allowed: string[];
  invoices: SubscriptionInvoice[];
}

export interface SubscriptionInvoice {
  invoice_id: string;
  number: string;
  status: string;
  issue_date: string;
  due_date: string;
  total: Money;
  amount_due: Money;
}

export interface ChangeQuote {
  action: string;
  at: string;
  lines: ChargeLine[];
  due_now: Money;
  status_after: string;
  next_renewal_at: string | null;
  next_invoice_amount: Money | null;
}

export interface ChangePreview extends ChangeQuote {
  preview_id: string; // sent back with the same change: billed exactly as quoted, once
  expires_at: string;
}

export interface ChangeApplied extends ChangeQuote {
  charge_id: string | null;
  subscription: Subscription;
}

export interface PlanOption {
  plan_id: string;
  name: string;
  pricing: "flat" | "per_unit";
  unit_amount: Money;
  current: boolean;
}

export interface AddonOption {
  addon_id: string;
  name: string;
  pricing: "flat" | "per_unit";
  recurring: boolean;
  unit_amount: Money;
  added: boolean;
}

/** GET /subscriptions/{id}/plans: where it may move, and what may be added. */
export interface ChangeOptions {
  plans: PlanOption[];
  addons: AddonOption[];
  min_quantity: number;
  max_quantity: number | null;
}

export type Change = { action: string; [field: string]: unknown };
