-- The kept readings are stored in a compact text form (rollup.EncodeReading)
-- instead of JSON: decoding JSON was half of a cold page's reading time.
-- The rows kept so far are dropped with their marks; the server's
-- evaluations job builds them again (jobs.Standard's "evals").
DELETE FROM target_evals;
DELETE FROM eval_marks;
