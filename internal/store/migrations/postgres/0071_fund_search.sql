-- The public ledger's search index: a pg_trgm GIN index on the folded,
-- masked search text, which serves LIKE '%abc%' with LIKE's own semantics
-- (exactly the rows a scan finds). The extension is created in public, so
-- that a schema dropped with CASCADE (a test's) does not take it along. A
-- server without the contrib extension, or a role that may not create it,
-- keeps the search as a scan: the same rows, slower.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
    CREATE INDEX fund_entries_search ON fund_entries USING gin (search public.gin_trgm_ops);
EXCEPTION WHEN others THEN
    RAISE NOTICE 'pg_trgm unavailable (%): the public ledger search scans', SQLERRM;
END
$$;
