-- How the figure of a unit that was split (or of a new unit made from parts
-- of several old ones) is shared out when figures are read on the tree of
-- another day (rollup/across.go). One rule per data element, declared by an
-- administrator; an element with none is shared by residential areas.
CREATE TABLE reassign_rules (
    element TEXT PRIMARY KEY,  -- data element code
    rule    TEXT NOT NULL CHECK (rule IN ('largest', 'areas', 'households', 'population')),
    -- For households and population: the element that counts them.
    weight  TEXT NOT NULL DEFAULT '',
    set_by  TEXT NOT NULL,
    set_at  TIMESTAMPTZ NOT NULL
);
