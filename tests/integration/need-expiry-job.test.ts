// The need-expiry job: pg-boss queue `need-expiry` (every 15 minutes and at start-up); a run moves
// published needs past the end of their deadline day (organisation's time zone) to `expired`, as
// the system, releasing their pledges and telling the donors. A second run changes nothing. The
// need's history and the audit log show "the system" (rendered HTML, both languages).
import { afterAll, describe, expect, it } from "vitest";
import { and, asc, eq, inArray } from "drizzle-orm";
import { auditLog, emailOutbox, needs, needTransitions, organizations, pledges } from "#db/schema";
import { getDatabase, getDb } from "~/utils/db.server";
import { localeCookie } from "~/utils/i18next.server";
import { NEED_EXPIRY_QUEUE, runNeedExpiry, startJobs, stopJobs } from "~/utils/jobs.server";
import { expireNeeds } from "~/modules/needs/expiry.server";
import { getNeedForStaff, transitionNeed } from "~/modules/needs/needs.server";
import { queryAuditLog } from "~/modules/audit/audit-query.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { todayIn } from "~/modules/needs/money";
import * as root from "~/root";
import { handMadeHandler } from "../fixtures/server-build";
import * as staffLayout from "~/routes/staff.$orgSlug";
import * as auditPage from "~/routes/staff.$orgSlug.audit";
import * as needPage from "~/routes/staff.$orgSlug.needs.$needId._index";
import { actorFor } from "../fixtures/needs";
import { needRow, pledgeInput, pledgeWorld, publishedNeed } from "../fixtures/pledging";
import { signIn } from "../fixtures/routes";

afterAll(async () => {
  await stopJobs();
});

const DAY = 24 * 60 * 60 * 1000;

/** The day before today in the organisation's time zone, as YYYY-MM-DD. */
const yesterdayIn = (timeZone: string) => todayIn(timeZone, new Date(Date.now() - DAY));

async function setDeadline(needId: string, deadline: string) {
  await (await getDb()).update(needs).set({ deadline }).where(eq(needs.id, needId));
}

async function counts(needId: string) {
  const db = await getDb();
  const transitions = await db.select().from(needTransitions).where(eq(needTransitions.needId, needId));
  const audits = await db.select().from(auditLog).where(eq(auditLog.entityId, needId));
  const refs = (await db.select({ email: pledges.email }).from(pledges).where(eq(pledges.needId, needId))).map((p) => p.email);
  const emails = refs.length
    ? await db.select().from(emailOutbox).where(and(inArray(emailOutbox.toAddress, refs), eq(emailOutbox.template, "pledge-released")))
    : [];
  return { transitions: transitions.length, audits: audits.length, emails: emails.length };
}

// ---------------------------------------------------------------- a staff server build (real HTML)

const routes = {
  root: { id: "root", path: "", module: root },
  "routes/staff.$orgSlug": { id: "routes/staff.$orgSlug", parentId: "root", path: "staff/:orgSlug", module: staffLayout },
  "routes/staff.$orgSlug.audit": { id: "routes/staff.$orgSlug.audit", parentId: "routes/staff.$orgSlug", path: "audit", module: auditPage },
  "routes/staff.$orgSlug.needs.$needId._index": {
    id: "routes/staff.$orgSlug.needs.$needId._index",
    parentId: "routes/staff.$orgSlug",
    path: "needs/:needId",
    index: true,
    module: needPage,
  },
};
const handler = handMadeHandler(routes);

async function staffHtml(path: string, userId: string, lng: "ar" | "en"): Promise<string> {
  const cookie = [await signIn(userId), (await localeCookie.serialize(lng)).split(";")[0]].join("; ");
  const response = await handler(new Request(new URL(path, "http://localhost"), { headers: { cookie, "x-tadamon-client-ip": "203.0.113.9", "user-agent": "vitest" } }));
  expect(response.status, path).toBe(200);
  return response.text();
}

// ---------------------------------------------------------------- the job

