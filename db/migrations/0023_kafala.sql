ALTER TYPE "public"."monthly_gift_status" ADD VALUE 'completed';--> statement-breakpoint
ALTER TYPE "public"."monthly_gift_status" ADD VALUE 'lapsed';--> statement-breakpoint
ALTER TABLE "needs" ADD COLUMN "sponsorship_months" smallint;--> statement-breakpoint
ALTER TABLE "monthly_gifts" ADD COLUMN "need_id" uuid;--> statement-breakpoint
ALTER TABLE "monthly_gifts" ADD CONSTRAINT "monthly_gifts_need_id_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "monthly_gifts_need_idx" ON "monthly_gifts" USING btree ("need_id") WHERE "monthly_gifts"."need_id" is not null;--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_sponsorship_months" CHECK ("needs"."sponsorship_months" is null or ("needs"."sponsorship_months" between 2 and 60 and "needs"."category" <> 'in_kind_item'));--> statement-breakpoint
ALTER TABLE "monthly_gifts" ADD CONSTRAINT "monthly_gifts_kafala_unrestricted" CHECK ("monthly_gifts"."need_id" is null or ("monthly_gifts"."fund_categories" is null and "monthly_gifts"."fund_region_id" is null));