-- Casework (vụ việc, đơn thư): the follow-up engine. Dates a user gives
-- (received, sent, answered, due) are days, YYYY-MM-DD text; '' when unset.

-- Activities cases come out of: a reception session, a supervision, a
-- criticised draft, a voter meeting, a conference (T3.1–T3.5 count them).
CREATE TABLE case_activities (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    unit_path  TEXT NOT NULL,
    held_on    TEXT NOT NULL,
    title      TEXT NOT NULL,
    place      TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '{}', -- the kind's own fields, JSON
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_activities_unit ON case_activities(unit_path, held_on);

CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE, -- the tracking code
    kind           TEXT NOT NULL,
    unit_id        INTEGER NOT NULL REFERENCES units(id),
    unit_path      TEXT NOT NULL,
    activity_id    INTEGER REFERENCES case_activities(id),
    received_on    TEXT NOT NULL,
    channel        TEXT NOT NULL,
    field          TEXT NOT NULL,
    title          TEXT NOT NULL,
    content        TEXT NOT NULL,
    content_folded TEXT NOT NULL, -- for likely duplicates
    status         TEXT NOT NULL,
    due_on         TEXT NOT NULL DEFAULT '',
    complex        INTEGER NOT NULL DEFAULT 0,
    remote         INTEGER NOT NULL DEFAULT 0,
    extensions     INTEGER NOT NULL DEFAULT 0,
    agency         TEXT NOT NULL DEFAULT '',
    dispatch_no    TEXT NOT NULL DEFAULT '',
    sent_on        TEXT NOT NULL DEFAULT '',
    answered_on    TEXT NOT NULL DEFAULT '',
    in_writing     INTEGER NOT NULL DEFAULT 0,
    summary        TEXT NOT NULL DEFAULT '',
    outcome        TEXT NOT NULL DEFAULT '',
    published      INTEGER NOT NULL DEFAULT 0,
    escalated_to   INTEGER NOT NULL DEFAULT 0,
    handler        TEXT NOT NULL DEFAULT '',
    duplicate_of   INTEGER NOT NULL DEFAULT 0,
    reminders      INTEGER NOT NULL DEFAULT 0,
    -- A protected identity: AES-GCM ciphertext, the key outside the database.
    sealed         BLOB,
    sealed_count   INTEGER NOT NULL DEFAULT 0,
    -- Set by the overdue job once it has counted the case overdue in T3.4.
    overdue_noted  INTEGER NOT NULL DEFAULT 0,
    created_by     TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);
-- Overdue lists: open cases by due date, then the subtree.
CREATE INDEX cases_open_due ON cases(status, due_on, unit_path);
-- A unit's register and the monthly statistics.
CREATE INDEX cases_unit_received ON cases(unit_path, received_on);
CREATE INDEX cases_received ON cases(received_on, unit_path);
CREATE INDEX cases_activity ON cases(activity_id);

-- Petitioners of unprotected cases (a protected case's are sealed above).
CREATE TABLE case_petitioners (
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    seq         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    id_number   TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    is_group    INTEGER NOT NULL DEFAULT 0,
    members     INTEGER NOT NULL DEFAULT 0,
    anonymous   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (case_id, seq)
);
CREATE INDEX case_petitioners_name ON case_petitioners(name_folded);
CREATE INDEX case_petitioners_id ON case_petitioners(id_number);

CREATE TABLE case_files (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL -- sealed for a protected case
);
CREATE INDEX case_files_case ON case_files(case_id);

CREATE TABLE case_events (
    id      INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    at      TIMESTAMP NOT NULL,
    day     TEXT NOT NULL,
    action  TEXT NOT NULL,
    actor   TEXT NOT NULL,
    note    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_case ON case_events(case_id, id);
