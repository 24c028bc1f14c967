import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { accountContext, signOut } from "~/modules/identity/accounts.server";
import { clearSessionCookieHeader, getAuth } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";

/** Signing out is a POST (the header's button), so a link or an image cannot sign anyone out. */
export async function action({ request }: ActionFunctionArgs) {
  // The sign-out buttons post intent=signOut; any other body (a hostile one, a stray form) signs nobody out.
  const form = await readForm(request);
  if (form.get("intent") !== "signOut") return new Response("Bad Request", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const auth = await getAuth(request);
  if (auth) await signOut(await getDb(), auth.session, accountContext(request));
  return redirect("/", { headers: { "Set-Cookie": await clearSessionCookieHeader() } });
}

export function loader() {
  return redirect("/");
}
