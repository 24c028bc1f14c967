import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { setActiveOrg } from "~/modules/identity/session.server";
import { SwitchOrganizationSchema } from "~/modules/organizations/schemas";
import { requireAuth, requireMember } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";

/**
 * The organisation switcher posts here: the session now works in the chosen organisation.
 * Someone who is not a member of it gets 404, as everywhere else.
 */
export async function action({ request }: ActionFunctionArgs) {
  await requireAuth(request);
  const form = await readForm(request);
  const parsed = SwitchOrganizationSchema.safeParse({ orgId: form.get("orgId") });
  if (!parsed.success) throw new Response("Bad Request", { status: 400 });
  const member = await requireMember(request, parsed.data.orgId);
  await setActiveOrg(await getDb(), member.session.id, member.org.id);
  return redirect(`/staff/${member.org.slug}`);
}

export function loader() {
  return redirect("/staff");
}
