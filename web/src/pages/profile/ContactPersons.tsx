// The customer's contact persons, for its primary contact: add one (they are invited by email) or
// remove one.
import { useState } from "preact/hooks";
import { t } from "../../i18n";
import { profileApi, type ProfileContact } from "./api";
import { Field, useSubmit } from "./fields";

const EMPTY = { first_name: "", last_name: "", email: "", phone: "" };

export function ContactPersons({ contacts, me, editable }: { contacts: ProfileContact[]; me: string; editable: boolean }) {
  const [people, setPeople] = useState(contacts);
  const [fields, setFields] = useState(EMPTY);
  const { busy, run, messages } = useSubmit();
  const set = (name: keyof typeof fields) => (value: string) => setFields({ ...fields, [name]: value });

  const add = (event: Event) =>
    run(event, async () => {
      const added = await profileApi.addContact({
        first_name: fields.first_name.trim(),
        last_name: fields.last_name.trim(),
        email: fields.email.trim(),
        phone: fields.phone.trim() || null,
        language: null,
      });
      setPeople([...people, added]);
      setFields(EMPTY);
      return t("profile.contacts.added", { email: added.email });
    });
  const remove = (person: ProfileContact) => (event: Event) =>
    run(event, async () => {
      if (!window.confirm(t("profile.contacts.confirm_remove", { name: `${person.first_name} ${person.last_name}` }))) return null;
      await profileApi.removeContact(person.contact_id);
      setPeople(people.filter((p) => p.contact_id !== person.contact_id));
      return t("profile.contacts.removed", { name: `${person.first_name} ${person.last_name}` });
    });

  return (
    <section class="card" aria-labelledby="contacts-heading">
      <h2 id="contacts-heading">{t("profile.contacts.heading")}</h2>
      <ul class="contact-persons">
        {people.map((person) => (
          <li key={person.contact_id}>
            <span>
              <strong>
                {person.first_name} {person.last_name}
              </strong>{" "}
              <span dir="ltr">{person.email}</span>
              {person.is_primary && <span class="badge">{t("profile.contacts.primary")}</span>}
              {person.portal_status && <span class="muted"> · {t(`profile.status.${person.portal_status}`)}</span>}
            </span>
            {editable && !person.is_primary && person.contact_id !== me && (
              <button type="button" class="button-secondary" disabled={busy} onClick={remove(person)}
                aria-label={t("profile.contacts.remove_named", { name: `${person.first_name} ${person.last_name}` })}>
                {t("profile.contacts.remove")}
              </button>
            )}
          </li>
        ))}
      </ul>
      {editable ? (
        <form class="profile-form" onSubmit={add} noValidate>
          <h3>{t("profile.contacts.add_heading")}</h3>
          <Field id="person-first-name" label={t("profile.field.first_name")} value={fields.first_name} onValue={set("first_name")} required maxLength={120} />
          <Field id="person-last-name" label={t("profile.field.last_name")} value={fields.last_name} onValue={set("last_name")} required maxLength={120} />
          <Field id="person-email" label={t("profile.field.email")} type="email" value={fields.email} onValue={set("email")} required dir="ltr" />
          <Field id="person-phone" label={t("profile.field.phone")} type="tel" value={fields.phone} onValue={set("phone")} maxLength={40} dir="ltr" />
          <p class="muted">{t("profile.contacts.invitation_hint")}</p>
          {messages}
          <button type="submit" class="button-primary" disabled={busy}>
            {t("profile.contacts.add")}
          </button>
        </form>
      ) : (
        messages
      )}
    </section>
  );
}
