package store

import (
	"context"
	"strconv"
	"strings"

	"mattran/internal/calendar"
	"mattran/internal/clock"
	"mattran/internal/fund"
	"mattran/internal/unit"
)

// householdTouch is what a transaction changed of the registers of
// households: the registers (commune, year) it added households to, and
// the households it appended disbursements (or their reversals) to.
type householdTouch struct {
	registers map[[2]int64]struct{}
	ids       map[int64]struct{}
}

func (t *householdTouch) addRegister(communeID int64, year int) {
	if t.registers == nil {
		t.registers = map[[2]int64]struct{}{}
	}
	t.registers[[2]int64{communeID, int64(year)}] = struct{}{}
}

func (t *householdTouch) addHousehold(id int64) {
	if t.ids == nil {
		t.ids = map[int64]struct{}{}
	}
	t.ids[id] = struct{}{}
}

// finishHouseholds writes T2.2's and T2.3's figures (fund.ElemPoor …
// fund.ElemSpecialSupported) anew for every residential area of each
// register the transaction touched: the commune's households of the year
// and their disbursements not reversed, counted by fund.CountAreas. A whole
// register is counted again, not one household's area, so an area whose
// last poor household moved away still gets its zero. A year after today,
// or an area whose code passed to another unit before the year ended,
// gets none (as finishRaised).
func (tx *Tx) finishHouseholds(ctx context.Context) error {
	if len(tx.households.registers) == 0 && len(tx.households.ids) == 0 {
		return nil
	}
	touched := tx.households
	tx.households = householdTouch{}
	elems, err := tx.Elements(ctx)
	if err != nil {
		return err
	}
	if _, ok := elems[fund.ElemPoor]; !ok {
		if _, ok := elems[fund.ElemSpecial]; !ok {
			return nil
		}
	}
	if err := tx.registersOf(ctx, &touched); err != nil {
		return err
	}
	today := calendar.DateOf(clock.InVietnam(tx.now)).String()
	var counts []fund.HouseholdFigures
	for k := range touched.registers {
		year := int(k[1])
		end := strconv.Itoa(year) + "-12-31"
		if strconv.Itoa(year) > today[:4] {
			continue
		}
		commune, err := tx.UnitByID(ctx, k[0])
		if err != nil {
			return err
		}
		areas, err := tx.AreasOf(ctx, commune, year)
		if err != nil {
			return err
		}
		live := areas[:0]
		for _, a := range areas {
			if a.ValidOn(end) {
				live = append(live, a)
			}
		}
		if len(live) == 0 {
			continue
		}
		hs, aids, err := householdAids(ctx, tx.c, commune.ID, year)
		if err != nil {
			return err
		}
		counts = append(counts, fund.CountAreas(year, live, hs, aids)...)
	}
	rows := fund.HouseholdRows(counts, elems)
	if len(rows) == 0 {
		return nil
	}
	_, err = tx.WriteDerived(ctx, fund.Module, rows)
	return err
}

// registersOf adds to t.registers the registers of the households in
// t.ids, read a few hundred ids at a time.
func (tx *Tx) registersOf(ctx context.Context, t *householdTouch) error {
	ids := make([]int64, 0, len(t.ids))
	for id := range t.ids {
		ids = append(ids, id)
	}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		var b strings.Builder
		args := make([]any, n)
		for i, id := range ids[:n] {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("$" + strconv.Itoa(i+1))
			args[i] = id
		}
		rows, err := tx.c.QueryContext(ctx, `SELECT DISTINCT unit_id, year FROM fund_households WHERE id IN (`+b.String()+`)`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var u int64
			var y int
			if err := rows.Scan(&u, &y); err != nil {
				rows.Close()
				return err
			}
			t.addRegister(u, y)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// householdAids reads a commune's register of a year and, per household,
// its approved disbursements that no entry reverses (a reversal carries
// the same household and points to its original, so neither counts).
// "COALESCE(e.reverses, 0) = 0" rather than "e.reverses IS NULL": SQLite
// would otherwise read the entries through the index on reverses, every
// entry that is no reversal (a whole relief statement) for each
// household, instead of through the index on household_id.
func householdAids(ctx context.Context, q queryer, communeID int64, year int) ([]fund.Household, map[int64][]fund.Aid, error) {
	var hs []fund.Household
	aids := map[int64][]fund.Aid{}
	err := eachHouseholdAids(ctx, q, `h.unit_id = $1 AND h.year = $2`, `h.status, h.head, h.id, e.day`, []any{communeID, year},
		func(h fund.Household, _ string, as []fund.Aid) error {
			hs = append(hs, h)
			if len(as) > 0 {
				aids[h.ID] = as
			}
			return nil
		})
	return hs, aids, err
}

// eachHouseholdAids calls fn with each household of the registers where
// selects, the path of its commune and its aids (householdAids's), one
// household at a time in order; order must keep a household's rows
// together (end with h.id, e.day).
func eachHouseholdAids(ctx context.Context, q queryer, where, order string, args []any, fn func(h fund.Household, communePath string, aids []fund.Aid) error) error {
	rows, err := q.QueryContext(ctx, `SELECT h.id, h.unit_id, h.area_id, h.year, h.head, h.address, h.status, u.path, COALESCE(e.purpose, ''), COALESCE(e.day, '')
		FROM fund_households h JOIN units u ON u.id = h.unit_id
		LEFT JOIN fund_entries e ON e.household_id = h.id AND e.household_id <> 0 AND e.kind = 'disbursement'
			AND COALESCE(e.reverses, 0) = 0 AND NOT EXISTS (SELECT 1 FROM fund_entries r WHERE r.reverses = e.id)
		WHERE `+where+` ORDER BY `+order, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var cur fund.Household
	var curPath string
	var aids []fund.Aid
	for rows.Next() {
		var h fund.Household
		var path string
		var a fund.Aid
		if err := rows.Scan(&h.ID, &h.UnitID, &h.AreaID, &h.Year, &h.Head, &h.Address, &h.Status, &path, &a.Purpose, &a.Day); err != nil {
			return err
		}
		if cur.ID != 0 && h.ID != cur.ID {
			if err := fn(cur, curPath, aids); err != nil {
				return err
			}
			aids = nil
		}
		cur, curPath = h, path
		if a.Day != "" {
			aids = append(aids, a)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if cur.ID != 0 {
		return fn(cur, curPath, aids)
	}
	return nil
}

// HouseholdAids is a commune's register of a year, by status then head,
// with each household's disbursements not reversed: what the register
// page shows and what T2.2 and T2.3 count.
func (s *Store) HouseholdAids(ctx context.Context, commune unit.Unit, year int) ([]fund.Household, map[int64][]fund.Aid, error) {
	return householdAids(ctx, s.DB, commune.ID, year)
}

// EachHouseholdBelow calls fn with each household of a year's registers
// of the communes in root's subtree, the path of its commune (to tell
// which unit below root it lies under) and its aids, for the register's
// overview above the communes: one household at a time, so a province's
// registers are never held at once.
func (s *Store) EachHouseholdBelow(ctx context.Context, root unit.Unit, year int, fn func(h fund.Household, communePath string, aids []fund.Aid) error) error {
	lo, hi := unit.PathRange(root.Path)
	return eachHouseholdAids(ctx, s.DB, `u.path >= $1 AND u.path < $2 AND h.year = $3`, `h.id, e.day`, []any{lo, hi, year}, fn)
}
