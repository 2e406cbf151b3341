-- When a report was first sent, and when it was last returned (or
-- reopened): submitted_at is only the last sending, so a report returned
-- and sent again showed its re-sending next to the deadline its first
-- sending met. Timeliness is judged by the first sending; the page shows
-- all three. Reports kept before this take their last sending as the
-- first: the best the table knew.
ALTER TABLE submissions ADD COLUMN first_submitted_at TIMESTAMPTZ;
ALTER TABLE submissions ADD COLUMN returned_at TIMESTAMPTZ;
UPDATE submissions SET first_submitted_at = submitted_at WHERE submitted_at IS NOT NULL;
UPDATE submissions SET returned_at = decided_at WHERE status = 'returned';
