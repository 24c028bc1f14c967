import { data } from "@remix-run/node";
import { parseWithZod } from "@conform-to/zod";
import { redirect } from "@remix-run/node";
import type { Member } from "~/utils/auth.server";
import { getDb } from "~/utils/db.server";
import { readForm } from "~/utils/forms.server";
import { getFixedT } from "~/utils/i18next.server";
import {
  MoneySettingsError,
  MoneySettingsFormSchema,
  cardBlockFor,
  getMoneySettings,
  saveMoneySettings,
  thresholdInput,
  thresholdOf,
} from "~/modules/payments/org-settings.server";

/**
 * The settings page's "Money" section on the server: what it shows and its action
 * (`intent=moneySettings`). Split out of the settings route, which only dispatches.
 */

/** What the Money section shows: the stored values (the threshold as typed text), why card is blocked, and the saved notice in the request's language. */
export async function moneyFor(request: Request, orgId: string) {
  const settings = await getMoneySettings(await getDb(), orgId);
  const t = await getFixedT(request, "staff");
  const saved = new URL(request.url).searchParams.get("notice") === "moneySaved";
  return {
    legalName: settings.legalName ?? "",
    registrationNumber: settings.registrationNumber ?? "",
    cardEnabled: settings.cardEnabled,
    cashFourEyes: thresholdInput(settings.cashFourEyesMinor, settings.currency),
    currency: settings.currency,
    cardBlock: cardBlockFor(settings.currency),
    notice: saved ? t("moneySettings.saved") : null,
  };
}

/**
 * `intent=moneySettings`: zod checks the form, the money helpers read the threshold in the
 * organisation's default currency, the module saves (org_admin, one transaction, audited). A
 * refusal answers 4xx with the form's errors and their text in the request's language; nothing changes.
 */
export async function moneySettingsAction(request: Request, member: Member) {
  const submission = parseWithZod(await readForm(request), { schema: MoneySettingsFormSchema });
  const t = await getFixedT(request, ["staff", "errors", "common"]);
  const reply = (status: number, result: ReturnType<typeof submission.reply>) => {
    const messages = Object.values(result.error ?? {})
      .flat()
      .filter((m): m is string => typeof m === "string")
      .map((key) => t(key));
    return data({ intent: "moneySettings", target: null, result, messages }, { status });
  };
  if (submission.status !== "success") return reply(400, submission.reply());
  const v = submission.value;
  const currency = member.org.defaultCurrency;
  const threshold = thresholdOf(v.cashFourEyes, currency);
  if (!threshold.ok) return reply(400, submission.reply({ fieldErrors: { cashFourEyes: [threshold.error] } }));
  // While card is blocked the checkbox is disabled (never posted): keep what is stored; a posted "on" is refused below.
  const blocked = cardBlockFor(currency) !== null;
  const cardEnabled = v.cardEnabled === "on" ? true : blocked ? undefined : false;
  try {
    await saveMoneySettings(await getDb(), member.actor, member.org.id, {
      legalName: v.legalName ?? null,
      registrationNumber: v.registrationNumber ?? null,
      cardEnabled,
      cashFourEyesMinor: threshold.minor,
    });
  } catch (error) {
    if (error instanceof MoneySettingsError) {
      if (error.code === "org_not_found") throw new Response("Not Found", { status: 404 });
      const field = error.code === "card_unavailable" || error.code === "card_currency" ? "cardEnabled" : "";
      return reply(error.status, submission.reply(field ? { fieldErrors: { [field]: [error.messageKey] } } : { formErrors: [error.messageKey] }));
    }
    throw error;
  }
  return redirect(`/staff/${member.org.slug}/settings?notice=moneySaved#money`);
}

