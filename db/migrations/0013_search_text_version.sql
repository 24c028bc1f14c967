-- Rows written before this migration get version 0 (recomputed by refreshSearchText at start-up);
-- the default then becomes the current version, so new rows are current.
ALTER TABLE "needs" ADD COLUMN "search_text_version" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "needs" ALTER COLUMN "search_text_version" SET DEFAULT 1;--> statement-breakpoint
CREATE INDEX "needs_search_text_version_idx" ON "needs" USING btree ("search_text_version");
