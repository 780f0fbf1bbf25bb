// Contracts of the subscriptions service's staff API (services/subscriptions/schemas.py).
import type { Money } from "../../api";
import type { SubscriptionSummary } from "../../subscriptions";

export interface Plan {
  plan_id: string;
  name: string;
  currency: string;
  interval_months: number;
  pricing: "flat" | "per_unit";
  unit_amount: number;
  min_quantity: number;
  max_quantity: number | null;
  setup_fee: number;
  trial_days: number;
}

export interface Addon {
  addon_id: string;
  name: string;
  currency: string;
  recurring: boolean;
  pricing: "flat" | "per_unit";
  unit_amount: number;
  plan_ids: string[];
}

export interface Coupon {
  code: string;
  percent_bps: number | null;
  amount_off: Money | null;
  duration: "once" | "cycles" | "forever";
  cycles: number | null;
  redemptions: number;
  max_redemptions: number | null;
}

export interface Catalog {
  plans: Plan[];
  addons: Addon[];
  coupons: Coupon[];
}

export interface Rules {
  downgrade: "now" | "term_end";
  cancel_now: boolean;
  cancel_at_term_end: boolean;
  pause: boolean;
  trial_extension_days: number;
}

export type { SubscriptionSummary };
export const CURRENCIES = ["USD", "EUR", "GBP", "CAD", "AUD", "CHF", "INR", "SEK", "JPY"];
