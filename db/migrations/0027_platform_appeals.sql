ALTER TABLE "appeals" ALTER COLUMN "org_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "appeals" ADD COLUMN "country" char(2);--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_platform" CHECK (case when "appeals"."org_id" is null then "appeals"."match_percent" is null and "appeals"."region_id" is null else "appeals"."country" is null end);