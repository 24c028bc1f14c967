CREATE TABLE "platform_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"k_anonymity_min" integer DEFAULT 5 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "platform_settings_one_row" CHECK ("platform_settings"."id"),
	CONSTRAINT "platform_settings_k" CHECK ("platform_settings"."k_anonymity_min" between 1 and 100)
);
--> statement-breakpoint
ALTER TABLE "needs" ADD COLUMN "guard_confirmations" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "needs" ADD COLUMN "only_language" text;--> statement-breakpoint
ALTER TABLE "needs" ADD COLUMN "public_hides" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "needs" ADD COLUMN "kept_details" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "needs" ADD COLUMN "kept_reason" text;--> statement-breakpoint
ALTER TABLE "platform_settings" ADD CONSTRAINT "platform_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_only_language" CHECK ("needs"."only_language" is null or "needs"."only_language" in ('ar', 'en'));