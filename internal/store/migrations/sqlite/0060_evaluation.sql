-- The annual inspection and evaluation (internal/evaluation). Days a user
-- gives are YYYY-MM-DD text; '' when unset.

-- A scoring guide: one per owner (the level above), year and level
-- scored. doc is the guide as JSON. Once frozen, snapshot holds the
-- ranked sheets as they stood, which later figures do not move.
CREATE TABLE evaluation_guides (
    id                  INTEGER PRIMARY KEY,
    owner_id            INTEGER NOT NULL REFERENCES units(id),
    year                INTEGER NOT NULL,
    level               TEXT NOT NULL,
    doc                 TEXT NOT NULL,
    frozen_at           TIMESTAMP,
    frozen_by           TEXT NOT NULL DEFAULT '',
    snapshot            TEXT NOT NULL DEFAULT '',
    titles_confirmed_at TIMESTAMP,
    titles_confirmed_by TEXT NOT NULL DEFAULT '',
    updated_at          TIMESTAMP NOT NULL,
    updated_by          TEXT NOT NULL,
    UNIQUE (owner_id, year, level)
);

-- Emulation clusters of a guide's year and their members: a unit is in
-- one cluster a year (the primary key of the members says so).
CREATE TABLE evaluation_clusters (
    id           INTEGER PRIMARY KEY,
    guide_id     INTEGER NOT NULL REFERENCES evaluation_guides(id),
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    lead_unit_id INTEGER REFERENCES units(id),
    UNIQUE (guide_id, code)
);
CREATE TABLE evaluation_members (
    guide_id   INTEGER NOT NULL REFERENCES evaluation_guides(id),
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    cluster_id INTEGER NOT NULL REFERENCES evaluation_clusters(id),
    PRIMARY KEY (guide_id, unit_id)
);

-- A unit's sheet: where its self-score and the verification stand.
CREATE TABLE evaluation_sheets (
    guide_id   INTEGER NOT NULL REFERENCES evaluation_guides(id),
    unit_id    INTEGER NOT NULL REFERENCES units(id),
    status     TEXT NOT NULL,
    sent_at    TIMESTAMP,
    sent_by    TEXT NOT NULL DEFAULT '',
    decided_at TIMESTAMP,
    decided_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (guide_id, unit_id)
);

-- Points entered for one criterion of a unit's sheet, by stage: the
-- unit's own (self) and the level above's (verify). points are
-- hundredths of a point.
CREATE TABLE evaluation_entries (
    guide_id  INTEGER NOT NULL REFERENCES evaluation_guides(id),
    unit_id   INTEGER NOT NULL REFERENCES units(id),
    criterion TEXT NOT NULL,
    stage     TEXT NOT NULL,
    points    INTEGER NOT NULL,
    reason    TEXT NOT NULL DEFAULT '',
    evidence  TEXT NOT NULL DEFAULT '',
    ref       TEXT NOT NULL DEFAULT '',
    scorer    TEXT NOT NULL,
    scored_on TEXT NOT NULL,
    PRIMARY KEY (guide_id, unit_id, criterion, stage)
);

-- The yearly inspection plan and its inspections: who inspects whom, on
-- what, when, by which team; what was found and the conclusion.
CREATE TABLE evaluation_inspections (
    id            INTEGER PRIMARY KEY,
    owner_id      INTEGER NOT NULL REFERENCES units(id),
    year          INTEGER NOT NULL,
    unit_id       INTEGER NOT NULL REFERENCES units(id),
    subjects      TEXT NOT NULL,
    starts_on     TEXT NOT NULL,
    ends_on       TEXT NOT NULL,
    team_leader   TEXT NOT NULL,
    team_members  TEXT NOT NULL DEFAULT '',
    findings      TEXT NOT NULL DEFAULT '',
    conclusion    TEXT NOT NULL DEFAULT '',
    number        TEXT NOT NULL DEFAULT '',
    concluded_on  TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX evaluation_inspections_owner ON evaluation_inspections(owner_id, year);
CREATE INDEX evaluation_inspections_unit ON evaluation_inspections(unit_id, year);

-- An inspection's recommendations are casework cases (kind kiem_tra).
CREATE TABLE evaluation_recommendations (
    case_id       INTEGER PRIMARY KEY REFERENCES cases(id),
    inspection_id INTEGER NOT NULL REFERENCES evaluation_inspections(id)
);
CREATE INDEX evaluation_recommendations_inspection ON evaluation_recommendations(inspection_id);
