CREATE TABLE "public_need_totals" (
	"currency" char(3) NOT NULL,
	"slot" smallint NOT NULL,
	"raised_minor" bigint DEFAULT 0 NOT NULL,
	"published" integer DEFAULT 0 NOT NULL,
	"funded" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "public_need_totals_currency_slot_pk" PRIMARY KEY("currency","slot")
);
--> statement-breakpoint
DROP INDEX "needs_public_urgency_idx";--> statement-breakpoint
DROP INDEX "needs_public_deadline_idx";--> statement-breakpoint
DROP INDEX "needs_public_published_idx";--> statement-breakpoint
DROP INDEX "needs_public_category_idx";--> statement-breakpoint
DROP INDEX "needs_public_region_idx";--> statement-breakpoint
DROP INDEX "needs_public_org_idx";--> statement-breakpoint
DROP INDEX "needs_public_currency_idx";--> statement-breakpoint
DROP INDEX "needs_public_nearly_funded_idx";--> statement-breakpoint
CREATE INDEX "needs_public_urgency_idx" ON "needs" USING btree ("urgency","deadline","id") WHERE "needs"."state" = 'published';--> statement-breakpoint
CREATE INDEX "needs_public_deadline_idx" ON "needs" USING btree ("deadline","urgency","id") WHERE "needs"."state" = 'published';--> statement-breakpoint
CREATE INDEX "needs_public_published_idx" ON "needs" USING btree (coalesce("published_at", "created_at"),"id") WHERE "needs"."state" = 'published';--> statement-breakpoint
CREATE INDEX "needs_public_category_idx" ON "needs" USING btree ("category","urgency","deadline","id") WHERE "needs"."state" = 'published';--> statement-breakpoint
CREATE INDEX "needs_public_region_idx" ON "needs" USING btree ("public_region_id","urgency","deadline","id") WHERE "needs"."state" = 'published';--> statement-breakpoint
CREATE INDEX "needs_public_org_idx" ON "needs" USING btree ("org_id","urgency","deadline","id") WHERE "needs"."state" = 'published';--> statement-breakpoint
CREATE INDEX "needs_public_currency_idx" ON "needs" USING btree ("currency","urgency","deadline","id") WHERE "needs"."state" = 'published';--> statement-breakpoint
CREATE INDEX "needs_public_nearly_funded_idx" ON "needs" USING btree ((-(("paid_minor" + "reserved_minor")::float8 / "target_minor")),"deadline","id") WHERE "needs"."state" = 'published';