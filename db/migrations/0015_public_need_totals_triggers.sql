-- Home page totals as a maintained aggregate (decision 059). public_need_totals holds, per
-- currency, the money received by public needs and how many are published and funded, kept by
-- triggers on needs so every writer (the app, jobs, CLI scripts, migrations, psql) keeps it right.
-- A writer adds its delta to its own connection's slot (pg_backend_pid() % 16), so concurrent
-- payments on different connections rarely wait on one row; readers sum the slots.
-- Public: published, funded, disbursed, closed (PUBLIC_PAGE_STATES of the listing).
CREATE OR REPLACE FUNCTION public_need_totals_add(p_currency char(3), p_raised bigint, p_published integer, p_funded integer) RETURNS void AS $$
BEGIN
  IF p_raised = 0 AND p_published = 0 AND p_funded = 0 THEN
    RETURN;
  END IF;
  INSERT INTO public_need_totals AS t (currency, slot, raised_minor, published, funded)
  VALUES (p_currency, pg_backend_pid() % 16, p_raised, p_published, p_funded)
  ON CONFLICT (currency, slot) DO UPDATE
    SET raised_minor = t.raised_minor + excluded.raised_minor,
        published = t.published + excluded.published,
        funded = t.funded + excluded.funded;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- A row's change: only fires (see the trigger's WHEN) when state, paid_minor or currency changed on
-- a need that is or was public, so a pledge moving reserved_minor never touches the aggregate.
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
  IF OLD.currency = NEW.currency THEN
    PERFORM public_need_totals_add(NEW.currency, new_raised - old_raised, new_published - old_published, new_funded - old_funded);
  ELSE
    PERFORM public_need_totals_add(OLD.currency, -old_raised, -old_published, -old_funded);
    PERFORM public_need_totals_add(NEW.currency, new_raised, new_published, new_funded);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Inserts and deletes are counted per statement (transition tables): a bulk insert of 500,000
-- needs is one upsert per currency, not 500,000.
CREATE OR REPLACE FUNCTION needs_public_totals_on_insert() RETURNS trigger AS $$
BEGIN
  INSERT INTO public_need_totals AS t (currency, slot, raised_minor, published, funded)
  SELECT n.currency, pg_backend_pid() % 16,
         coalesce(sum(n.paid_minor), 0)::bigint,
         (count(*) FILTER (WHERE n.state = 'published'))::integer,
         (count(*) FILTER (WHERE n.state <> 'published'))::integer
  FROM needs_inserted n
  WHERE n.state IN ('published', 'funded', 'disbursed', 'closed')
  GROUP BY n.currency
  ORDER BY n.currency
  ON CONFLICT (currency, slot) DO UPDATE
    SET raised_minor = t.raised_minor + excluded.raised_minor,
        published = t.published + excluded.published,
        funded = t.funded + excluded.funded;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION needs_public_totals_on_delete() RETURNS trigger AS $$
BEGIN
  INSERT INTO public_need_totals AS t (currency, slot, raised_minor, published, funded)
  SELECT n.currency, pg_backend_pid() % 16,
         -coalesce(sum(n.paid_minor), 0)::bigint,
         -(count(*) FILTER (WHERE n.state = 'published'))::integer,
         -(count(*) FILTER (WHERE n.state <> 'published'))::integer
  FROM needs_deleted n
  WHERE n.state IN ('published', 'funded', 'disbursed', 'closed')
  GROUP BY n.currency
  ORDER BY n.currency
  ON CONFLICT (currency, slot) DO UPDATE
    SET raised_minor = t.raised_minor + excluded.raised_minor,
        published = t.published + excluded.published,
        funded = t.funded + excluded.funded;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION needs_public_totals_on_truncate() RETURNS trigger AS $$
BEGIN
  DELETE FROM public_need_totals;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Recomputes the aggregate from needs (the seed below; a repair if anyone ever disables the
-- triggers). Locks needs against writers for the moment it takes.
CREATE OR REPLACE FUNCTION public_need_totals_rebuild() RETURNS void AS $$
BEGIN
  LOCK TABLE needs IN SHARE ROW EXCLUSIVE MODE;
  DELETE FROM public_need_totals;
  INSERT INTO public_need_totals (currency, slot, raised_minor, published, funded)
  SELECT n.currency, 0,
         coalesce(sum(n.paid_minor), 0)::bigint,
         (count(*) FILTER (WHERE n.state = 'published'))::integer,
         (count(*) FILTER (WHERE n.state <> 'published'))::integer
  FROM needs n
  WHERE n.state IN ('published', 'funded', 'disbursed', 'closed')
  GROUP BY n.currency;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER needs_public_totals_insert AFTER INSERT ON needs
  REFERENCING NEW TABLE AS needs_inserted
  FOR EACH STATEMENT EXECUTE FUNCTION needs_public_totals_on_insert();
--> statement-breakpoint
CREATE TRIGGER needs_public_totals_delete AFTER DELETE ON needs
  REFERENCING OLD TABLE AS needs_deleted
  FOR EACH STATEMENT EXECUTE FUNCTION needs_public_totals_on_delete();
--> statement-breakpoint
CREATE TRIGGER needs_public_totals_update AFTER UPDATE OF state, paid_minor, currency ON needs
  FOR EACH ROW
  WHEN ((OLD.state IN ('published', 'funded', 'disbursed', 'closed') OR NEW.state IN ('published', 'funded', 'disbursed', 'closed'))
    AND (OLD.state IS DISTINCT FROM NEW.state OR OLD.paid_minor IS DISTINCT FROM NEW.paid_minor OR OLD.currency IS DISTINCT FROM NEW.currency))
  EXECUTE FUNCTION needs_public_totals_on_update();
--> statement-breakpoint
CREATE TRIGGER needs_public_totals_truncate AFTER TRUNCATE ON needs
  FOR EACH STATEMENT EXECUTE FUNCTION needs_public_totals_on_truncate();
--> statement-breakpoint
SELECT public_need_totals_rebuild();
