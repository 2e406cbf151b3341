-- Paths compare byte by byte (COLLATE "C"), as in data_values: a subtree
-- is one range whatever the database's collation.
ALTER TABLE target_evals ALTER COLUMN unit_path TYPE TEXT COLLATE "C";

-- A scorecard's coverage reads the rows counted up to its unit's depth:
-- one range of paths per depth, with no row of another depth between.
DROP INDEX target_evals_below;
CREATE INDEX target_evals_counted ON target_evals (program, period, counted_to, unit_path) INCLUDE (target, status, kind);
