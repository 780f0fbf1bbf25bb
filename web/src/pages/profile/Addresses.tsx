// The customer's billing and shipping address, edited by its primary contact.
import { useState } from "preact/hooks";
import type { Address } from "../../api";
import { t } from "../../i18n";
import { profileApi, type ProfileCustomer } from "./api";
import { Field, useSubmit } from "./fields";

const PARTS = ["line1", "line2", "city", "region", "postal_code", "country"] as const;
type Part = (typeof PARTS)[number];
type Draft = Record<Part, string>;

function draftOf(address: Address | null): Draft {
  return Object.fromEntries(PARTS.map((part) => [part, address?.[part] ?? ""])) as Draft;
}

function addressOf(draft: Draft): Address | null {
  const address = Object.fromEntries(
    PARTS.map((part) => {
      const value = draft[part].trim();
      return [part, value ? (part === "country" ? value.toUpperCase() : value) : null];
    }),
  ) as unknown as Address;
  return PARTS.some((part) => address[part]) ? address : null;
}

function AddressFields({ prefix, legend, draft, onChange }: { prefix: string; legend: string; draft: Draft; onChange: (d: Draft) => void }) {
  const autocomplete: Record<Part, string> = {
    line1: "address-line1",
    line2: "address-line2",
    city: "address-level2",
    region: "address-level1",
    postal_code: "postal-code",
    country: "country",
  };
  return (
    <fieldset class="address-fields">
      <legend>{legend}</legend>
      {PARTS.map((part) => (
        <Field
          key={part}
          id={`${prefix}-${part}`}
          label={t(`profile.address.${part}`)}
          value={draft[part]}
          onValue={(value) => onChange({ ...draft, [part]: value })}
          autocomplete={`${prefix} ${autocomplete[part]}`}
          maxLength={part === "country" ? 2 : part === "postal_code" ? 20 : 120}
        />
      ))}
    </fieldset>
  );
}

export function Addresses({ customer }: { customer: ProfileCustomer }) {
  const [billing, setBilling] = useState(draftOf(customer.billing_address));
  const [shipping, setShipping] = useState(draftOf(customer.shipping_address));
  const { busy, run, messages } = useSubmit();
  const save = (event: Event) =>
    run(event, async () => {
      await profileApi.saveAddresses(addressOf(billing), addressOf(shipping));
      return t("profile.addresses.saved");
    });
  return (
    <section class="card" aria-labelledby="addresses-heading">
      <h2 id="addresses-heading">{t("profile.addresses.heading", { customer: customer.display_name })}</h2>
      <form class="profile-form" onSubmit={save} noValidate>
        <div class="address-pair">
          <AddressFields prefix="billing" legend={t("profile.addresses.billing")} draft={billing} onChange={setBilling} />
          <AddressFields prefix="shipping" legend={t("profile.addresses.shipping")} draft={shipping} onChange={setShipping} />
        </div>
        <p class="muted">{t("profile.address.country_hint")}</p>
        {messages}
        <button type="submit" class="button-primary" disabled={busy}>
          {t("profile.addresses.save")}
        </button>
      </form>
    </section>
  );
}
