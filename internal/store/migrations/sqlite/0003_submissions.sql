-- Periodic reports (báo cáo định kỳ): one row per (program, form, unit,
-- period) once someone saved or submitted it. Status goes draft →
-- submitted → approved, or returned with a reason (then editable again).
-- The figures themselves live in data_values; this holds the workflow, the
-- monthly report's written text, and when it came compared with its deadline.
CREATE TABLE submissions (
    id            INTEGER PRIMARY KEY,
    program       TEXT NOT NULL,
    form          TEXT NOT NULL,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    period        TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('draft','submitted','approved','returned')),
    narrative     TEXT NOT NULL DEFAULT '',
    -- Bumped by every change; the entry form carries it back, so a second
    -- editor's text does not silently replace the first one's.
    version       INTEGER NOT NULL DEFAULT 1,
    -- The deadline in force when it was (first) submitted, YYYY-MM-DD.
    deadline      TEXT NOT NULL DEFAULT '',
    submitted_at  TIMESTAMP,
    submitted_by  TEXT NOT NULL DEFAULT '',
    -- Set at the first submission and kept: a report returned for a
    -- correction and sent again still came on time.
    on_time       INTEGER,
    decided_at    TIMESTAMP,
    decided_by    TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL DEFAULT '',
    updated_at    TIMESTAMP NOT NULL,
    updated_by    TEXT NOT NULL,
    UNIQUE (program, form, period, unit_id)
);

-- Deadlines an administrator set for a form, period and level; without
-- one, form.DefaultDeadline applies.
CREATE TABLE form_deadlines (
    program  TEXT NOT NULL,
    form     TEXT NOT NULL,
    period   TEXT NOT NULL,
    kind     TEXT NOT NULL,
    deadline TEXT NOT NULL,
    set_by   TEXT NOT NULL,
    set_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (program, form, period, kind)
);

-- Reminders (nhắc nhở) sent from the level above to a unit that has not
-- reported. Shown to the unit's users; no e-mail.
CREATE TABLE reminders (
    id        INTEGER PRIMARY KEY,
    program   TEXT NOT NULL,
    form      TEXT NOT NULL,
    unit_id   INTEGER NOT NULL REFERENCES units(id),
    period    TEXT NOT NULL,
    at        TIMESTAMP NOT NULL,
    from_unit INTEGER NOT NULL REFERENCES units(id),
    actor     TEXT NOT NULL
);
CREATE INDEX reminders_unit ON reminders(unit_id, at);
CREATE INDEX reminders_form ON reminders(program, form, period);
