-- A campaign's disbursements, for the public ledger's "disbursed per
-- commune" (store.DisbursedByUnit), which read every entry of the
-- campaign to find them (a quarter of a second for 200,000 transfers, on
-- every view of the page). Partial: the receipts, nearly all the entries
-- of a relief campaign, are not in it, so imports do not pay for it.
CREATE INDEX fund_entries_disbursements ON fund_entries(campaign_id) WHERE kind = 'disbursement';
