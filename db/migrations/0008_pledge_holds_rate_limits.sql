CREATE TABLE "rate_limit_hits" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"bucket" text NOT NULL,
	"key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "org_payment_details" ADD COLUMN "offered_methods" "pledge_method"[];--> statement-breakpoint
ALTER TABLE "pledges" ADD COLUMN "confirmed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "pledges" ADD COLUMN "confirm_token_hash" text;--> statement-breakpoint
CREATE INDEX "rate_limit_hits_bucket_key_idx" ON "rate_limit_hits" USING btree ("bucket","key","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "pledges_confirm_token_key" ON "pledges" USING btree ("confirm_token_hash");--> statement-breakpoint
CREATE INDEX "pledges_unconfirmed_idx" ON "pledges" USING btree ("org_id") WHERE "pledges"."confirmed_at" is null;--> statement-breakpoint
UPDATE "pledges" SET "confirmed_at" = "created_at";