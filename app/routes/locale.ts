import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { users } from "#db/schema";
import { getAuth } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { isLocale } from "~/utils/i18n";
import { localeCookie } from "~/utils/i18next.server";
import { readForm } from "~/utils/forms.server";
import { safeRedirect } from "~/utils/request.server";

/** The language switcher posts here (works without JavaScript); the choice goes to a cookie and the profile. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const lng = form.get("lng");
  const redirectTo = safeRedirect(form.get("redirectTo"));
  if (!isLocale(lng)) return new Response("Unsupported language", { status: 400 });
  const auth = await getAuth(request);
  if (auth) {
    const db = await getDb();
    await db.update(users).set({ locale: lng, updatedAt: new Date() }).where(eq(users.id, auth.user.id));
  }
  return redirect(redirectTo, { headers: { "Set-Cookie": await localeCookie.serialize(lng) } });
}

export function loader() {
  return redirect("/");
}
