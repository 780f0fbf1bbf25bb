import { useEffect, useRef, useState } from "preact/hooks";
import { providerClient, type ProviderClient, type ProviderElement } from "../payments";
import { t } from "../i18n";

interface Props {
  kind: "card" | "iban";
  config: { publishable_key: string; js_url: string };
  label: string;
  onReady: (client: ProviderClient, element: ProviderElement) => void;
}

/** The provider's own card or IBAN field (its script draws it; what is typed goes to the provider,
 * never to us). `onReady` hands over what confirming a payment needs. */
export function ProviderField({ kind, config, label, onReady }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let element: ProviderElement | null = null;
    let current = true;
    providerClient(config).then(
      (client) => {
        if (!current || !host.current) return;
        element = client.elements().create(kind, kind === "iban" ? { supportedCountries: ["SEPA"] } : {});
        element.mount(host.current);
        element.on?.("change", (event) => setError(event.error?.message ?? null));
        setLoading(false);
        onReady(client, element);
      },
      (failure: Error) => current && (setError(failure.message), setLoading(false)),
    );
    return () => {
      current = false;
      if (element) (element.destroy ?? element.unmount)?.call(element);
    };
  }, [kind, config.publishable_key, config.js_url]);

  const id = `provider-${kind}`;
  return (
    <div class="provider-field">
      <span class="field-label" id={`${id}-label`}>
        {label}
      </span>
      <div ref={host} id={id} class="provider-host" role="group" aria-labelledby={`${id}-label`} aria-busy={loading ? "true" : "false"} />
      {loading && <p class="muted">{t("common.loading_form")}</p>}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </div>
  );
}
