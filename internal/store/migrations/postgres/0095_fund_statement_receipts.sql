-- As SQLite's 0095: a run of statement rows that became receipts is one
-- row of their fingerprints (20 bytes each, in row order); each row's
-- day, amount and text are its receipt's.
CREATE TABLE fund_statement_receipts (
    id           BIGSERIAL PRIMARY KEY,
    campaign_id  BIGINT NOT NULL,
    statement_id BIGINT NOT NULL,
    first_row    BIGINT NOT NULL,
    row_count    INTEGER NOT NULL,
    fingerprints BYTEA NOT NULL
);
CREATE INDEX fund_statement_receipts_campaign ON fund_statement_receipts(campaign_id);
