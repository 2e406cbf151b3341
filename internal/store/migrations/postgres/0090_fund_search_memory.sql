-- The public ledger is searched in memory (store/fund_search.go,
-- ledgerindex): the trigram index of 0071 walked long posting lists for
-- texts whose trigrams are each common and slowed every import.
DROP INDEX IF EXISTS fund_entries_search;
