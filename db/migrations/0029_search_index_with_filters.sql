-- A search's filters in its GIN index (decision 076): btree_gin lets a GIN index hold plain
-- columns beside the tsvector. A trusted extension shipped with PostgreSQL (and PGlite's contrib).
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
DROP INDEX "needs_public_search_idx";--> statement-breakpoint
CREATE INDEX "needs_public_search_idx" ON "needs" USING gin ("search_vector","category","public_region_id","urgency","currency","org_id") WHERE "needs"."state" = 'published';