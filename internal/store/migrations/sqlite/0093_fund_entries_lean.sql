-- A bank statement import writes a million receipts in one transaction
-- (issue 13: ≤ 10 s). Two parts of fund_entries made each one dearer than
-- it needs to be:
-- 1. campaign_id's foreign key: SQLite keeps a statement journal for any
--    INSERT into a table with one, so receipts could only be written one
--    row per statement. The store, the only writer, reads the campaign in
--    the same transaction before it appends (fund.Receive, ImportStatement,
--    …), and campaigns are never deleted, as data_values lost its foreign
--    keys for the same reason.
-- 2. reverses' UNIQUE indexed every receipt's NULL. "At most one reversal
--    per entry" is kept by a unique index of the reversals only.
-- SQLite cannot drop either in place: the table is copied, rows and ids
-- unchanged (the hash chain reads the same), and its indexes made again.
CREATE TABLE fund_entries_0093 (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL,
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
INSERT INTO fund_entries_0093 SELECT id, campaign_id, unit_id, to_unit_id, kind, day, amount, channel, doc_no, donor_kind, donor,
    description, purpose, household_id, reverses, request_id, statement_id, entered_by, approved_by, recorded_at, prev_hash, hash, search
    FROM fund_entries ORDER BY id;
DROP TABLE fund_entries;
ALTER TABLE fund_entries_0093 RENAME TO fund_entries;
CREATE INDEX fund_entries_campaign_day ON fund_entries(campaign_id, day, id);
CREATE INDEX fund_entries_household ON fund_entries(household_id) WHERE household_id <> 0;
CREATE INDEX fund_entries_disbursements ON fund_entries(campaign_id) WHERE kind = 'disbursement';
CREATE UNIQUE INDEX fund_entries_reverses ON fund_entries(reverses) WHERE reverses IS NOT NULL;
