package store

import (
	"context"
	"strconv"

	"mattran/internal/calendar"
	"mattran/internal/clock"
	"mattran/internal/fund"
)

// raisedTouch is the units and campaigns a transaction appended receipts
// to.
type raisedTouch map[[2]int64]struct{}

func (t *raisedTouch) add(unitID, campaignID int64) {
	if *t == nil {
		*t = raisedTouch{}
	}
	(*t)[[2]int64{unitID, campaignID}] = struct{}{}
}

// finishRaised writes T2.1's figure (fund.ElemRaised) anew for each unit
// and campaign year the transaction appended receipts to: the unit's
// receipts (less reversals) in all its campaigns of that year, read from
// the balances the ledger keeps (ledger verify recomputes them from the
// entries), so the roll-up never holds a typed figure that the ledger
// contradicts and a write costs no scan of the entries. A year after
// today, or a unit whose code passed to another unit before the year
// ended, gets none (as casework.RefreshFigures).
func (tx *Tx) finishRaised(ctx context.Context) error {
	if len(tx.raised) == 0 {
		return nil
	}
	touched := tx.raised
	tx.raised = nil
	elems, err := tx.Elements(ctx)
	if err != nil {
		return err
	}
	if _, ok := elems[fund.ElemRaised]; !ok {
		return nil
	}
	today := calendar.DateOf(clock.InVietnam(tx.now)).String()
	years := map[int64]int{}
	done := map[[2]int64]bool{}
	var rs []fund.Raised
	for k := range touched {
		if _, ok := years[k[1]]; !ok {
			c, err := tx.Campaign(ctx, k[1])
			if err != nil {
				return err
			}
			years[k[1]] = c.Year
		}
		y := years[k[1]]
		year := strconv.Itoa(y)
		if year > today[:4] || done[[2]int64{k[0], int64(y)}] {
			continue
		}
		done[[2]int64{k[0], int64(y)}] = true
		u, err := tx.UnitByID(ctx, k[0])
		if err != nil {
			return err
		}
		end := year + "-12-31"
		if u.ValidFrom > end || u.ValidTo < end {
			continue
		}
		var sum int64
		if err := tx.queryRow(ctx, `SELECT COALESCE(SUM(b.received), 0) FROM fund_balances b JOIN fund_campaigns c ON c.id = b.campaign_id
			WHERE b.unit_id = $1 AND c.year = $2`, u.ID, y).Scan(&sum); err != nil {
			return err
		}
		rs = append(rs, fund.Raised{Unit: u, Year: y, Amount: sum})
	}
	rows := fund.RaisedRows(rs, elems)
	if len(rows) == 0 {
		return nil
	}
	_, err = tx.WriteDerived(ctx, fund.Module, rows)
	return err
}
