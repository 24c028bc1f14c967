CREATE TYPE "public"."need_update_state" AS ENUM('pending', 'published', 'rejected');--> statement-breakpoint
CREATE TABLE "need_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"need_id" uuid NOT NULL,
	"body_ar" text,
	"body_en" text,
	"state" "need_update_state" DEFAULT 'pending' NOT NULL,
	"confirmed" text[] DEFAULT '{}'::text[] NOT NULL,
	"author_id" uuid NOT NULL,
	"reviewer_id" uuid,
	"reject_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reviewed_at" timestamp with time zone,
	CONSTRAINT "need_updates_body" CHECK (coalesce(length("need_updates"."body_ar"), 0) + coalesce(length("need_updates"."body_en"), 0) > 0),
	CONSTRAINT "need_updates_review" CHECK (("need_updates"."state" = 'pending') = ("need_updates"."reviewer_id" is null))
);
--> statement-breakpoint
ALTER TABLE "need_updates" ADD CONSTRAINT "need_updates_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_updates" ADD CONSTRAINT "need_updates_need_id_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."needs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_updates" ADD CONSTRAINT "need_updates_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_updates" ADD CONSTRAINT "need_updates_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "need_updates_need_idx" ON "need_updates" USING btree ("need_id","created_at");--> statement-breakpoint
CREATE INDEX "need_updates_pending_idx" ON "need_updates" USING btree ("org_id","created_at") WHERE "need_updates"."state" = 'pending';