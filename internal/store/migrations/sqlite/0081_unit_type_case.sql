-- The official list of March 2025 writes "Thị Xã Việt Yên" beside "Thị xã
-- Chũ"; imports now spell the unit-type word one way (unit.NormalName).
-- This fixes the names already stored. Only the exact mixed spellings are
-- touched, by character position (substr counts characters on both
-- engines), so no other name can change.
UPDATE units SET name = 'Thị xã' || substr(name, 7) WHERE substr(name, 1, 7) = 'Thị Xã ';
UPDATE units SET name = 'Thị trấn' || substr(name, 9) WHERE substr(name, 1, 9) = 'Thị Trấn ';
UPDATE units SET name = 'Thành phố' || substr(name, 10) WHERE substr(name, 1, 10) = 'Thành Phố ';
UPDATE units SET official_type = 'Thị xã' WHERE official_type = 'Thị Xã';
UPDATE units SET official_type = 'Thị trấn' WHERE official_type = 'Thị Trấn';
UPDATE units SET official_type = 'Thành phố' WHERE official_type = 'Thành Phố';