describe("need expiry", () => {
  it("a run expires a published need past its deadline day as the system, releases its pledges and tells each donor; a second run changes nothing", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const en = await createPledge(db, pledgeInput(w.need, { amountMinor: 3_000, locale: "en" }));
    const ar = await createPledge(db, pledgeInput(w.need, { amountMinor: 2_000, locale: "ar", method: "cash", displayName: "سميرة" }));
    expect((await needRow(w.need.id)).reservedMinor).toBe(5_000);
    await setDeadline(w.need.id, yesterdayIn(w.org.timeZone));
    // Others that must not move: one due today (still open until the day ends), one already cancelled.
    const today = await publishedNeed(w);
    await setDeadline(today.id, todayIn(w.org.timeZone));
    const cancelled = await publishedNeed(w);
    await transitionNeed(db, actorFor(w.admin.id), { orgId: w.org.id, needId: cancelled.id, action: "cancel", reason: "Duplicate" });
    await setDeadline(cancelled.id, yesterdayIn(w.org.timeZone));
    // A funded need past its deadline stays funded (its money is there; disbursement is next).
    const funded = await publishedNeed(w);
    await db.update(needs).set({ state: "funded", deadline: yesterdayIn(w.org.timeZone) }).where(eq(needs.id, funded.id));

    // (On a shared PostgreSQL another file's job may run it first: the state says what happened either way.)
    const expired = await runNeedExpiry(db);
    expect(expired).not.toContain(today.id);
    expect(expired).not.toContain(cancelled.id);

    const need = await needRow(w.need.id);
    expect(need.state).toBe("expired");
    expect(need.reservedMinor).toBe(0);
    expect((await needRow(today.id)).state).toBe("published");
    expect((await needRow(cancelled.id)).state).toBe("cancelled");
    expect((await needRow(funded.id)).state).toBe("funded");

    const released = await db.select().from(pledges).where(eq(pledges.needId, w.need.id));
    expect(released.map((p) => p.status)).toEqual(["expired", "expired"]);

    // The system: no user in the transition, nor in the audit row.
    const [transition] = await db
      .select()
      .from(needTransitions)
      .where(and(eq(needTransitions.needId, w.need.id), eq(needTransitions.action, "expire")));
    expect(transition).toMatchObject({ fromState: "published", toState: "expired", actorId: null });
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, w.need.id), eq(auditLog.action, "need.expire")));
    expect(audit).toMatchObject({ actorUserId: null, orgId: w.org.id, entityType: "need" });

    // Each donor is told in the pledge's language.
    const mail = async (to: string) => {
      const rows = await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, to), eq(emailOutbox.template, "pledge-released")));
      expect(rows).toHaveLength(1);
      return rows[0];
    };
    const enMail = await mail(en.pledge.email);
    expect(enMail.locale).toBe("en");
    expect(enMail.text).toContain(en.pledge.reference);
    expect(enMail.text).toContain("School fees for a ninth-grade student");
    expect(enMail.text).toContain("reached its deadline");
    expect(enMail.text).toContain("Nothing more is expected from you");
    expect(enMail.text).not.toContain("already paid");
    const arMail = await mail(ar.pledge.email);
    expect(arMail.locale).toBe("ar");
    expect(arMail.text).toContain(ar.pledge.reference);
    expect(arMail.text).toContain("أقساط مدرسية لطالبة في الصف التاسع");
    expect(arMail.text).toContain("انتهت مهلة الاحتياج");
    expect(arMail.text).toContain("لم يعد مطلوباً منك أي شيء");
    for (const m of [enMail, arMail]) {
      for (const secret of ["فاطمة أحمد الحسن", "Yousef", "Al-Amal Private School", "IBAN LB00"]) expect(m.html).not.toContain(secret);
    }

    // Idempotent: a second run (and the module called directly) finds nothing more to do.
    const before = await counts(w.need.id);
    expect(await runNeedExpiry(db)).not.toContain(w.need.id);
    expect(await expireNeeds(db, new Date(), { orgId: w.org.id })).toEqual([]);
    expect(await counts(w.need.id)).toEqual(before);
    expect(before).toMatchObject({ transitions: 4, emails: 2 });
    expect((await needRow(w.need.id)).reservedMinor).toBe(0);
  });

  it("a deadline lasts until its day ends in the organisation's time zone", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    await db.update(organizations).set({ timeZone: "Asia/Beirut" }).where(eq(organizations.id, w.org.id));
    // A day far ahead, so no other run on a shared database reaches it first.
    await setDeadline(w.need.id, "2099-03-10");
    // 23:30 in Beirut on the 10th (UTC+2): still open.
    expect(await expireNeeds(db, new Date("2099-03-10T21:30:00Z"), { orgId: w.org.id })).toEqual([]);
    expect((await needRow(w.need.id)).state).toBe("published");
    // 00:30 on the 11th in Beirut, still the 10th in UTC: expired.
    expect(await expireNeeds(db, new Date("2099-03-10T22:30:00Z"), { orgId: w.org.id })).toEqual([w.need.id]);
    expect((await needRow(w.need.id)).state).toBe("expired");
  });

  it("is scheduled every 15 minutes, and runs at start-up", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    await setDeadline(w.need.id, yesterdayIn(w.org.timeZone));
    const database = await getDatabase();
    await startJobs(database, { transport: null, dispatch: { recipients: ["nobody@example.test"] }, pollingIntervalSeconds: 0.5 });
    const { rows } = await database.executeSql("select name, cron from pgboss.schedule where name = $1", [NEED_EXPIRY_QUEUE]);
    expect(rows).toEqual([{ name: NEED_EXPIRY_QUEUE, cron: "*/15 * * * *" }]);
    const until = Date.now() + 20_000;
    let state = "published";
    while (Date.now() < until) {
      state = (await needRow(w.need.id)).state;
      if (state === "expired") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(state).toBe("expired");
  });
});

