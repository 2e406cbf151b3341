-- An approved report locks its own period only: approving the year's
-- report (due mid-December) must not lock the fourth quarter's figures,
-- whose report is due in January. A lock set by hand (values lock) still
-- covers every period inside its own.
ALTER TABLE period_locks ADD COLUMN exact BOOLEAN NOT NULL DEFAULT false;
