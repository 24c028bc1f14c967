CREATE TYPE "public"."document_kind" AS ENUM('id_document', 'medical_report', 'school_letter', 'quotation', 'invoice', 'photo_of_item', 'other');--> statement-breakpoint
CREATE TYPE "public"."duplicate_decision" AS ENUM('pending', 'same', 'different', 'coordinated');--> statement-breakpoint
CREATE TYPE "public"."household_event_kind" AS ENUM('registered', 'updated', 'moved', 'member_added', 'member_born', 'member_left', 'member_died', 'member_updated', 'status_changed', 'consent_recorded', 'identifier_added', 'identifier_removed', 'document_added', 'referral_created', 'referral_updated', 'duplicate_decided', 'note');--> statement-breakpoint
CREATE TYPE "public"."household_status" AS ENUM('active', 'moved', 'graduated', 'closed');--> statement-breakpoint
CREATE TYPE "public"."identifier_kind" AS ENUM('phone', 'national_id', 'unrwa', 'unhcr', 'other_id');--> statement-breakpoint
CREATE TYPE "public"."household_member_status" AS ENUM('present', 'left', 'deceased');--> statement-breakpoint
CREATE TYPE "public"."referral_programme" AS ENUM('vocational_training', 'psychosocial_support', 'economic_empowerment', 'health', 'education', 'legal_aid', 'other');--> statement-breakpoint
CREATE TYPE "public"."referral_status" AS ENUM('referred', 'accepted', 'completed', 'declined');--> statement-breakpoint
CREATE TYPE "public"."member_relation" AS ENUM('head', 'spouse', 'child', 'parent', 'sibling', 'grandchild', 'grandparent', 'other');--> statement-breakpoint
CREATE TYPE "public"."school_enrolment" AS ENUM('not_applicable', 'enrolled', 'not_enrolled', 'dropped_out');--> statement-breakpoint
CREATE TYPE "public"."sex" AS ENUM('female', 'male');--> statement-breakpoint
CREATE TYPE "public"."age_band" AS ENUM('0-4', '5-11', '12-17', '18-29', '30-59', '60+');--> statement-breakpoint
CREATE TYPE "public"."beneficiary_gender" AS ENUM('female', 'male');--> statement-breakpoint
CREATE TYPE "public"."need_category" AS ENUM('school_fees', 'medical_treatment', 'surgery', 'medication', 'in_kind_item', 'rent', 'food', 'livelihood_asset', 'other');--> statement-breakpoint
CREATE TYPE "public"."need_state" AS ENUM('draft', 'submitted', 'returned', 'verified', 'published', 'rejected', 'cancelled', 'funded', 'disbursed', 'closed', 'expired');--> statement-breakpoint
CREATE TYPE "public"."payee_kind" AS ENUM('school', 'hospital', 'pharmacy', 'vendor', 'household');--> statement-breakpoint
CREATE TYPE "public"."need_urgency" AS ENUM('critical', 'high', 'normal');--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"need_id" uuid,
	"kind" "document_kind" DEFAULT 'other' NOT NULL,
	"file_name" text NOT NULL,
	"mime_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "documents_size" CHECK ("documents"."size_bytes" > 0 and "documents"."size_bytes" <= 10485760)
);
--> statement-breakpoint
CREATE TABLE "duplicate_matches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"other_org_id" uuid NOT NULL,
	"other_household_id" uuid NOT NULL,
	"matched_on" text[] NOT NULL,
	"decision" "duplicate_decision" DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "household_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"household_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"kind" "household_event_kind" NOT NULL,
	"occurred_on" date,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actor_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "household_identifiers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"member_id" uuid,
	"kind" "identifier_kind" NOT NULL,
	"value" text NOT NULL,
	"normalized" text NOT NULL,
	"keyed_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "household_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"household_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"full_name" text NOT NULL,
	"birth_year" integer,
	"sex" "sex" NOT NULL,
	"relation" "member_relation" NOT NULL,
	"is_head" boolean DEFAULT false NOT NULL,
	"disability" text,
	"school_enrolment" "school_enrolment" DEFAULT 'not_applicable' NOT NULL,
	"status" "household_member_status" DEFAULT 'present' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "household_members_birth_year" CHECK ("household_members"."birth_year" is null or "household_members"."birth_year" between 1900 and 2100)
);
--> statement-breakpoint
CREATE TABLE "households" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"region_id" uuid,
	"address" text,
	"status" "household_status" DEFAULT 'active' NOT NULL,
	"vulnerability_tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"consent_given_on" date,
	"consent_recorded_by" uuid,
	"consent_publish" boolean DEFAULT false NOT NULL,
	"consent_share_partners" boolean DEFAULT false NOT NULL,
	"search_text" text DEFAULT '' NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "org_counters" (
	"org_id" uuid NOT NULL,
	"name" text NOT NULL,
	"value" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"member_id" uuid,
	"programme" "referral_programme" NOT NULL,
	"partner" text NOT NULL,
	"status" "referral_status" DEFAULT 'referred' NOT NULL,
	"notes" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "need_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"need_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"label_ar" text,
	"label_en" text,
	"quantity" integer NOT NULL,
	"unit_cost_minor" bigint NOT NULL,
	CONSTRAINT "need_items_quantity" CHECK ("need_items"."quantity" > 0),
	CONSTRAINT "need_items_unit_cost" CHECK ("need_items"."unit_cost_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "need_transitions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"need_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_state" "need_state" NOT NULL,
	"to_state" "need_state" NOT NULL,
	"actor_id" uuid NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "needs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"public_id" text NOT NULL,
	"org_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"category" "need_category" NOT NULL,
	"target_minor" bigint NOT NULL,
	"currency" char(3) NOT NULL,
	"deadline" date NOT NULL,
	"urgency" "need_urgency" DEFAULT 'normal' NOT NULL,
	"payee_kind" "payee_kind" NOT NULL,
	"payee_name" text,
	"payee_details" text,
	"title_ar" text,
	"title_en" text,
	"story_ar" text,
	"story_en" text,
	"public_region_id" uuid,
	"age_band" "age_band",
	"gender" "beneficiary_gender",
	"state" "need_state" DEFAULT 'draft' NOT NULL,
	"author_id" uuid NOT NULL,
	"verifier_id" uuid,
	"submitted_at" timestamp with time zone,
	"verified_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"last_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "needs_target_positive" CHECK ("needs"."target_minor" > 0),
	CONSTRAINT "needs_verifier_not_author" CHECK ("needs"."verifier_id" is null or "needs"."verifier_id" <> "needs"."author_id"),
	CONSTRAINT "needs_some_title" CHECK (coalesce("needs"."title_ar", "needs"."title_en") is not null)
);
--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "publish_on_verify" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_matches" ADD CONSTRAINT "duplicate_matches_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_matches" ADD CONSTRAINT "duplicate_matches_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_matches" ADD CONSTRAINT "duplicate_matches_other_org_id_organizations_id_fk" FOREIGN KEY ("other_org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_matches" ADD CONSTRAINT "duplicate_matches_other_household_id_households_id_fk" FOREIGN KEY ("other_household_id") REFERENCES "public"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duplicate_matches" ADD CONSTRAINT "duplicate_matches_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_events" ADD CONSTRAINT "household_events_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_events" ADD CONSTRAINT "household_events_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_events" ADD CONSTRAINT "household_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_identifiers" ADD CONSTRAINT "household_identifiers_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_identifiers" ADD CONSTRAINT "household_identifiers_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_identifiers" ADD CONSTRAINT "household_identifiers_member_id_household_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."household_members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_members" ADD CONSTRAINT "household_members_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "household_members" ADD CONSTRAINT "household_members_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_consent_recorded_by_users_id_fk" FOREIGN KEY ("consent_recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "households" ADD CONSTRAINT "households_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "org_counters" ADD CONSTRAINT "org_counters_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_member_id_household_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."household_members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_items" ADD CONSTRAINT "need_items_need_id_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."needs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_items" ADD CONSTRAINT "need_items_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_transitions" ADD CONSTRAINT "need_transitions_need_id_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."needs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_transitions" ADD CONSTRAINT "need_transitions_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_transitions" ADD CONSTRAINT "need_transitions_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_public_region_id_regions_id_fk" FOREIGN KEY ("public_region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_verifier_id_users_id_fk" FOREIGN KEY ("verifier_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "documents_household_idx" ON "documents" USING btree ("household_id","created_at");--> statement-breakpoint
CREATE INDEX "documents_need_idx" ON "documents" USING btree ("need_id");--> statement-breakpoint
CREATE UNIQUE INDEX "duplicate_matches_pair_key" ON "duplicate_matches" USING btree ("household_id","other_household_id");--> statement-breakpoint
CREATE INDEX "duplicate_matches_org_idx" ON "duplicate_matches" USING btree ("org_id","decision");--> statement-breakpoint
CREATE INDEX "household_events_household_idx" ON "household_events" USING btree ("household_id","created_at");--> statement-breakpoint
CREATE INDEX "household_identifiers_hash_idx" ON "household_identifiers" USING btree ("keyed_hash");--> statement-breakpoint
CREATE INDEX "household_identifiers_household_idx" ON "household_identifiers" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "household_members_household_idx" ON "household_members" USING btree ("household_id");--> statement-breakpoint
CREATE UNIQUE INDEX "household_members_one_head_key" ON "household_members" USING btree ("household_id") WHERE "household_members"."is_head";--> statement-breakpoint
CREATE UNIQUE INDEX "households_org_reference_key" ON "households" USING btree ("org_id","reference");--> statement-breakpoint
CREATE INDEX "households_org_status_idx" ON "households" USING btree ("org_id","status","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "org_counters_key" ON "org_counters" USING btree ("org_id","name");--> statement-breakpoint
CREATE INDEX "referrals_household_idx" ON "referrals" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "referrals_org_status_idx" ON "referrals" USING btree ("org_id","status");--> statement-breakpoint
CREATE INDEX "need_items_need_idx" ON "need_items" USING btree ("need_id","position");--> statement-breakpoint
CREATE INDEX "need_transitions_need_idx" ON "need_transitions" USING btree ("need_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "needs_public_id_key" ON "needs" USING btree ("public_id");--> statement-breakpoint
CREATE INDEX "needs_org_state_idx" ON "needs" USING btree ("org_id","state","created_at");--> statement-breakpoint
CREATE INDEX "needs_household_idx" ON "needs" USING btree ("household_id");