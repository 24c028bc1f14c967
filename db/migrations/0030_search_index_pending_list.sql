-- The search index's pending list is kept small (decision 081): every search reads it in full,
-- and every pledge adds the need's entries to it. Set in place: same index as drizzle-kit's
-- generated DROP and CREATE, without rebuilding it.
ALTER INDEX "needs_public_search_idx" SET (gin_pending_list_limit = 64);
