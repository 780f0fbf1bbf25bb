// The self-service API: the contact's own details, the primary contact's addresses and contact
// persons (customers service), and changing the sign-in email (auth service).
import { call, type Address } from "../../api";

export type Language = "en" | "de" | "ar";

export interface ProfileContact {
  contact_id: string;
  customer_id: string;
  first_name: string;
  last_name: string;
  email: string;
  phone: string | null;
  is_primary: boolean;
  language: Language | null;
  portal_status: "not_invited" | "invited" | "active" | "disabled" | null;
}

export interface ProfileCustomer {
  customer_id: string;
  display_name: string;
  company_name: string | null;
  billing_address: Address | null;
  shipping_address: Address | null;
}

export interface Profile {
  contact: ProfileContact;
  customer: ProfileCustomer;
  permissions: { update_details: boolean; manage_contact_persons: boolean; is_primary: boolean };
  contacts: ProfileContact[];
}

export interface OwnDetails {
  first_name: string;
  last_name: string;
  phone: string | null;
  language: Language | null;
}

export interface NewContactPerson extends OwnDetails {
  email: string;
}

function send<T>(path: string, method: string, body?: unknown): Promise<T> {
  return call<T>(path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
}

export const profileApi = {
  load: () => call<Profile>("/profile"),
  saveOwn: (details: OwnDetails) => send<ProfileContact>("/profile", "PUT", details),
  saveAddresses: (billing: Address | null, shipping: Address | null) =>
    send<ProfileCustomer>("/profile/customer", "PUT", { billing_address: billing, shipping_address: shipping }),
  addContact: (person: NewContactPerson) => send<ProfileContact>("/profile/contacts", "POST", person),
  removeContact: (contactId: string) => send<void>(`/profile/contacts/${encodeURIComponent(contactId)}`, "DELETE"),
  askEmailChange: (newEmail: string, password: string, code: string | null) =>
    send<{ message: string }>("/auth/email/change", "POST", { new_email: newEmail, password, code }),
  confirmEmailChange: (code: string) => send<{ message: string }>("/auth/email/confirm", "POST", { code }),
};
