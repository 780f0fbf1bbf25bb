// The contact's own name, phone and language; saving the language switches the portal to it.
import { useState } from "preact/hooks";
import { setLocale, t } from "../../i18n";
import { profileApi, type Language, type ProfileContact } from "./api";
import { Field, useSubmit } from "./fields";

const LANGUAGES: Language[] = ["en", "de", "ar"];

export function OwnDetails({ contact, editable }: { contact: ProfileContact; editable: boolean }) {
  const [fields, setFields] = useState({
    first_name: contact.first_name,
    last_name: contact.last_name,
    phone: contact.phone ?? "",
    language: contact.language ?? "",
  });
  const { busy, run, messages } = useSubmit();
  const set = (name: keyof typeof fields) => (value: string) => setFields({ ...fields, [name]: value });

  const save = (event: Event) =>
    run(event, async () => {
      const language = (fields.language || null) as Language | null;
      await profileApi.saveOwn({
        first_name: fields.first_name.trim(),
        last_name: fields.last_name.trim(),
        phone: fields.phone.trim() || null,
        language,
      });
      if (language) setLocale(language); // de has no portal catalog yet: setLocale keeps the current one
      return t("profile.own.saved");
    });

  return (
    <section class="card" aria-labelledby="own-heading">
      <h2 id="own-heading">{t("profile.own.heading")}</h2>
      <p class="muted">
        {t("profile.own.email_is", { email: contact.email })}
      </p>
      {!editable && <p class="notice">{t("profile.own.read_only")}</p>}
      <form class="profile-form" onSubmit={save} noValidate>
        <fieldset disabled={!editable || busy}>
          <legend class="visually-hidden">{t("profile.own.heading")}</legend>
          <Field id="first-name" label={t("profile.field.first_name")} value={fields.first_name} onValue={set("first_name")} required autocomplete="given-name" maxLength={120} />
          <Field id="last-name" label={t("profile.field.last_name")} value={fields.last_name} onValue={set("last_name")} required autocomplete="family-name" maxLength={120} />
          <Field id="phone" label={t("profile.field.phone")} type="tel" value={fields.phone} onValue={set("phone")} autocomplete="tel" maxLength={40} dir="ltr" />
          <label for="language">{t("profile.field.language")}</label>
          <select id="language" value={fields.language} onChange={(e) => set("language")(e.currentTarget.value)}>
            <option value="">{t("profile.language.default")}</option>
            {LANGUAGES.map((code) => (
              <option key={code} value={code} lang={code}>
                {t(`profile.language.${code}`)}
              </option>
            ))}
          </select>
          {messages}
          {editable && (
            <button type="submit" class="button-primary">
              {t("profile.own.save")}
            </button>
          )}
        </fieldset>
      </form>
    </section>
  );
}
