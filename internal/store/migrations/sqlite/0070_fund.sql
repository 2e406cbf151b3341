-- The fund ledger (package fund): campaigns, append-only entries chained
-- by hash, their balances, daily digests, disbursement requests waiting
-- for a leader, households, and bank statements.
CREATE TABLE fund_campaigns (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('yearly', 'peak_month', 'tet', 'relief')),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    year          INTEGER NOT NULL,
    receive_from  TEXT NOT NULL,
    receive_to    TEXT NOT NULL,
    distribute_to TEXT NOT NULL DEFAULT '',
    bank          TEXT NOT NULL DEFAULT '',
    account       TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    created_by    TEXT NOT NULL
);
CREATE INDEX fund_campaigns_unit ON fund_campaigns(unit_id, year);

-- The day each NĐ 93/2021 disclosure was made.
CREATE TABLE fund_disclosures (
    campaign_id INTEGER NOT NULL REFERENCES fund_campaigns(id),
    kind        TEXT NOT NULL,
    day         TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    set_by      TEXT NOT NULL,
    set_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (campaign_id, kind)
);

-- Entries are only ever inserted (the store has no UPDATE or DELETE of
-- them); id is the place in the one hash chain, given by the writer, which
-- holds the write lock. recorded_at is text (fund.TimeFormat) because it
-- is hashed and must read back byte for byte on both engines. search is
-- the folded, masked text the public search reads (fund.SearchKey).
CREATE TABLE fund_entries (
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
    reverses     INTEGER UNIQUE,            -- at most one reversal per entry
    request_id   INTEGER NOT NULL DEFAULT 0,
    statement_id INTEGER NOT NULL DEFAULT 0,
    entered_by   TEXT NOT NULL DEFAULT '',
    approved_by  TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    search       TEXT NOT NULL DEFAULT ''
);
-- The public ledger lists a campaign by date and filters by amount.
CREATE INDEX fund_entries_campaign_day ON fund_entries(campaign_id, day, id);
CREATE INDEX fund_entries_campaign_amount ON fund_entries(campaign_id, amount);
CREATE INDEX fund_entries_household ON fund_entries(household_id) WHERE household_id <> 0;

-- Balances per campaign and unit, kept in the writing transaction;
-- ledger verify recomputes them from the entries.
CREATE TABLE fund_balances (
    campaign_id  INTEGER NOT NULL,
    unit_id      INTEGER NOT NULL,
    received     INTEGER NOT NULL DEFAULT 0,
    disbursed    INTEGER NOT NULL DEFAULT 0,
    transfer_in  INTEGER NOT NULL DEFAULT 0,
    transfer_out INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, unit_id)
);

-- One row per day (Vietnam time) on which entries were written: the last
-- entry of the day and its hash, published on the public ledger.
CREATE TABLE fund_digests (
    day      TEXT PRIMARY KEY,
    first_id INTEGER NOT NULL,
    last_id  INTEGER NOT NULL,
    entries  INTEGER NOT NULL,
    head     TEXT NOT NULL
);

-- Disbursements entered by an officer, approved or rejected by another
-- leader; the approval writes the ledger entry (entry_id).
CREATE TABLE fund_requests (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL REFERENCES fund_campaigns(id),
    unit_id       INTEGER NOT NULL,
    day           TEXT NOT NULL,
    amount        INTEGER NOT NULL,
    purpose       TEXT NOT NULL,
    household_id  INTEGER NOT NULL DEFAULT 0,
    to_unit_id    INTEGER NOT NULL DEFAULT 0,
    beneficiary   TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    doc_no        TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    entered_by_id INTEGER NOT NULL DEFAULT 0,
    entered_by    TEXT NOT NULL,
    decided_by_id INTEGER NOT NULL DEFAULT 0,
    decided_by    TEXT NOT NULL DEFAULT '',
    decided_at    TIMESTAMP,
    reason        TEXT NOT NULL DEFAULT '',
    entry_id      INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX fund_requests_campaign ON fund_requests(campaign_id, status);

-- Households in difficulty per commune and year (hộ nghèo, cận nghèo,
-- khó khăn đặc biệt): who T2.2 and T2.3 count.
CREATE TABLE fund_households (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    year       INTEGER NOT NULL,
    head       TEXT NOT NULL,
    address    TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL CHECK (status IN ('poor', 'near_poor', 'special')),
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX fund_households_unit ON fund_households(unit_id, year);

-- Bank statements imported into a campaign, and their rows. A row is
-- known by its fingerprint (fund.Fingerprint: date, document number,
-- amounts, balance, description and the how-many-th time that same row
-- occurs in its file), since document numbers repeat in real statements:
-- importing a statement again finds every row and adds nothing.
CREATE TABLE fund_statements (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES fund_campaigns(id),
    file_name   TEXT NOT NULL,
    preset      TEXT NOT NULL,
    rows_read   INTEGER NOT NULL,
    rows_added  INTEGER NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    imported_by TEXT NOT NULL
);
CREATE TABLE fund_statement_rows (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL,
    fingerprint  TEXT NOT NULL,
    statement_id INTEGER NOT NULL,
    day          TEXT NOT NULL,
    doc_no       TEXT NOT NULL,
    credit       INTEGER NOT NULL,
    debit        INTEGER NOT NULL,
    description  TEXT NOT NULL,
    entry_id     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (campaign_id, fingerprint)
);
-- A statement row paired with an entry: the reconciliation looks up by entry.
CREATE INDEX fund_statement_rows_entry ON fund_statement_rows(campaign_id, entry_id) WHERE entry_id <> 0;
