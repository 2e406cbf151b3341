-- Two changes for the bank statement import (BENCH.md, issue 13); the
-- SQLite migration says why at length:
-- 1. a statement row's fingerprint is its 20 raw bytes instead of 40 hex
--    characters, and no longer a unique index key: the import checks it
--    in Go against the campaign's fingerprints read once, inside the
--    write transaction; an index on the campaign keeps that read fast.
--    decode gives back the very bytes the hex spelled, so every row
--    imported before stays known;
-- 2. fund_entries_campaign_amount, which no query uses, is dropped.
ALTER TABLE fund_statement_rows DROP CONSTRAINT IF EXISTS fund_statement_rows_campaign_id_fingerprint_key;
ALTER TABLE fund_statement_rows ALTER COLUMN fingerprint TYPE bytea USING decode(fingerprint, 'hex');
CREATE INDEX IF NOT EXISTS fund_statement_rows_campaign ON fund_statement_rows(campaign_id);
DROP INDEX IF EXISTS fund_entries_campaign_amount;
