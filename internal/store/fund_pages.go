package store

import (
	"context"
	"database/sql"
	"errors"

	"mattran/internal/fund"
)

// Reads the fund's pages make: a unit's entries, the disbursements per
// commune, the register of households.

// UnitEntries are the newest entries in a unit's books in a campaign
// (those it made and those it received by transfer), not masked: for the
// unit's own staff.
func (s *Store) UnitEntries(ctx context.Context, campaignID, unitID int64, limit int) ([]fund.Entry, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+entryCols+` FROM fund_entries WHERE campaign_id = $1 AND (unit_id = $2 OR to_unit_id = $2)
		ORDER BY id DESC LIMIT $3`, campaignID, unitID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fund.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ReversedIDs are the ids among ids that a later entry reverses.
func (s *Store) ReversedIDs(ctx context.Context, campaignID int64) (map[int64]int64, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT reverses, id FROM fund_entries WHERE campaign_id = $1 AND reverses IS NOT NULL`, campaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]int64{}
	for rows.Next() {
		var orig, by int64
		if err := rows.Scan(&orig, &by); err != nil {
			return nil, err
		}
		out[orig] = by
	}
	return out, rows.Err()
}

// CommuneDisbursement is what a unit paid out in a campaign: net of
// reversals, by purpose, and to how many households.
type CommuneDisbursement struct {
	UnitCode, UnitName string
	Purpose            string
	Entries            int64
	Households         int64
	Amount             int64
}

// DisbursedByUnit sums a campaign's disbursements by paying unit and
// purpose (a reversal, with its negative amount, takes its original out).
func (s *Store) DisbursedByUnit(ctx context.Context, campaignID int64) ([]CommuneDisbursement, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT u.code, u.name, e.purpose, SUM(CASE WHEN e.amount > 0 THEN 1 ELSE -1 END),
		count(DISTINCT CASE WHEN e.household_id <> 0 AND e.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses = e.id) THEN e.household_id END),
		SUM(e.amount)
		FROM fund_entries e JOIN units u ON u.id = e.unit_id WHERE e.campaign_id = $1 AND e.kind = 'disbursement'
		GROUP BY u.code, u.name, u.path, e.purpose ORDER BY u.path, e.purpose`, campaignID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CommuneDisbursement
	for rows.Next() {
		var d CommuneDisbursement
		if err := rows.Scan(&d.UnitCode, &d.UnitName, &d.Purpose, &d.Entries, &d.Households, &d.Amount); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Households are a commune's register for a year, by status then head.
func (s *Store) Households(ctx context.Context, unitID int64, year int) ([]fund.Household, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, unit_id, area_id, year, head, address, status FROM fund_households WHERE unit_id = $1 AND year = $2
		ORDER BY status, head, id`, unitID, year)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fund.Household
	for rows.Next() {
		var h fund.Household
		if err := rows.Scan(&h.ID, &h.UnitID, &h.AreaID, &h.Year, &h.Head, &h.Address, &h.Status); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// Household reads one household.
func (s *Store) Household(ctx context.Context, id int64) (fund.Household, error) {
	return household(ctx, s.DB, id)
}

// Household reads one household in the transaction.
func (tx *Tx) Household(ctx context.Context, id int64) (fund.Household, error) {
	return household(ctx, tx.c, id)
}

func household(ctx context.Context, q queryer, id int64) (fund.Household, error) {
	var h fund.Household
	err := q.QueryRowContext(ctx, `SELECT id, unit_id, area_id, year, head, address, status FROM fund_households WHERE id = $1`, id).
		Scan(&h.ID, &h.UnitID, &h.AreaID, &h.Year, &h.Head, &h.Address, &h.Status)
	if errors.Is(err, sql.ErrNoRows) {
		return h, notFound("Không có hộ này trong danh sách.")
	}
	return h, err
}
