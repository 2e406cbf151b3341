-- A scorecard's coverage reads the rows counted up to its unit's depth:
-- one range of paths per depth, with no row of another depth between.
DROP INDEX target_evals_below;
CREATE INDEX target_evals_counted ON target_evals (program, period, counted_to, unit_path, target, status, kind);
