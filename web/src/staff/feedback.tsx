// What an action answered: success as a polite status, failure as an alert (read out at once).
import { useState } from "preact/hooks";
import { ApiError } from "../api";
import { t } from "../i18n";

export interface Outcome {
  ok: boolean;
  text: string;
}

export function Feedback({ outcome }: { outcome: Outcome | null }) {
  // The live regions stay in the page so a screen reader hears each new message.
  return (
    <>
      <p role="status" class="console-feedback">{outcome?.ok ? outcome.text : ""}</p>
      <p role="alert" class={outcome && !outcome.ok ? "error" : "console-feedback"}>{outcome && !outcome.ok ? outcome.text : ""}</p>
    </>
  );
}

export function failureText(error: unknown): string {
  return error instanceof ApiError ? error.message : t("staff_customers.failed");
}

/** Runs one action at a time, keeping its outcome for <Feedback>. */
export function useAction() {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  async function run<T>(action: () => Promise<T>, success: (result: T) => string): Promise<T | null> {
    setBusy(true);
    setOutcome(null);
    try {
      const result = await action();
      setOutcome({ ok: true, text: success(result) });
      return result;
    } catch (error) {
      setOutcome({ ok: false, text: failureText(error) });
      return null;
    } finally {
      setBusy(false);
    }
  }
  return { outcome, busy, run, setOutcome };
}
