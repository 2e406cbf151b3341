-- Versions of pages a module caches under a name of its own (the public
-- fund ledger, say), raised by a write that names the group stale
-- (store.PageGroup). Like data_version, raised inside the writing
-- transaction.
CREATE TABLE page_versions (
    name TEXT PRIMARY KEY,
    n    BIGINT NOT NULL
);

-- One row per background job and interval. Each server running the jobs
-- inserts the row of the current interval before running it; the key
-- refuses a second, so an interval runs once across servers sharing the
-- database, and the rows say which server ran it and how it ended.
CREATE TABLE job_runs (
    job         TEXT NOT NULL,
    slot        BIGINT NOT NULL,
    server      TEXT NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    error       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job, slot)
);
CREATE INDEX job_runs_started ON job_runs(started_at);

-- Days a decision moves: the Government's yearly plan of days off for
-- state offices swaps a Saturday into a working day, or gives a bridge
-- day off. The legal holidays themselves are computed (calendar package);
-- these rows override them for their date.
CREATE TABLE calendar_days (
    day    TEXT PRIMARY KEY,        -- YYYY-MM-DD
    kind   TEXT NOT NULL CHECK (kind IN ('off', 'work')),
    name   TEXT NOT NULL,           -- why: "Nghỉ bù Tết Nguyên Đán", "Làm bù thứ Bảy"
    set_by TEXT NOT NULL,
    set_at TIMESTAMPTZ NOT NULL
);
