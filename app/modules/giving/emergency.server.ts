/**
 * Which needs a running emergency appeal fast-tracks (decisions 068 and 072): the verifiers' queue
 * puts them first — still verified by a second person. Only schema imports, so the needs module
 * can use it without depending on the giving module.
 */
import { sql } from "drizzle-orm";
import { appealNeeds, appeals, needs, organizations } from "#db/schema";

/** Needs chosen for an emergency appeal that is running: the verifiers' queue puts them first. */
export function inRunningEmergency(now: Date = new Date()) {
  const at = sql`${now.toISOString()}::timestamptz`;
  // Chosen for an emergency appeal — or, for a platform emergency (decision 072), matching its
  // filter: its currency, country and kinds of need, in whichever organisation.
  return sql<boolean>`(exists (select 1 from ${appealNeeds} an join ${appeals} a on a.id = an.appeal_id where an.need_id = ${needs.id} and a.kind = 'emergency' and a.ends_at > ${at})
    or exists (select 1 from ${appeals} a join ${organizations} o on o.id = ${needs.orgId} where a.org_id is null and a.kind = 'emergency' and a.ends_at > ${at} and a.starts_at <= ${at}
      and a.currency = ${needs.currency} and (a.country is null or a.country = o.country) and (a.categories is null or ${needs.category} = any(a.categories))))`;
}


