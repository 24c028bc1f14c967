ALTER TABLE "needs" ADD COLUMN "reserved_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "needs" ADD COLUMN "paid_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "needs" ADD COLUMN "donor_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "needs" ADD COLUMN "search_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "needs_public_urgency_idx" ON "needs" USING btree ("urgency","deadline") WHERE "needs"."state" = 'published';--> statement-breakpoint
CREATE INDEX "needs_public_deadline_idx" ON "needs" USING btree ("deadline") WHERE "needs"."state" = 'published';--> statement-breakpoint
CREATE INDEX "needs_public_published_idx" ON "needs" USING btree ("published_at") WHERE "needs"."state" = 'published';--> statement-breakpoint
CREATE INDEX "needs_public_category_idx" ON "needs" USING btree ("category","urgency","deadline") WHERE "needs"."state" = 'published';--> statement-breakpoint
CREATE INDEX "needs_public_region_idx" ON "needs" USING btree ("public_region_id","urgency","deadline") WHERE "needs"."state" = 'published';--> statement-breakpoint
CREATE INDEX "needs_public_org_idx" ON "needs" USING btree ("org_id","urgency","deadline") WHERE "needs"."state" = 'published';--> statement-breakpoint
CREATE INDEX "needs_public_currency_idx" ON "needs" USING btree ("currency","urgency","deadline") WHERE "needs"."state" = 'published';--> statement-breakpoint
CREATE INDEX "needs_public_search_idx" ON "needs" USING gin (to_tsvector('simple', "search_text")) WHERE "needs"."state" = 'published';--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_capacity" CHECK ("needs"."reserved_minor" >= 0 and "needs"."paid_minor" >= 0 and "needs"."reserved_minor" + "needs"."paid_minor" <= "needs"."target_minor");