-- Two changes for the bank statement import, whose million-row run wrote
-- two random index entries per row (BENCH.md, issue 13):
--
-- 1. A statement row's fingerprint is stored as its 20 raw bytes (a BLOB)
--    instead of 40 hex characters, and it is no longer a unique index
--    key. The import already decides which rows are known in Go, against
--    every fingerprint of the campaign read once at its start, inside the
--    write transaction (writers run one at a time); the unique index
--    repeated that check at a random place of a large B-tree for every
--    row. An index on the campaign alone (appended to, in id order) keeps
--    that read fast. unhex gives back the very bytes the hex spelled, so
--    every row imported before stays known and a statement imported again
--    still adds nothing. SQLite cannot drop a table's UNIQUE constraint,
--    so the table is copied.
-- 2. fund_entries_campaign_amount is dropped: no query uses it (the public
--    search filters on abs(amount), which it cannot serve), and every
--    entry written paid for it.
CREATE TABLE fund_statement_rows_0089 (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL,
    fingerprint  BLOB NOT NULL,
    statement_id INTEGER NOT NULL,
    day          TEXT NOT NULL,
    doc_no       TEXT NOT NULL,
    credit       INTEGER NOT NULL,
    debit        INTEGER NOT NULL,
    description  TEXT NOT NULL,
    entry_id     INTEGER NOT NULL DEFAULT 0
);
INSERT INTO fund_statement_rows_0089 (id, campaign_id, fingerprint, statement_id, day, doc_no, credit, debit, description, entry_id)
    SELECT id, campaign_id, CASE WHEN typeof(fingerprint) = 'text' THEN unhex(fingerprint) ELSE fingerprint END,
        statement_id, day, doc_no, credit, debit, description, entry_id
    FROM fund_statement_rows ORDER BY id;
DROP TABLE fund_statement_rows;
ALTER TABLE fund_statement_rows_0089 RENAME TO fund_statement_rows;
CREATE INDEX fund_statement_rows_campaign ON fund_statement_rows(campaign_id);
-- A statement row paired with an entry: the reconciliation looks up by entry.
CREATE INDEX fund_statement_rows_entry ON fund_statement_rows(campaign_id, entry_id) WHERE entry_id <> 0;
DROP INDEX IF EXISTS fund_entries_campaign_amount;
