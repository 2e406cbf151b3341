-- As SQLite's 0093: campaign_id's foreign key goes (the store reads the
-- campaign in the writing transaction, and campaigns are never deleted),
-- and "at most one reversal per entry" is a unique index of the reversals
-- only, not of every receipt's NULL. PostgreSQL drops both in place.
ALTER TABLE fund_entries DROP CONSTRAINT IF EXISTS fund_entries_campaign_id_fkey;
ALTER TABLE fund_entries DROP CONSTRAINT IF EXISTS fund_entries_reverses_key;
CREATE UNIQUE INDEX IF NOT EXISTS fund_entries_reverses ON fund_entries(reverses) WHERE reverses IS NOT NULL;
