CREATE TYPE "public"."donor_credit_status" AS ENUM('open', 'used', 'allocated', 'to_fund', 'void');--> statement-breakpoint
CREATE TABLE "donor_credits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"from_need_id" uuid NOT NULL,
	"currency" char(3) NOT NULL,
	"amount_minor" bigint NOT NULL,
	"email" text NOT NULL,
	"zakat" boolean DEFAULT false NOT NULL,
	"status" "donor_credit_status" DEFAULT 'open' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"to_need_id" uuid,
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "donor_credits_amount_positive" CHECK ("donor_credits"."amount_minor" > 0)
);
--> statement-breakpoint
ALTER TABLE "platform_settings" ADD COLUMN "credit_window_days" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE "donor_credits" ADD CONSTRAINT "donor_credits_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "donor_credits" ADD CONSTRAINT "donor_credits_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "donor_credits" ADD CONSTRAINT "donor_credits_from_need_id_needs_id_fk" FOREIGN KEY ("from_need_id") REFERENCES "public"."needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "donor_credits" ADD CONSTRAINT "donor_credits_to_need_id_needs_id_fk" FOREIGN KEY ("to_need_id") REFERENCES "public"."needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "donor_credits_payment_need" ON "donor_credits" USING btree ("payment_id","from_need_id");--> statement-breakpoint
CREATE INDEX "donor_credits_open_idx" ON "donor_credits" USING btree ("expires_at") WHERE "donor_credits"."status" = 'open';--> statement-breakpoint
CREATE INDEX "donor_credits_email_idx" ON "donor_credits" USING btree ("email");--> statement-breakpoint
ALTER TABLE "platform_settings" ADD CONSTRAINT "platform_settings_credit_window" CHECK ("platform_settings"."credit_window_days" between 1 and 365);