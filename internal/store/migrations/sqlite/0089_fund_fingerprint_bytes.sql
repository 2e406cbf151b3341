-- Three changes for the bank statement import, which writes a million
-- rows in one transaction (BENCH.md, issue 13):
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
-- 3. "at most one reversal per entry" is a unique index over the entries
--    that reverse one (WHERE reverses IS NOT NULL) instead of a UNIQUE
--    column: SQLite's UNIQUE indexes NULLs too, so every receipt wrote a
--    NULL key. The lookups (reverses = ?) use the partial index. SQLite
--    cannot drop a column's UNIQUE, so the table is copied, ids and every
--    value unchanged (the hash chain reads the same).
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

CREATE TABLE fund_entries_0089 (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES fund_campaigns(id),
    unit_id      INTEGER NOT NULL,
    to_unit_id   INTEGER NOT NULL DEFAULT 0,
    kind         TEXT NOT NULL,
    day          TEXT NOT NULL,
    amount       INTEGER NOT NULL,
    channel      TEXT NOT NULL DEFAULT '',
    doc_no       TEXT NOT NULL DEFAULT '',
    donor_kind   TEXT NOT NULL DEFAULT '',
    donor        TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    purpose      TEXT NOT NULL DEFAULT '',
    household_id INTEGER NOT NULL DEFAULT 0,
    reverses     INTEGER,
    request_id   INTEGER NOT NULL DEFAULT 0,
    statement_id INTEGER NOT NULL DEFAULT 0,
    entered_by   TEXT NOT NULL DEFAULT '',
    approved_by  TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    search       TEXT NOT NULL DEFAULT ''
);
INSERT INTO fund_entries_0089 (id, campaign_id, unit_id, to_unit_id, kind, day, amount, channel, doc_no, donor_kind, donor, description, purpose,
        household_id, reverses, request_id, statement_id, entered_by, approved_by, recorded_at, prev_hash, hash, search)
    SELECT id, campaign_id, unit_id, to_unit_id, kind, day, amount, channel, doc_no, donor_kind, donor, description, purpose,
        household_id, reverses, request_id, statement_id, entered_by, approved_by, recorded_at, prev_hash, hash, search
    FROM fund_entries ORDER BY id;
DROP TABLE fund_entries;
ALTER TABLE fund_entries_0089 RENAME TO fund_entries;
-- At most one reversal per entry.
CREATE UNIQUE INDEX fund_entries_reverses ON fund_entries(reverses) WHERE reverses IS NOT NULL;
-- The public ledger lists a campaign by date.
CREATE INDEX fund_entries_campaign_day ON fund_entries(campaign_id, day, id);
CREATE INDEX fund_entries_household ON fund_entries(household_id) WHERE household_id <> 0;
