CREATE TYPE "public"."pledge_finance_flag" AS ENUM('paid_after_cancelled', 'paid_after_expired');--> statement-breakpoint
CREATE TYPE "public"."pledge_method" AS ENUM('card', 'bank_transfer', 'cash', 'money_transfer', 'delivery');--> statement-breakpoint
CREATE TYPE "public"."pledge_status" AS ENUM('pending', 'awaiting_payment', 'paid', 'cancelled', 'expired', 'offered', 'received', 'declined');--> statement-breakpoint
CREATE TABLE "org_payment_details" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"bank_name" text,
	"account_name" text,
	"account_number" text,
	"swift" text,
	"currency" char(3),
	"transfer_shop_instructions_ar" text,
	"transfer_shop_instructions_en" text,
	"office_instructions_ar" text,
	"office_instructions_en" text,
	"pledge_expiry_days" integer DEFAULT 7 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "org_payment_details_expiry_days" CHECK ("org_payment_details"."pledge_expiry_days" between 1 and 60)
);
--> statement-breakpoint
CREATE TABLE "pledge_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"pledge_id" uuid NOT NULL,
	"need_item_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"amount_minor" bigint NOT NULL,
	CONSTRAINT "pledge_items_quantity" CHECK ("pledge_items"."quantity" > 0),
	CONSTRAINT "pledge_items_amount" CHECK ("pledge_items"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "pledges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reference" text NOT NULL,
	"need_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"donor_user_id" uuid,
	"email" text NOT NULL,
	"display_name" text,
	"anonymous" boolean DEFAULT false NOT NULL,
	"message" text,
	"amount_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"method" "pledge_method" NOT NULL,
	"status" "pledge_status" NOT NULL,
	"idempotency_key" text NOT NULL,
	"expires_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"released_at" timestamp with time zone,
	"finance_flag" "pledge_finance_flag",
	"late_paid_minor" bigint,
	"locale" "locale" DEFAULT 'ar' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "pledges_amount_positive" CHECK ("pledges"."amount_minor" > 0),
	CONSTRAINT "pledges_email_lower" CHECK ("pledges"."email" = lower("pledges"."email"))
);
--> statement-breakpoint
ALTER TABLE "org_payment_details" ADD CONSTRAINT "org_payment_details_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_payment_details" ADD CONSTRAINT "org_payment_details_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledge_items" ADD CONSTRAINT "pledge_items_pledge_id_pledges_id_fk" FOREIGN KEY ("pledge_id") REFERENCES "public"."pledges"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledge_items" ADD CONSTRAINT "pledge_items_need_item_id_need_items_id_fk" FOREIGN KEY ("need_item_id") REFERENCES "public"."need_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledges" ADD CONSTRAINT "pledges_need_id_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledges" ADD CONSTRAINT "pledges_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledges" ADD CONSTRAINT "pledges_donor_user_id_users_id_fk" FOREIGN KEY ("donor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pledge_items_pledge_idx" ON "pledge_items" USING btree ("pledge_id");--> statement-breakpoint
CREATE INDEX "pledge_items_need_item_idx" ON "pledge_items" USING btree ("need_item_id");--> statement-breakpoint
CREATE UNIQUE INDEX "pledges_reference_key" ON "pledges" USING btree ("reference");--> statement-breakpoint
CREATE UNIQUE INDEX "pledges_idempotency_key" ON "pledges" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "pledges_need_status_idx" ON "pledges" USING btree ("need_id","status");--> statement-breakpoint
CREATE INDEX "pledges_org_status_idx" ON "pledges" USING btree ("org_id","status","created_at");--> statement-breakpoint
CREATE INDEX "pledges_donor_idx" ON "pledges" USING btree ("donor_user_id","created_at");--> statement-breakpoint
CREATE INDEX "pledges_email_idx" ON "pledges" USING btree ("email","created_at");--> statement-breakpoint
CREATE INDEX "pledges_expiry_idx" ON "pledges" USING btree ("expires_at") WHERE "pledges"."status" in ('pending', 'awaiting_payment');--> statement-breakpoint
CREATE INDEX "pledges_finance_flag_idx" ON "pledges" USING btree ("org_id","finance_flag") WHERE "pledges"."finance_flag" is not null;