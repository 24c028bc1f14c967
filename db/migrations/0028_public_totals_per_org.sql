-- public_need_totals per organisation as well as per currency (decision 075): an organisation's
-- listing (its public page, /needs?org=…) reads its exact count here instead of counting its needs.
-- The rows are rebuilt from needs at the end, so the old per-currency rows are dropped first.
DELETE FROM "public_need_totals";--> statement-breakpoint
ALTER TABLE "public_need_totals" DROP CONSTRAINT "public_need_totals_currency_slot_pk";--> statement-breakpoint
ALTER TABLE "public_need_totals" ADD COLUMN "org_id" uuid NOT NULL;--> statement-breakpoint
ALTER TABLE "public_need_totals" ADD CONSTRAINT "public_need_totals_org_id_currency_slot_pk" PRIMARY KEY("org_id","currency","slot");--> statement-breakpoint
DROP FUNCTION IF EXISTS public_need_totals_add(char(3), bigint, integer, integer);--> statement-breakpoint
-- As in migration 0015, with the organisation: a writer adds its delta to its own connection's slot.
CREATE OR REPLACE FUNCTION public_need_totals_add(p_org uuid, p_currency char(3), p_raised bigint, p_published integer, p_funded integer) RETURNS void AS $$
BEGIN
  IF p_raised = 0 AND p_published = 0 AND p_funded = 0 THEN
    RETURN;
  END IF;
  INSERT INTO public_need_totals AS t (org_id, currency, slot, raised_minor, published, funded)
  VALUES (p_org, p_currency, pg_backend_pid() % 16, p_raised, p_published, p_funded)
  ON CONFLICT (org_id, currency, slot) DO UPDATE
    SET raised_minor = t.raised_minor + excluded.raised_minor,
        published = t.published + excluded.published,
        funded = t.funded + excluded.funded;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION needs_public_totals_on_update() RETURNS trigger AS $$
DECLARE
  old_public boolean := OLD.state IN ('published', 'funded', 'disbursed', 'closed');
  new_public boolean := NEW.state IN ('published', 'funded', 'disbursed', 'closed');
  old_raised bigint := CASE WHEN old_public THEN OLD.paid_minor ELSE 0 END;
  new_raised bigint := CASE WHEN new_public THEN NEW.paid_minor ELSE 0 END;
  old_published integer := (OLD.state = 'published')::integer;
  new_published integer := (NEW.state = 'published')::integer;
  old_funded integer := (OLD.state IN ('funded', 'disbursed', 'closed'))::integer;
  new_funded integer := (NEW.state IN ('funded', 'disbursed', 'closed'))::integer;
BEGIN
  IF OLD.currency = NEW.currency AND OLD.org_id = NEW.org_id THEN
    PERFORM public_need_totals_add(NEW.org_id, NEW.currency, new_raised - old_raised, new_published - old_published, new_funded - old_funded);
  ELSE
    PERFORM public_need_totals_add(OLD.org_id, OLD.currency, -old_raised, -old_published, -old_funded);
    PERFORM public_need_totals_add(NEW.org_id, NEW.currency, new_raised, new_published, new_funded);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION needs_public_totals_on_insert() RETURNS trigger AS $$
BEGIN
  INSERT INTO public_need_totals AS t (org_id, currency, slot, raised_minor, published, funded)
  SELECT n.org_id, n.currency, pg_backend_pid() % 16,
         coalesce(sum(n.paid_minor), 0)::bigint,
         (count(*) FILTER (WHERE n.state = 'published'))::integer,
         (count(*) FILTER (WHERE n.state <> 'published'))::integer
  FROM needs_inserted n
  WHERE n.state IN ('published', 'funded', 'disbursed', 'closed')
  GROUP BY n.org_id, n.currency
  ORDER BY n.org_id, n.currency
  ON CONFLICT (org_id, currency, slot) DO UPDATE
    SET raised_minor = t.raised_minor + excluded.raised_minor,
        published = t.published + excluded.published,
        funded = t.funded + excluded.funded;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION needs_public_totals_on_delete() RETURNS trigger AS $$
BEGIN
  INSERT INTO public_need_totals AS t (org_id, currency, slot, raised_minor, published, funded)
  SELECT n.org_id, n.currency, pg_backend_pid() % 16,
         -coalesce(sum(n.paid_minor), 0)::bigint,
         -(count(*) FILTER (WHERE n.state = 'published'))::integer,
         -(count(*) FILTER (WHERE n.state <> 'published'))::integer
  FROM needs_deleted n
  WHERE n.state IN ('published', 'funded', 'disbursed', 'closed')
  GROUP BY n.org_id, n.currency
  ORDER BY n.org_id, n.currency
  ON CONFLICT (org_id, currency, slot) DO UPDATE
    SET raised_minor = t.raised_minor + excluded.raised_minor,
        published = t.published + excluded.published,
        funded = t.funded + excluded.funded;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public_need_totals_rebuild() RETURNS void AS $$
BEGIN
  LOCK TABLE needs IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM public_need_totals;
  INSERT INTO public_need_totals (org_id, currency, slot, raised_minor, published, funded)
  SELECT n.org_id, n.currency, 0,
         coalesce(sum(n.paid_minor), 0)::bigint,
         (count(*) FILTER (WHERE n.state = 'published'))::integer,
         (count(*) FILTER (WHERE n.state <> 'published'))::integer
  FROM needs n
  WHERE n.state IN ('published', 'funded', 'disbursed', 'closed')
  GROUP BY n.org_id, n.currency;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- The update trigger also fires when a need's organisation changes (never done by the app; kept right anyway).
DROP TRIGGER needs_public_totals_update ON needs;--> statement-breakpoint
CREATE TRIGGER needs_public_totals_update AFTER UPDATE OF state, paid_minor, currency, org_id ON needs
  FOR EACH ROW
  WHEN ((OLD.state IN ('published', 'funded', 'disbursed', 'closed') OR NEW.state IN ('published', 'funded', 'disbursed', 'closed'))
    AND (OLD.state IS DISTINCT FROM NEW.state OR OLD.paid_minor IS DISTINCT FROM NEW.paid_minor OR OLD.currency IS DISTINCT FROM NEW.currency OR OLD.org_id IS DISTINCT FROM NEW.org_id))
  EXECUTE FUNCTION needs_public_totals_on_update();
--> statement-breakpoint
-- Whatever session_replication_role says, as migration 0016 set for the trigger it replaces.
ALTER TABLE needs ENABLE ALWAYS TRIGGER needs_public_totals_update;
--> statement-breakpoint
SELECT public_need_totals_rebuild();
