-- As SQLite's 0094: prev_hash repeated the previous entry's hash, which
-- the verification reads from that entry itself.
ALTER TABLE fund_entries DROP COLUMN IF EXISTS prev_hash;
