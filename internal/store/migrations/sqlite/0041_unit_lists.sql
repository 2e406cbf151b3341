-- Where the tree comes from: one row per units file imported under a name
-- (the official list of a day, a merge mapping), with the day it
-- describes, the days it stands for and a note, so that a page can say
-- which list its tree of a day was read from (and where that list is not
-- of the right date).
CREATE TABLE unit_lists (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    format      TEXT NOT NULL,
    list_date   TEXT NOT NULL,  -- the day the list describes, YYYY-MM-DD
    used_from   TEXT NOT NULL,  -- the days it stands for
    used_to     TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    imported_at TIMESTAMP NOT NULL,
    imported_by TEXT NOT NULL
);
