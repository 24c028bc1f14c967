CREATE TYPE "public"."pledge_kind" AS ENUM('need', 'fund');--> statement-breakpoint
ALTER TYPE "public"."payment_allocation" ADD VALUE 'zakat_fund' BEFORE 'suspense';--> statement-breakpoint
ALTER TYPE "public"."ledger_account_kind" ADD VALUE 'zakat_fund' BEFORE 'refunds_payable';--> statement-breakpoint
ALTER TABLE "pledges" ALTER COLUMN "need_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "pledges" ADD COLUMN "kind" "pledge_kind" DEFAULT 'need' NOT NULL;--> statement-breakpoint
ALTER TABLE "pledges" ADD COLUMN "zakat" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "pledges" ADD COLUMN "fund_categories" "need_category"[];--> statement-breakpoint
ALTER TABLE "pledges" ADD COLUMN "fund_region_id" uuid;--> statement-breakpoint
ALTER TABLE "pledges" ADD CONSTRAINT "pledges_fund_region_id_regions_id_fk" FOREIGN KEY ("fund_region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledges" ADD CONSTRAINT "pledges_kind_target" CHECK (("pledges"."kind" = 'need') = ("pledges"."need_id" is not null));--> statement-breakpoint
ALTER TABLE "pledges" ADD CONSTRAINT "pledges_fund_restrictions" CHECK ("pledges"."kind" = 'fund' or ("pledges"."fund_categories" is null and "pledges"."fund_region_id" is null));