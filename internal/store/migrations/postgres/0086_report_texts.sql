-- What a unit writes into its consolidated report (package report): the
-- assessment sections around the generated table, and the document's
-- number, date and signer. One row per program, unit and period, kept
-- with the report and printed (or exported to Word) with it.
CREATE TABLE report_texts (
    program       TEXT NOT NULL,
    unit_id       BIGINT NOT NULL REFERENCES units(id),
    period        TEXT NOT NULL,
    number        TEXT NOT NULL DEFAULT '',
    signed_on     TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD
    signer        TEXT NOT NULL DEFAULT '',
    signer_title  TEXT NOT NULL DEFAULT '',
    highlights    TEXT NOT NULL DEFAULT '',
    shortcomings  TEXT NOT NULL DEFAULT '',
    causes        TEXT NOT NULL DEFAULT '',
    next_tasks    TEXT NOT NULL DEFAULT '',
    updated_at    TIMESTAMPTZ NOT NULL,
    updated_by    TEXT NOT NULL,
    PRIMARY KEY (program, unit_id, period)
);
