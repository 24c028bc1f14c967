CREATE TYPE "public"."monthly_gift_status" AS ENUM('incomplete', 'active', 'past_due', 'cancelled');--> statement-breakpoint
CREATE TABLE "monthly_gifts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"donor_user_id" uuid,
	"email" text NOT NULL,
	"display_name" text,
	"anonymous" boolean DEFAULT false NOT NULL,
	"locale" "locale" DEFAULT 'ar' NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"method" "pledge_method" NOT NULL,
	"zakat" boolean DEFAULT false NOT NULL,
	"fund_categories" "need_category"[],
	"fund_region_id" uuid,
	"status" "monthly_gift_status" NOT NULL,
	"stripe_subscription_id" text,
	"stripe_customer_id" text,
	"last_failure" text,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" uuid,
	CONSTRAINT "monthly_gifts_amount_positive" CHECK ("monthly_gifts"."amount_minor" > 0),
	CONSTRAINT "monthly_gifts_method" CHECK ("monthly_gifts"."method" <> 'delivery'),
	CONSTRAINT "monthly_gifts_email_lower" CHECK ("monthly_gifts"."email" = lower("monthly_gifts"."email"))
);
--> statement-breakpoint
ALTER TABLE "pledges" ADD COLUMN "monthly_gift_id" uuid;--> statement-breakpoint
ALTER TABLE "pledges" ADD COLUMN "period" char(7);--> statement-breakpoint
ALTER TABLE "monthly_gifts" ADD CONSTRAINT "monthly_gifts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_gifts" ADD CONSTRAINT "monthly_gifts_donor_user_id_users_id_fk" FOREIGN KEY ("donor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_gifts" ADD CONSTRAINT "monthly_gifts_fund_region_id_regions_id_fk" FOREIGN KEY ("fund_region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monthly_gifts" ADD CONSTRAINT "monthly_gifts_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "monthly_gifts_idempotency_key" ON "monthly_gifts" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "monthly_gifts_subscription_key" ON "monthly_gifts" USING btree ("stripe_subscription_id");--> statement-breakpoint
CREATE INDEX "monthly_gifts_org_idx" ON "monthly_gifts" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "monthly_gifts_email_idx" ON "monthly_gifts" USING btree ("email");--> statement-breakpoint
CREATE INDEX "monthly_gifts_donor_idx" ON "monthly_gifts" USING btree ("donor_user_id");--> statement-breakpoint
ALTER TABLE "pledges" ADD CONSTRAINT "pledges_monthly_gift_id_monthly_gifts_id_fk" FOREIGN KEY ("monthly_gift_id") REFERENCES "public"."monthly_gifts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pledges_monthly_gift_idx" ON "pledges" USING btree ("monthly_gift_id","period") WHERE "pledges"."monthly_gift_id" is not null;--> statement-breakpoint
ALTER TABLE "pledges" ADD CONSTRAINT "pledges_monthly_period" CHECK (("pledges"."monthly_gift_id" is null) = ("pledges"."period" is null));