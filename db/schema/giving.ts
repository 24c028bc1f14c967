import { sql } from "drizzle-orm";
import { bigint, boolean, char, check, pgEnum, pgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./identity";
import { needCategoryEnum } from "./needs";
import { DIGEST_FREQUENCIES } from "../../app/modules/giving/frequencies";

/**
 * Giving (issue 12): what a donor wants to support, and how often they want to hear of it.
 * Regions are public regions only (governorates); organisations are any organisation. Every
 * list empty means "anything".
 */
export const digestFrequencyEnum = pgEnum("digest_frequency", DIGEST_FREQUENCIES);

export const givingPreferences = pgTable(
  "giving_preferences",
  {
    userId: uuid()
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    categories: needCategoryEnum().array().notNull().default(sql`'{}'`),
    regionIds: uuid().array().notNull().default(sql`'{}'::uuid[]`),
    orgIds: uuid().array().notNull().default(sql`'{}'::uuid[]`),
    /** Only zakat-eligible needs. */
    zakatOnly: boolean().notNull().default(false),
    /** What the donor means to give a month (a guide shown back to them; never charged from here). */
    monthlyBudgetMinor: bigint({ mode: "number" }),
    budgetCurrency: char({ length: 3 }),
    digest: digestFrequencyEnum().notNull().default("off"),
    /** Needs published after this are "new" for the next digest; null: since the preferences were saved. */
    digestSentAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      "giving_preferences_budget",
      sql`(${t.monthlyBudgetMinor} is null and ${t.budgetCurrency} is null) or (${t.monthlyBudgetMinor} > 0 and ${t.budgetCurrency} is not null)`,
    ),
  ],
);
