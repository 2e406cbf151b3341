-- A statement row's fingerprint is stored as its 20 raw bytes (a BLOB)
-- instead of 40 hex characters: the unique index on (campaign_id,
-- fingerprint), written at a random place for every imported row, is
-- half the size and its keys compare as bytes. unhex gives back the very
-- bytes the hex spelled, so every row imported before stays known and a
-- statement imported again still adds nothing. The column keeps its
-- declared type (TEXT affinity stores a BLOB as it is); rebuilding the
-- table for its declaration was not worth a copy of every row.
UPDATE fund_statement_rows SET fingerprint = unhex(fingerprint) WHERE typeof(fingerprint) = 'text';
