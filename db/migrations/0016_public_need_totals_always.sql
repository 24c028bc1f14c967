-- The home totals' triggers fire whatever session_replication_role says (decision 059): a bulk
-- writer that sets it to `replica` to skip foreign-key triggers (bench/seed.ts does, as superuser)
-- must still keep public_need_totals right. Then recompute it once, for databases written that way
-- between migration 0015 and this one.
ALTER TABLE needs ENABLE ALWAYS TRIGGER needs_public_totals_insert;
--> statement-breakpoint
ALTER TABLE needs ENABLE ALWAYS TRIGGER needs_public_totals_delete;
--> statement-breakpoint
ALTER TABLE needs ENABLE ALWAYS TRIGGER needs_public_totals_update;
--> statement-breakpoint
ALTER TABLE needs ENABLE ALWAYS TRIGGER needs_public_totals_truncate;
--> statement-breakpoint
SELECT public_need_totals_rebuild();
