-- The level above lists the cases its units below escalated to it (đề nghị
-- cấp trên) on every case list page; without an index that count reads
-- every case.
CREATE INDEX cases_escalated ON cases (escalated_to);
