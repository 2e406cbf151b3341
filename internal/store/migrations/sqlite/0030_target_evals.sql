-- Kept target evaluations. For a program and a period that has been built
-- (eval_marks), every unit's own reading of every target, kept in the same
-- transaction as every write of values, so a scorecard reads a row per
-- target and counts its coverage from the rows of the units below, not
-- from the values beneath them. A program and period with no mark is read
-- from the values, as before. A change of programs, units or thresholds
-- removes every mark (and row): the next build starts again from the values.
CREATE TABLE eval_marks (
    program TEXT NOT NULL,
    period  TEXT NOT NULL,
    PRIMARY KEY (program, period)
) WITHOUT ROWID;

-- One row per (program, period, target, unit) for every unit valid on the
-- period's last day that the target counts (by its kind or a threshold of
-- its own), and for any other unit whose reading shows a figure. counted_to
-- is the depth of the highest unit whose coverage counts this one (the
-- first unit above it that the target holds at, or the root), NULL when
-- no unit counts it. depth is the unit's own depth.
CREATE TABLE target_evals (
    program    TEXT NOT NULL,
    period     TEXT NOT NULL,
    target     TEXT NOT NULL,
    unit_path  TEXT NOT NULL,
    unit_id    INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    depth      INTEGER NOT NULL,
    counted_to INTEGER,
    status     TEXT NOT NULL,
    reading    TEXT NOT NULL,
    PRIMARY KEY (program, period, unit_path, target)
) WITHOUT ROWID;

-- A scorecard's coverage: the rows below a unit, with what it counts.
CREATE INDEX target_evals_below ON target_evals (program, period, unit_path, counted_to, target, status, kind);
