-- The public ledger is searched in memory (store/fund_search.go,
-- ledgerindex): the FTS5 trigram index of 0071 walked long posting lists
-- for texts whose trigrams are each common (hundreds of milliseconds at a
-- million entries) and cost a quarter of a statement import's time.
DROP TABLE IF EXISTS fund_search;
