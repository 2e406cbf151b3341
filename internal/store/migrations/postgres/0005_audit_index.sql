-- The audit page lists a write of values with the values it replaced, and
-- shows it to the units whose values it replaced: both look the rows up
-- by their write. Without this index each lookup read the whole table.
CREATE INDEX data_value_audit_change ON data_value_audit(change_id);
