CREATE TYPE "public"."numerals" AS ENUM('latn', 'arab');--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "numerals" "numerals" DEFAULT 'latn' NOT NULL;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "registered_with_ar" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "registered_with_en" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "mission_ar" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "mission_en" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "founded_year" integer;--> statement-breakpoint
ALTER TABLE "organizations" ADD CONSTRAINT "organizations_founded_year" CHECK ("organizations"."founded_year" is null or "organizations"."founded_year" between 1900 and 2100);