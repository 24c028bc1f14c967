DROP INDEX "needs_public_search_idx";--> statement-breakpoint
ALTER TABLE "needs" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED;--> statement-breakpoint
CREATE INDEX "needs_public_search_idx" ON "needs" USING gin ("search_vector") WHERE "needs"."state" = 'published';