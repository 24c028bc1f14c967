CREATE TYPE "public"."appeal_kind" AS ENUM('matched', 'emergency');--> statement-breakpoint
CREATE TABLE "appeal_needs" (
	"appeal_id" uuid NOT NULL,
	"need_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "appeals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"slug" text NOT NULL,
	"kind" "appeal_kind" NOT NULL,
	"title_ar" text,
	"title_en" text,
	"story_ar" text,
	"story_en" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"categories" "need_category"[],
	"region_id" uuid,
	"match_percent" smallint,
	"match_cap_minor" bigint,
	"currency" char(3) NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appeals_window" CHECK ("appeals"."ends_at" > "appeals"."starts_at"),
	CONSTRAINT "appeals_match" CHECK (("appeals"."match_percent" is null) = ("appeals"."match_cap_minor" is null)),
	CONSTRAINT "appeals_match_range" CHECK ("appeals"."match_percent" is null or ("appeals"."match_percent" between 1 and 500 and "appeals"."match_cap_minor" > 0)),
	CONSTRAINT "appeals_some_title" CHECK (coalesce("appeals"."title_ar", "appeals"."title_en") is not null)
);
--> statement-breakpoint
CREATE TABLE "appeal_matches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"appeal_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"need_id" uuid NOT NULL,
	"sponsor_payment_id" uuid NOT NULL,
	"gift_minor" bigint NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"entry_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "appeal_matches_amount_positive" CHECK ("appeal_matches"."amount_minor" > 0)
);
--> statement-breakpoint
ALTER TABLE "pledges" ADD COLUMN "appeal_id" uuid;--> statement-breakpoint
ALTER TABLE "appeal_needs" ADD CONSTRAINT "appeal_needs_appeal_id_appeals_id_fk" FOREIGN KEY ("appeal_id") REFERENCES "public"."appeals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_needs" ADD CONSTRAINT "appeal_needs_need_id_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_matches" ADD CONSTRAINT "appeal_matches_appeal_id_appeals_id_fk" FOREIGN KEY ("appeal_id") REFERENCES "public"."appeals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_matches" ADD CONSTRAINT "appeal_matches_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_matches" ADD CONSTRAINT "appeal_matches_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_matches" ADD CONSTRAINT "appeal_matches_need_id_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_matches" ADD CONSTRAINT "appeal_matches_sponsor_payment_id_payments_id_fk" FOREIGN KEY ("sponsor_payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "appeal_matches" ADD CONSTRAINT "appeal_matches_entry_id_ledger_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "appeal_needs_pk" ON "appeal_needs" USING btree ("appeal_id","need_id");--> statement-breakpoint
CREATE INDEX "appeal_needs_need_idx" ON "appeal_needs" USING btree ("need_id");--> statement-breakpoint
CREATE UNIQUE INDEX "appeals_slug_key" ON "appeals" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "appeals_org_idx" ON "appeals" USING btree ("org_id","ends_at");--> statement-breakpoint
CREATE INDEX "appeal_matches_payment_idx" ON "appeal_matches" USING btree ("payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "appeal_matches_payment_sponsor_key" ON "appeal_matches" USING btree ("payment_id","sponsor_payment_id");--> statement-breakpoint
CREATE INDEX "appeal_matches_appeal_idx" ON "appeal_matches" USING btree ("appeal_id","created_at");--> statement-breakpoint
ALTER TABLE "pledges" ADD CONSTRAINT "pledges_appeal_id_appeals_id_fk" FOREIGN KEY ("appeal_id") REFERENCES "public"."appeals"("id") ON DELETE no action ON UPDATE no action;