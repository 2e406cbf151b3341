-- The organisation tree. Each row is one version of a unit; a code is unique
-- only within a validity interval (codes were reused in the 2025 reform).
CREATE TABLE units (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('central','province','district','commune','residential_area','member_org')),
    official_type TEXT NOT NULL DEFAULT '',
    parent_id     INTEGER REFERENCES units(id),
    -- ids from the root down, '/1/25/380/': a subtree is a range of paths.
    path          TEXT NOT NULL UNIQUE,
    valid_from    TEXT NOT NULL,
    valid_to      TEXT NOT NULL DEFAULT '9999-12-31',
    synthetic     INTEGER NOT NULL DEFAULT 0,
    CHECK (valid_from <= valid_to),
    UNIQUE (code, valid_from)
);
CREATE INDEX units_parent ON units(parent_id);

CREATE TABLE unit_successors (
    from_id INTEGER NOT NULL REFERENCES units(id),
    to_id   INTEGER NOT NULL REFERENCES units(id),
    kind    TEXT NOT NULL CHECK (kind IN ('full','partial')),
    PRIMARY KEY (from_id, to_id)
);
CREATE INDEX unit_successors_to ON unit_successors(to_id);

CREATE TABLE data_elements (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    definition     TEXT NOT NULL -- the element as JSON, exactly as the program file gave it
);

CREATE TABLE programs (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    document   TEXT NOT NULL, -- the whole program as JSON
    updated_at TIMESTAMP NOT NULL
);

-- One row per write of values (a file, an API call, a form): who and when.
CREATE TABLE value_changes (
    id        INTEGER PRIMARY KEY,
    at        TIMESTAMP NOT NULL,
    user_id   INTEGER,
    actor     TEXT NOT NULL,
    source    TEXT NOT NULL,
    imported  INTEGER NOT NULL,
    updated   INTEGER NOT NULL,
    ignored   INTEGER NOT NULL
);

-- Data values. No foreign keys: every write goes through ImportValues,
-- which resolves each element and unit from these tables inside the same
-- transaction, and units and elements are never deleted; the three checks
-- per row cost a third of a million-value import (PostgreSQL COPY: 33 s
-- with them, 7 s without; BENCH.md).
--
-- Keyed so that one element's values for a period over a
-- subtree are one contiguous range (element, period, path). WITHOUT ROWID
-- keeps each value in the key's b-tree, with no second lookup.
CREATE TABLE data_values (
    element_id INTEGER NOT NULL,
    period     TEXT NOT NULL,
    unit_path  TEXT NOT NULL,
    unit_id    INTEGER NOT NULL,
    value      REAL NOT NULL,
    change_id  INTEGER NOT NULL,
    PRIMARY KEY (element_id, period, unit_path)
) WITHOUT ROWID;

-- The roll-up, kept in the same transaction as every write of values: for
-- each unit with values below it, the sum (or max) over its subtree,
-- itself included, and how many values went in. Reading a province's figure
-- is then one row, not thousands.
CREATE TABLE data_rollups (
    element_id INTEGER NOT NULL,
    period     TEXT NOT NULL,
    unit_path  TEXT NOT NULL,
    unit_id    INTEGER NOT NULL,
    value      REAL NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (element_id, period, unit_path)
) WITHOUT ROWID;

-- Before and after of every value a write changed. A value's creation is
-- its row's change_id; this holds what came after.
CREATE TABLE data_value_audit (
    change_id        INTEGER NOT NULL REFERENCES value_changes(id),
    element_id       INTEGER NOT NULL,
    period           TEXT NOT NULL,
    unit_id          INTEGER NOT NULL,
    before_value     REAL,
    before_change_id INTEGER,
    after_value      REAL
);
CREATE INDEX data_value_audit_key ON data_value_audit(element_id, period, unit_id);

-- An approved (unit, period) is locked: no value of the unit or below it,
-- for the period or any period inside it, can change.
CREATE TABLE period_locks (
    unit_id   INTEGER NOT NULL REFERENCES units(id),
    period    TEXT NOT NULL,
    locked_at TIMESTAMP NOT NULL,
    locked_by TEXT NOT NULL,
    PRIMARY KEY (unit_id, period)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('admin','leader','officer','viewer')),
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    password_hash TEXT NOT NULL DEFAULT '',
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL
);

-- API bearer tokens; only a hash is stored, so a stolen database does not
-- hand out working tokens.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    token_hash   TEXT NOT NULL UNIQUE,
    label        TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);

-- Who changed what, when, with the before and after as JSON.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TIMESTAMP NOT NULL,
    user_id   INTEGER,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_key TEXT NOT NULL,
    before    TEXT,
    after     TEXT
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_key);

-- The root: the central committee, above every province, so that a national
-- roll-up and a national administrator have a unit like everyone else.
INSERT INTO units (id, code, name, kind, path, valid_from) VALUES
    (1, 'TW', 'Ủy ban Trung ương MTTQ Việt Nam', 'central', '/1/', '0001-01-01');
