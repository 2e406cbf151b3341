-- A version per unit, raised when a value in the unit's subtree is
-- written. A page about a unit depends only on its subtree's figures (and
-- on programs, units and locks, which raise the global data_version), so a
-- commune officer saving a form invalidates the pages of the commune and
-- its ancestors, not those of 200 other units.
CREATE TABLE unit_versions (
    unit_id INTEGER PRIMARY KEY,
    n       INTEGER NOT NULL
);
