-- The monthly statistics, kept in the writing transaction like the
-- figures' roll-up: for each unit, month of receipt and dimension (kind,
-- field, status, agency), how many cases have each value. A year's
-- statistics of a province read a few thousand of these rows, not its
-- hundreds of thousands of cases.
CREATE TABLE case_counts (
    month     TEXT NOT NULL, -- YYYY-MM of received_on
    unit_path TEXT NOT NULL,
    dim       TEXT NOT NULL, -- kind, field, status, agency
    value     TEXT NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (month, unit_path, dim, value)
);
INSERT INTO case_counts (month, unit_path, dim, value, n)
    SELECT SUBSTR(received_on, 1, 7), unit_path, 'kind', kind, COUNT(*) FROM cases GROUP BY SUBSTR(received_on, 1, 7), unit_path, kind;
INSERT INTO case_counts (month, unit_path, dim, value, n)
    SELECT SUBSTR(received_on, 1, 7), unit_path, 'field', field, COUNT(*) FROM cases GROUP BY SUBSTR(received_on, 1, 7), unit_path, field;
INSERT INTO case_counts (month, unit_path, dim, value, n)
    SELECT SUBSTR(received_on, 1, 7), unit_path, 'status', status, COUNT(*) FROM cases GROUP BY SUBSTR(received_on, 1, 7), unit_path, status;
INSERT INTO case_counts (month, unit_path, dim, value, n)
    SELECT SUBSTR(received_on, 1, 7), unit_path, 'agency', agency, COUNT(*) FROM cases GROUP BY SUBSTR(received_on, 1, 7), unit_path, agency;
-- The covering index of 0052 is no longer read.
DROP INDEX cases_stats;
