-- The overdue list walks the open cases in due order: a partial index
-- holds only them (a tenth of the table or less), so the first page is read
-- off its start instead of sorting every open case of a province.
CREATE INDEX cases_open ON cases(due_on, unit_path) WHERE status IN ('received', 'forwarded');
-- The monthly statistics read every case of a year: with the columns they
-- group by in the index, they never touch the table.
CREATE INDEX cases_stats ON cases(received_on, unit_path, kind, field, status, agency);
