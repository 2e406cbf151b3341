-- A household of a commune's register belongs to one residential area
-- (khu dân cư) under that commune, valid in the register's year: T2.2 and
-- T2.3 are collected per residential area, so the ledger counts its
-- register per area (store.finishHouseholds). 0 is a row registered before
-- areas were asked for, counted in no area's figure.
ALTER TABLE fund_households ADD COLUMN area_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX fund_households_area ON fund_households(unit_id, year, area_id);
