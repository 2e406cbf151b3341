-- Kept evaluations that were dropped without being asked to be: a write
-- too big to refresh them (store.EvalRefreshLimit), a change of programs,
-- units or thresholds, or a tree that could not be read as one. The evals
-- job builds each again (store.KeepEvals), as it builds the years of a
-- program's term, so a quarter or a year an operator built by hand
-- (mattran evals build) is not lost to the next import. BuildEvals removes
-- the row when it writes the mark.
CREATE TABLE eval_wanted (
    program TEXT NOT NULL,
    period  TEXT NOT NULL,
    PRIMARY KEY (program, period)
);
