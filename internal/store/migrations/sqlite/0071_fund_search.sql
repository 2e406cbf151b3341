-- The public ledger's search index: an FTS5 table with the trigram
-- tokenizer over each entry's folded, masked search text. FTS5 answers
-- LIKE '%abc%' from the index when the pattern has three or more
-- characters, with LIKE's own semantics, so a search finds exactly the
-- rows a LIKE scan of fund_entries.search finds.
--
-- Its rowid is not the entry's id but a key in the public ledger's order,
-- campaign << 47 | day number << 32 | id (store.searchKey), so that
-- "newest first, 50 at a time" streams from the index and stops early,
-- however common the text ("nguyen van"). The text is stored in the index
-- (no external content), since the rowids differ. The writer (store.Append)
-- adds rows in the writing transaction; entries are never updated or
-- deleted, so nothing else keeps it.
CREATE VIRTUAL TABLE fund_search USING fts5(search, tokenize='trigram', detail='none');
INSERT INTO fund_search(rowid, search)
    SELECT (campaign_id << 47) | (COALESCE(CAST(julianday(day) - 2451544.5 AS INTEGER), 0) << 32) | id, search FROM fund_entries;
