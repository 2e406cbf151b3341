-- A bank statement row that became a receipt is that receipt: the entry
-- whose statement_id is the row's id holds its day, amount, document
-- number and description. What only the row held is its fingerprint, by
-- which a statement imported again finds it known. A run of such rows
-- (consecutive row ids, one import batch at most) is now stored as one
-- row of their fingerprints, 20 bytes each in row order, instead of a row
-- each: a million-row import wrote a million rows and index entries that
-- nobody reads one by one (issue 13: ≤ 10 s). Rows stored before stay in
-- fund_statement_rows; the store reads both.
CREATE TABLE fund_statement_receipts (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL,
    statement_id INTEGER NOT NULL,
    first_row    INTEGER NOT NULL,
    row_count    INTEGER NOT NULL,
    fingerprints BLOB NOT NULL
);
CREATE INDEX fund_statement_receipts_campaign ON fund_statement_receipts(campaign_id);
