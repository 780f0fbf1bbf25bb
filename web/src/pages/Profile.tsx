// A contact's own details (name, phone, language, sign-in email) and, for the primary contact, the
// customer's addresses and contact persons. What the tenant turned off is hidden or read-only.
import { ErrorMessage, Loading, PageTitle, useAsync } from "../components/common";
import { t } from "../i18n";
import { Addresses } from "./profile/Addresses";
import { profileApi } from "./profile/api";
import { ContactPersons } from "./profile/ContactPersons";
import { OwnDetails } from "./profile/OwnDetails";
import { SignInEmail } from "./profile/SignInEmail";

export function Profile() {
  const { data, error } = useAsync(() => profileApi.load(), []);
  const permissions = data?.permissions;
  return (
    <>
      <PageTitle>{t("profile.title")}</PageTitle>
      {error && <ErrorMessage error={error} />}
      {!data && !error && <Loading />}
      {data && permissions && (
        <div class="profile">
          <OwnDetails contact={data.contact} editable={permissions.update_details} />
          {permissions.update_details && <SignInEmail email={data.contact.email} />}
          {permissions.is_primary && permissions.update_details && <Addresses customer={data.customer} />}
          {permissions.is_primary && (
            <ContactPersons contacts={data.contacts} me={data.contact.contact_id} editable={permissions.manage_contact_persons} />
          )}
        </div>
      )}
    </>
  );
}
