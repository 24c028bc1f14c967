CREATE TYPE "public"."zakat_category" AS ENUM('fuqara', 'masakin', 'gharimin', 'ibn_sabil', 'fi_sabilillah', 'riqab', 'muallafa');--> statement-breakpoint
CREATE TYPE "public"."digest_frequency" AS ENUM('off', 'weekly', 'monthly');--> statement-breakpoint
CREATE TABLE "giving_preferences" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"categories" "need_category"[] DEFAULT '{}' NOT NULL,
	"region_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"org_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"zakat_only" boolean DEFAULT false NOT NULL,
	"monthly_budget_minor" bigint,
	"budget_currency" char(3),
	"digest" "digest_frequency" DEFAULT 'off' NOT NULL,
	"digest_sent_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "giving_preferences_budget" CHECK (("giving_preferences"."monthly_budget_minor" is null and "giving_preferences"."budget_currency" is null) or ("giving_preferences"."monthly_budget_minor" > 0 and "giving_preferences"."budget_currency" is not null))
);
--> statement-breakpoint
ALTER TABLE "needs" ADD COLUMN "zakat_category" "zakat_category";--> statement-breakpoint
ALTER TABLE "giving_preferences" ADD CONSTRAINT "giving_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;