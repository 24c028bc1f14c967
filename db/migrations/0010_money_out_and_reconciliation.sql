CREATE TYPE "public"."payee_change_status" AS ENUM('pending', 'approved', 'rejected', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."payee_collection" AS ENUM('bank_transfer', 'cash');--> statement-breakpoint
CREATE TYPE "public"."payee_status" AS ENUM('active', 'inactive');--> statement-breakpoint
CREATE TYPE "public"."not_donation_kind" AS ENUM('bank_charge', 'interest', 'internal_transfer', 'opening_balance', 'other');--> statement-breakpoint
CREATE TYPE "public"."stripe_payout_status" AS ENUM('paid', 'failed', 'canceled');--> statement-breakpoint
CREATE TYPE "public"."statement_import_status" AS ENUM('uploaded', 'importing', 'matching', 'done', 'failed');--> statement-breakpoint
CREATE TYPE "public"."statement_line_status" AS ENUM('unmatched', 'suggested', 'matched', 'not_donation');--> statement-breakpoint
CREATE TYPE "public"."statement_match_kind" AS ENUM('reference', 'amount_date', 'manual', 'payout', 'disbursement');--> statement-breakpoint
CREATE TYPE "public"."disbursement_method" AS ENUM('bank_transfer', 'cash', 'money_transfer', 'cheque');--> statement-breakpoint
CREATE TYPE "public"."disbursement_status" AS ENUM('requested', 'approved', 'rejected', 'paid', 'cancelled');--> statement-breakpoint
ALTER TYPE "public"."payee_kind" ADD VALUE 'landlord';--> statement-breakpoint
ALTER TYPE "public"."payment_status" ADD VALUE 'reversed';--> statement-breakpoint
ALTER TYPE "public"."ledger_account_kind" ADD VALUE 'bank_charges';--> statement-breakpoint
ALTER TYPE "public"."ledger_account_kind" ADD VALUE 'interest_income';--> statement-breakpoint
ALTER TYPE "public"."ledger_account_kind" ADD VALUE 'in_transit';--> statement-breakpoint
ALTER TYPE "public"."ledger_account_kind" ADD VALUE 'opening_balance';--> statement-breakpoint
ALTER TYPE "public"."ledger_account_type" ADD VALUE 'equity';--> statement-breakpoint
ALTER TYPE "public"."ledger_entry_kind" ADD VALUE 'payout';--> statement-breakpoint
ALTER TYPE "public"."ledger_entry_kind" ADD VALUE 'bank_charge';--> statement-breakpoint
ALTER TYPE "public"."ledger_entry_kind" ADD VALUE 'interest';--> statement-breakpoint
ALTER TYPE "public"."ledger_entry_kind" ADD VALUE 'internal_transfer';--> statement-breakpoint
ALTER TYPE "public"."ledger_entry_kind" ADD VALUE 'opening_balance';--> statement-breakpoint
CREATE TABLE "payee_detail_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"payee_id" uuid NOT NULL,
	"proposed" jsonb NOT NULL,
	"previous" jsonb,
	"reason" text,
	"status" "payee_change_status" DEFAULT 'pending' NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	CONSTRAINT "payee_detail_changes_four_eyes" CHECK ("payee_detail_changes"."decided_by" is null or "payee_detail_changes"."status" = 'withdrawn' or "payee_detail_changes"."decided_by" <> "payee_detail_changes"."requested_by")
);
--> statement-breakpoint
CREATE TABLE "payees" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" "payee_kind" NOT NULL,
	"name" text NOT NULL,
	"household_id" uuid,
	"contact_name" text,
	"phone" text,
	"email" text,
	"address" text,
	"notes" text,
	"status" "payee_status" DEFAULT 'active' NOT NULL,
	"collection" "payee_collection",
	"bank_name" text,
	"account_holder" text,
	"account_number" text,
	"cash_collection_note" text,
	"details_approved_at" timestamp with time zone,
	"search_text" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payees_household_kind" CHECK ("payees"."household_id" is null or "payees"."kind" = 'household')
);
--> statement-breakpoint
CREATE TABLE "reconciliation_periods" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"money_account_id" uuid NOT NULL,
	"month" date NOT NULL,
	"currency" char(3) NOT NULL,
	"statement_closing_minor" bigint,
	"ledger_closing_minor" bigint NOT NULL,
	"difference_minor" bigint NOT NULL,
	"snapshot" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"closed_by" uuid NOT NULL,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reconciliation_periods_first_day" CHECK (extract(day from "reconciliation_periods"."month") = 1)
);
--> statement-breakpoint
CREATE TABLE "statement_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"money_account_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"content" text NOT NULL,
	"mapping" jsonb NOT NULL,
	"status" "statement_import_status" DEFAULT 'uploaded' NOT NULL,
	"total_rows" integer DEFAULT 0 NOT NULL,
	"processed_rows" integer DEFAULT 0 NOT NULL,
	"new_lines" integer DEFAULT 0 NOT NULL,
	"duplicate_lines" integer DEFAULT 0 NOT NULL,
	"malformed_rows" integer DEFAULT 0 NOT NULL,
	"matched_auto" integer DEFAULT 0 NOT NULL,
	"suggested" integer DEFAULT 0 NOT NULL,
	"unmatched" integer DEFAULT 0 NOT NULL,
	"problems" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"first_date" date,
	"last_date" date,
	"closing_balance_minor" bigint,
	"error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "statement_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"money_account_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"fingerprint" text NOT NULL,
	"value_date" date NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"reference" text,
	"balance_minor" bigint,
	"status" "statement_line_status" DEFAULT 'unmatched' NOT NULL,
	"suggestions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"matched_minor" bigint DEFAULT 0 NOT NULL,
	"not_donation_kind" "not_donation_kind",
	"ledger_entry_id" uuid,
	"matched_by" uuid,
	"matched_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "statement_lines_amount_nonzero" CHECK ("statement_lines"."amount_minor" <> 0)
);
--> statement-breakpoint
CREATE TABLE "statement_mappings" (
	"money_account_id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"mapping" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "statement_matches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"line_id" uuid NOT NULL,
	"kind" "statement_match_kind" NOT NULL,
	"amount_minor" bigint NOT NULL,
	"fee_minor" bigint DEFAULT 0 NOT NULL,
	"pledge_id" uuid,
	"payment_id" uuid,
	"disbursement_batch_id" uuid,
	"payout_id" text,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_by" uuid,
	"undone_at" timestamp with time zone,
	"undo_entry_id" uuid,
	CONSTRAINT "statement_matches_amount_positive" CHECK ("statement_matches"."amount_minor" > 0),
	CONSTRAINT "statement_matches_status" CHECK ("statement_matches"."status" in ('active', 'undone'))
);
--> statement-breakpoint
CREATE TABLE "stripe_payouts" (
	"id" text PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"arrival_date" date NOT NULL,
	"status" "stripe_payout_status" NOT NULL,
	"money_account_id" uuid,
	"ledger_entry_id" uuid,
	"statement_descriptor" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stripe_payouts_amount_positive" CHECK ("stripe_payouts"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "disbursement_batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"number" text NOT NULL,
	"payee_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"total_minor" bigint NOT NULL,
	"method" "disbursement_method" NOT NULL,
	"money_account_id" uuid NOT NULL,
	"status" "disbursement_status" DEFAULT 'requested' NOT NULL,
	"note" text,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"rejection_reason" text,
	"paid_by" uuid,
	"paid_at" timestamp with time zone,
	"paid_date" date,
	"paid_reference" text,
	"proof_document_id" uuid,
	"ledger_entry_id" uuid,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disbursement_batches_total_positive" CHECK ("disbursement_batches"."total_minor" > 0),
	CONSTRAINT "disbursement_batches_four_eyes" CHECK ("disbursement_batches"."decided_by" is null or "disbursement_batches"."decided_by" <> "disbursement_batches"."requested_by"),
	CONSTRAINT "disbursement_batches_paid_complete" CHECK ("disbursement_batches"."status" <> 'paid' or ("disbursement_batches"."paid_date" is not null and "disbursement_batches"."ledger_entry_id" is not null and "disbursement_batches"."decided_by" is not null))
);
--> statement-breakpoint
CREATE TABLE "disbursements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"need_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disbursements_amount_positive" CHECK ("disbursements"."amount_minor" > 0)
);
--> statement-breakpoint
DROP INDEX "payments_external_id_key";--> statement-breakpoint
ALTER TABLE "needs" ADD COLUMN "payee_id" uuid;--> statement-breakpoint
ALTER TABLE "needs" ADD COLUMN "disbursed_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "reversed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "reversed_by" uuid;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "stripe_payout_id" text;--> statement-breakpoint
ALTER TABLE "receipts" ADD COLUMN "voided_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payee_detail_changes" ADD CONSTRAINT "payee_detail_changes_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payee_detail_changes" ADD CONSTRAINT "payee_detail_changes_payee_id_payees_id_fk" FOREIGN KEY ("payee_id") REFERENCES "public"."payees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payee_detail_changes" ADD CONSTRAINT "payee_detail_changes_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payee_detail_changes" ADD CONSTRAINT "payee_detail_changes_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payees" ADD CONSTRAINT "payees_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payees" ADD CONSTRAINT "payees_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payees" ADD CONSTRAINT "payees_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_periods" ADD CONSTRAINT "reconciliation_periods_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_periods" ADD CONSTRAINT "reconciliation_periods_money_account_id_money_accounts_id_fk" FOREIGN KEY ("money_account_id") REFERENCES "public"."money_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reconciliation_periods" ADD CONSTRAINT "reconciliation_periods_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_imports" ADD CONSTRAINT "statement_imports_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_imports" ADD CONSTRAINT "statement_imports_money_account_id_money_accounts_id_fk" FOREIGN KEY ("money_account_id") REFERENCES "public"."money_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_imports" ADD CONSTRAINT "statement_imports_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_lines" ADD CONSTRAINT "statement_lines_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_lines" ADD CONSTRAINT "statement_lines_money_account_id_money_accounts_id_fk" FOREIGN KEY ("money_account_id") REFERENCES "public"."money_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_lines" ADD CONSTRAINT "statement_lines_import_id_statement_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."statement_imports"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_lines" ADD CONSTRAINT "statement_lines_ledger_entry_id_ledger_entries_id_fk" FOREIGN KEY ("ledger_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_lines" ADD CONSTRAINT "statement_lines_matched_by_users_id_fk" FOREIGN KEY ("matched_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_mappings" ADD CONSTRAINT "statement_mappings_money_account_id_money_accounts_id_fk" FOREIGN KEY ("money_account_id") REFERENCES "public"."money_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_mappings" ADD CONSTRAINT "statement_mappings_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_mappings" ADD CONSTRAINT "statement_mappings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_matches" ADD CONSTRAINT "statement_matches_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_matches" ADD CONSTRAINT "statement_matches_line_id_statement_lines_id_fk" FOREIGN KEY ("line_id") REFERENCES "public"."statement_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_matches" ADD CONSTRAINT "statement_matches_pledge_id_pledges_id_fk" FOREIGN KEY ("pledge_id") REFERENCES "public"."pledges"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_matches" ADD CONSTRAINT "statement_matches_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_matches" ADD CONSTRAINT "statement_matches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_matches" ADD CONSTRAINT "statement_matches_undone_by_users_id_fk" FOREIGN KEY ("undone_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "statement_matches" ADD CONSTRAINT "statement_matches_undo_entry_id_ledger_entries_id_fk" FOREIGN KEY ("undo_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_payouts" ADD CONSTRAINT "stripe_payouts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_payouts" ADD CONSTRAINT "stripe_payouts_money_account_id_money_accounts_id_fk" FOREIGN KEY ("money_account_id") REFERENCES "public"."money_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_payouts" ADD CONSTRAINT "stripe_payouts_ledger_entry_id_ledger_entries_id_fk" FOREIGN KEY ("ledger_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disbursement_batches" ADD CONSTRAINT "disbursement_batches_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disbursement_batches" ADD CONSTRAINT "disbursement_batches_payee_id_payees_id_fk" FOREIGN KEY ("payee_id") REFERENCES "public"."payees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disbursement_batches" ADD CONSTRAINT "disbursement_batches_money_account_id_money_accounts_id_fk" FOREIGN KEY ("money_account_id") REFERENCES "public"."money_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disbursement_batches" ADD CONSTRAINT "disbursement_batches_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disbursement_batches" ADD CONSTRAINT "disbursement_batches_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disbursement_batches" ADD CONSTRAINT "disbursement_batches_paid_by_users_id_fk" FOREIGN KEY ("paid_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disbursement_batches" ADD CONSTRAINT "disbursement_batches_proof_document_id_payment_documents_id_fk" FOREIGN KEY ("proof_document_id") REFERENCES "public"."payment_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disbursement_batches" ADD CONSTRAINT "disbursement_batches_ledger_entry_id_ledger_entries_id_fk" FOREIGN KEY ("ledger_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disbursements" ADD CONSTRAINT "disbursements_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disbursements" ADD CONSTRAINT "disbursements_batch_id_disbursement_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."disbursement_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disbursements" ADD CONSTRAINT "disbursements_need_id_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "payee_detail_changes_pending_key" ON "payee_detail_changes" USING btree ("payee_id") WHERE "payee_detail_changes"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "payee_detail_changes_org_idx" ON "payee_detail_changes" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "payees_org_idx" ON "payees" USING btree ("org_id","status","kind");--> statement-breakpoint
CREATE INDEX "payees_household_idx" ON "payees" USING btree ("household_id") WHERE "payees"."household_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "reconciliation_periods_key" ON "reconciliation_periods" USING btree ("money_account_id","month");--> statement-breakpoint
CREATE INDEX "reconciliation_periods_org_idx" ON "reconciliation_periods" USING btree ("org_id","month");--> statement-breakpoint
CREATE INDEX "statement_imports_account_idx" ON "statement_imports" USING btree ("money_account_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "statement_lines_fingerprint_key" ON "statement_lines" USING btree ("money_account_id","fingerprint");--> statement-breakpoint
CREATE INDEX "statement_lines_account_date_idx" ON "statement_lines" USING btree ("money_account_id","value_date");--> statement-breakpoint
CREATE INDEX "statement_lines_org_status_idx" ON "statement_lines" USING btree ("org_id","status","value_date");--> statement-breakpoint
CREATE INDEX "statement_matches_line_idx" ON "statement_matches" USING btree ("line_id");--> statement-breakpoint
CREATE INDEX "statement_matches_payment_idx" ON "statement_matches" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "statement_matches_batch_idx" ON "statement_matches" USING btree ("disbursement_batch_id");--> statement-breakpoint
CREATE INDEX "stripe_payouts_org_idx" ON "stripe_payouts" USING btree ("org_id","arrival_date");--> statement-breakpoint
CREATE UNIQUE INDEX "disbursement_batches_number_key" ON "disbursement_batches" USING btree ("org_id","number");--> statement-breakpoint
CREATE UNIQUE INDEX "disbursement_batches_idempotency_key" ON "disbursement_batches" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "disbursement_batches_org_status_idx" ON "disbursement_batches" USING btree ("org_id","status","requested_at");--> statement-breakpoint
CREATE INDEX "disbursement_batches_payee_idx" ON "disbursement_batches" USING btree ("payee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "disbursements_batch_need_key" ON "disbursements" USING btree ("batch_id","need_id");--> statement-breakpoint
CREATE INDEX "disbursements_need_idx" ON "disbursements" USING btree ("need_id");--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_payee_id_payees_id_fk" FOREIGN KEY ("payee_id") REFERENCES "public"."payees"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_reversed_by_users_id_fk" FOREIGN KEY ("reversed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "payments_payout_idx" ON "payments" USING btree ("stripe_payout_id") WHERE "payments"."stripe_payout_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "payments_external_id_key" ON "payments" USING btree ("org_id","method","external_id") WHERE "payments"."external_id" is not null and "payments"."reversed_at" is null;--> statement-breakpoint
-- Payees from the needs' free text (issue 10): one payee per organisation, kind and name; a
-- household-kind need without a name is paid to its household. The free-text details become the
-- payee's notes, NOT approved bank details: those need a second finance person.
INSERT INTO "payees" ("org_id", "kind", "name", "notes", "search_text", "created_at", "updated_at")
SELECT n."org_id", n."payee_kind", btrim(n."payee_name"), max(n."payee_details"), lower(btrim(n."payee_name")), min(n."created_at"), now()
FROM "needs" n
WHERE n."payee_name" IS NOT NULL AND btrim(n."payee_name") <> ''
GROUP BY n."org_id", n."payee_kind", btrim(n."payee_name");--> statement-breakpoint
UPDATE "needs" n SET "payee_id" = p."id"
FROM "payees" p
WHERE n."payee_name" IS NOT NULL AND p."org_id" = n."org_id" AND p."kind" = n."payee_kind" AND p."name" = btrim(n."payee_name") AND p."household_id" IS NULL;--> statement-breakpoint
INSERT INTO "payees" ("org_id", "kind", "name", "household_id", "notes", "search_text", "created_at", "updated_at")
SELECT DISTINCT ON (h."id") h."org_id", 'household', h."reference", h."id", n."payee_details", lower(h."reference"), h."created_at", now()
FROM "needs" n JOIN "households" h ON h."id" = n."household_id"
WHERE n."payee_id" IS NULL AND n."payee_kind" = 'household'
ORDER BY h."id", n."created_at";--> statement-breakpoint
UPDATE "needs" n SET "payee_id" = p."id"
FROM "payees" p
WHERE n."payee_id" IS NULL AND n."payee_kind" = 'household' AND p."household_id" = n."household_id";--> statement-breakpoint
-- A closed month is locked: no posting on a money account may be dated inside it (month-end, issue 10).
CREATE OR REPLACE FUNCTION ledger_refuse_closed_period() RETURNS trigger AS $$
DECLARE
  v_account uuid;
  v_date date;
BEGIN
  SELECT la."money_account_id" INTO v_account FROM "ledger_accounts" la WHERE la."id" = NEW."account_id";
  IF v_account IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT e."value_date" INTO v_date FROM "ledger_entries" e WHERE e."id" = NEW."entry_id";
  IF EXISTS (
    SELECT 1 FROM "reconciliation_periods" p
    WHERE p."money_account_id" = v_account AND p."month" = date_trunc('month', v_date)::date
  ) THEN
    RAISE EXCEPTION 'ledger: % is in a closed month of money account %', v_date, v_account USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER "ledger_postings_closed_period" BEFORE INSERT ON "ledger_postings" FOR EACH ROW EXECUTE FUNCTION ledger_refuse_closed_period();--> statement-breakpoint
-- Closed months are history: never changed, never reopened silently.
CREATE OR REPLACE FUNCTION reconciliation_periods_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'reconciliation_periods is append-only' USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;--> statement-breakpoint
CREATE TRIGGER "reconciliation_periods_no_change" BEFORE UPDATE OR DELETE ON "reconciliation_periods" FOR EACH ROW EXECUTE FUNCTION reconciliation_periods_append_only();
