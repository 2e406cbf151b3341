-- One counter, raised in the same transaction as every write that changes
-- what a page shows (values, locks, programs, units, submissions: every
-- audited write). App servers cache computed scorecards under it: a cache
-- entry made at version n is good while the counter reads n, on every
-- server. An UPDATE of one row serialises writers, so the counter rises in
-- commit order; a maximum of ids would not (PostgreSQL hands out ids
-- before commit).
CREATE TABLE data_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
);
INSERT INTO data_version (id, n) VALUES (1, 0);
