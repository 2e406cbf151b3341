-- Derived programs (chương trình cụ thể hóa): each one's parent and the
-- root of its family, copied from the program documents by SaveProgram in
-- the same transaction, so that a family is found without reading every
-- document. A unit has at most one program in a family.
CREATE TABLE derived_programs (
    code       TEXT PRIMARY KEY REFERENCES programs(code),
    parent     TEXT NOT NULL REFERENCES programs(code),
    root       TEXT NOT NULL REFERENCES programs(code),
    owner_unit TEXT NOT NULL,
    UNIQUE (root, owner_unit)
);

-- Units' own thresholds in a program family, which the scorecard judges
-- each unit by. kind 'own': a derived program's own threshold for its
-- owner, copied from its document (the document is the source). kind
-- 'quota': an amount the owner of a program assigned to a unit directly
-- below it; kept only here. Units are named by code: a program's term
-- names one unit per code.
CREATE TABLE program_thresholds (
    root      TEXT NOT NULL REFERENCES programs(code),
    program   TEXT NOT NULL REFERENCES programs(code), -- the program that sets it
    kind      TEXT NOT NULL CHECK (kind IN ('own','quota')),
    target    TEXT NOT NULL,
    cond      INTEGER NOT NULL,
    unit_code TEXT NOT NULL,
    threshold DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (root, kind, target, cond, unit_code)
);
CREATE INDEX program_thresholds_program ON program_thresholds(program, kind, target);