// ---------------------------------------------------------------- "the system" in every history

describe("the system in the histories", () => {
  it("the need's history and the audit log show the system for the expiry, never a person, in both languages; the audit filter finds it", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    await setDeadline(w.need.id, yesterdayIn(w.org.timeZone));
    await expireNeeds(db, new Date(), { orgId: w.org.id });
    expect((await needRow(w.need.id)).state).toBe("expired");

    // The module: every transition is listed (the system's too), with no actor.
    const found = await getNeedForStaff(db, w.org.id, w.need.id);
    expect(found.transitions.map((t) => t.action)).toEqual(["submit", "verify", "publish", "expire"]);
    expect(found.transitions[3]).toMatchObject({ actorId: null, actorName: null });

    const en = await staffHtml(`/staff/${w.org.slug}/needs/${w.need.id}`, w.admin.id, "en");
    const history = en.slice(en.indexOf('data-testid="need-history"'));
    expect(history).toContain("Published → Expired, by the system on");
    expect(history).toContain("by Caseworker on");
    const ar = await staffHtml(`/staff/${w.org.slug}/needs/${w.need.id}`, w.admin.id, "ar");
    expect(ar.slice(ar.indexOf('data-testid="need-history"'))).toContain("من قبل النظام بتاريخ");

    // The audit log: the system's row says so (and is found by the actor filter "system").
    const system = await queryAuditLog(db, { orgId: w.org.id, timeZone: w.org.timeZone, filters: { actor: "system" } });
    expect(system.entries.map((e) => e.action)).toEqual(["need.expire"]);
    expect(system.entries[0].actor).toBeNull();
    const people = await queryAuditLog(db, { orgId: w.org.id, timeZone: w.org.timeZone, filters: { actor: w.author.id } });
    expect(people.entries.every((e) => e.actor?.id === w.author.id)).toBe(true);

    const auditEn = await staffHtml(`/staff/${w.org.slug}/audit?actor=system`, w.admin.id, "en");
    const rowsEn = [...auditEn.matchAll(/<li[^>]*data-testid="audit-row"[\s\S]*?<\/li>/g)].map((m) => m[0]);
    expect(rowsEn).toHaveLength(1);
    expect(rowsEn[0]).toContain("The system");
    expect(rowsEn[0]).toContain("Need expired");
    expect(auditEn).toMatch(/<option value="system"[^>]*>The system<\/option>/);
    const auditAr = await staffHtml(`/staff/${w.org.slug}/audit`, w.admin.id, "ar");
    const expireRow = [...auditAr.matchAll(/<li[^>]*data-testid="audit-row"[\s\S]*?<\/li>/g)].map((m) => m[0]).find((r) => r.includes("انتهت مهلة الاحتياج"));
    expect(expireRow).toContain("النظام");
    // Every other row names a person of the organisation, never blank.
    const rows = await db.select().from(auditLog).where(eq(auditLog.orgId, w.org.id)).orderBy(asc(auditLog.id));
    expect(rows.filter((r) => r.actorUserId === null).map((r) => r.action)).toEqual(["need.expire"]);
  });
});
