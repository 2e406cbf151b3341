-- A figure that differs from last year's by more than the share the entry
-- form flags ("kiểm tra lại") and that the officer confirmed as right. The
-- confirmation holds for the value confirmed only: a new figure is
-- flagged again.
CREATE TABLE figure_checks (
    element_id INTEGER NOT NULL,
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    period     TEXT NOT NULL,
    value      REAL NOT NULL,
    checked_by TEXT NOT NULL,
    checked_at TIMESTAMP NOT NULL,
    PRIMARY KEY (element_id, unit_id, period)
);
