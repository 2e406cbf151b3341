package store

import (
	"context"
	"strconv"

	"mattran/internal/calendar"
	"mattran/internal/clock"
	"mattran/internal/fund"
)

// raisedTouch is the units and years a transaction appended receipts to.
type raisedTouch map[[2]int64]struct{}

func (t *raisedTouch) add(unitID int64, day string) {
	y, err := strconv.Atoi(day[:min(4, len(day))])
	if err != nil {
		return
	}
	if *t == nil {
		*t = raisedTouch{}
	}
	(*t)[[2]int64{unitID, int64(y)}] = struct{}{}
}

// finishRaised writes T2.1's figure (fund.ElemRaised) anew for each unit
// and year the transaction appended receipts to, from the ledger's sum, so
// the roll-up never holds a typed figure that the ledger contradicts. A
// year after today, or a unit whose code passed to another unit before the
// year ended, gets none (as casework.RefreshFigures).
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
	var rs []fund.Raised
	for k := range touched {
		year := strconv.FormatInt(k[1], 10)
		if year > today[:4] {
			continue
		}
		u, err := tx.UnitByID(ctx, k[0])
		if err != nil {
			return err
		}
		end := year + "-12-31"
		if u.ValidFrom > end || u.ValidTo < end {
			continue
		}
		var sum int64
		if err := tx.queryRow(ctx, `SELECT COALESCE(SUM(amount), 0) FROM fund_entries WHERE unit_id = $1 AND kind = 'receipt' AND day >= $2 AND day <= $3`,
			u.ID, year+"-01-01", end).Scan(&sum); err != nil {
			return err
		}
		rs = append(rs, fund.Raised{Unit: u, Year: int(k[1]), Amount: sum})
	}
	rows := fund.RaisedRows(rs, elems)
	if len(rows) == 0 {
		return nil
	}
	_, err = tx.WriteDerived(ctx, fund.Module, rows)
	return err
}
