import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { accountContext, signOut } from "~/modules/identity/accounts.server";
import { clearSessionCookieHeader, getAuth } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";

/** Signing out is a POST (the header's button), so a link or an image cannot sign anyone out. */
export async function action({ request }: ActionFunctionArgs) {
  await readForm(request); // the button posts intent=signOut; a hostile body is refused like anywhere else
  const auth = await getAuth(request);
  if (auth) await signOut(await getDb(), auth.session, accountContext(request));
  return redirect("/", { headers: { "Set-Cookie": await clearSessionCookieHeader() } });
}

export function loader() {
  return redirect("/");
}
