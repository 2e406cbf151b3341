-- A statement row's fingerprint is stored as its 20 raw bytes instead of
-- 40 hex characters: the unique index on (campaign_id, fingerprint) is
-- half the size. decode gives back the very bytes the hex spelled, so
-- every row imported before stays known and a statement imported again
-- still adds nothing.
ALTER TABLE fund_statement_rows ALTER COLUMN fingerprint TYPE bytea USING decode(fingerprint, 'hex');
