package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"mattran/internal/audit"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/unit"
	"mattran/internal/value"
)

// ImportOptions describe one write of values.
type ImportOptions struct {
	Actor  audit.Actor
	Scope  unit.Unit // the writer's unit: only its subtree may be written
	Source string    // what the values came in as: a file name, "api", a form
	Today  string    // YYYY-MM-DD; periods that have not begun are refused
	DryRun bool      // validate and count, but write nothing
	// Loaded, by row line, is what an entry form showed for the row's value
	// when it was loaded. A row whose stored value has changed since is
	// not written: the whole write is refused with a *ConflictError that
	// shows both values, so a second editor never silently replaces the
	// first one's figure.
	Loaded map[int]value.Loaded
	// derived names the module writing values it computed (derived:<module>
	// elements, which no one types in). Such values follow the module's
	// records, so they are written even into a locked period: T1.2 counts
	// December's report, due in January, after the year was approved.
	derived string
}

// maxDetails caps the bad rows one rejection lists; a wholly wrong file of a
// million rows needs its first rows named, not all of them.
const maxDetails = 1000

// ImportValues validates rows and applies them in one transaction: all of
// them, or, if any row is bad, none. Values already stored as given are
// left alone, so importing the same file twice changes nothing.
func (s *Store) ImportValues(ctx context.Context, rows []value.Row, opts ImportOptions) (value.Summary, error) {
	if len(rows) == 0 {
		return value.Summary{}, errs.New(errs.Invalid, "không có giá trị nào để nhập")
	}
	return s.ImportStream(ctx, Rows(rows), opts)
}

// RowSource hands an import's rows to fn a chunk at a time, in file order,
// as value.ParseEach does; an error it returns (the file could not be read
// to its end, or fn's own) aborts the import, nothing written.
type RowSource func(fn func([]value.Row) error) error

// Rows is a source of rows already in memory.
func Rows(rows []value.Row) RowSource {
	return func(fn func([]value.Row) error) error {
		for i := 0; i < len(rows); i += ImportChunk {
			if err := fn(rows[i:min(i+ImportChunk, len(rows))]); err != nil {
				return err
			}
		}
		return nil
	}
}

// ImportChunk is how many rows an import resolves and writes at a time,
// and the chunk a caller parsing a file for ImportStream should read (a
// variable so that tests can make it small).
// Memory holds a few chunks, not the file: a million-value import peaked
// at 620–700 MB of heap when its rows, values and checks were all held at
// once. Larger chunks gain little: each costs one range read per
// (element, period) it holds.
var ImportChunk = 25_000

// ImportStream is ImportValues over rows read as the import goes (a file
// parsed with value.ParseEach): validated and written a chunk at a time in
// one transaction, and applied all or nothing, as ImportValues.
func (s *Store) ImportStream(ctx context.Context, src RowSource, opts ImportOptions) (value.Summary, error) {
	var sum value.Summary
	if opts.Today == "" {
		opts.Today = clock.Today(s.now())
	}
	empty := false
	err := s.WithTx(ctx, func(tx *Tx) error {
		var err error
		var n int
		sum, n, err = s.importStream(ctx, tx, src, opts)
		empty = err == nil && n == 0
		return err
	})
	if empty {
		return sum, errs.New(errs.Invalid, "không có giá trị nào để nhập")
	}
	return sum, err
}

// importValues is ImportValues inside the caller's write transaction.
func (s *Store) importValues(ctx context.Context, tx *Tx, rows []value.Row, opts ImportOptions) (value.Summary, error) {
	sum, _, err := s.importStream(ctx, tx, Rows(rows), opts)
	return sum, err
}

// resolved is one chunk of rows, validated.
type resolved struct {
	values []value.Value
	bad    []errs.Detail
	rows   int
}

// errStopped stops the reading side of an import whose writing side has
// failed.
var errStopped = errors.New("import stopped")

// importStream validates and writes src's rows in the caller's write
// transaction, in two goroutines: one reads and resolves the rows (parse,
// units, elements, periods, numbers, duplicates), the other, this one,
// reads what they replace, checks them against the stored world and writes
// them, a chunk behind. Both use the transaction's connection, one at a
// time (db). Once a row is bad nothing more is written, but every chunk is
// still checked, so the refusal names every bad row; the caller's
// transaction then rolls back whatever was written. It returns how many
// rows the source gave.
func (s *Store) importStream(ctx context.Context, tx *Tx, src RowSource, opts ImportOptions) (value.Summary, int, error) {
	var sum value.Summary
	c := tx.c
	var db sync.Mutex // the connection, between the two goroutines
	elements, err := loadElements(ctx, c)
	if err != nil {
		return sum, 0, err
	}
	locks, err := loadLocks(ctx, c)
	if err != nil {
		return sum, 0, err
	}
	units := &unitIndex{byCode: map[string][]unit.Unit{}, dates: map[period.Period][2]string{}, looked: map[string]bool{}}
	vc := &value.Context{
		Elements: elements,
		Unit:     units.during,
		Locked:   locks.locked,
		Stored: func(e *value.Element, u *unit.Unit, p period.Period) (float64, bool) {
			db.Lock()
			defer db.Unlock()
			var v float64
			err := c.QueryRowContext(ctx, `SELECT value FROM data_values WHERE element_id = $1 AND period = $2 AND unit_path = $3`, e.ID, p.String(), u.Path).Scan(&v)
			return v, err == nil
		},
		InScope: func(u *unit.Unit) bool { return unit.InSubtree(u.Path, opts.Scope.Path) },
		Today:   opts.Today,
	}
	if opts.derived != "" {
		vc.Locked = nil
	}
	batch := value.NewBatch()
	batch.TrackParts(elements)

	// The reading side: one goroutine parses (src), another resolves
	// what it parsed, so that reading the units, the first chunk's cost,
	// overlaps with parsing the next.
	parsed := make(chan []value.Row, 1)
	chunks := make(chan resolved, 1)
	stop := make(chan struct{})
	var once sync.Once
	halt := func() { once.Do(func() { close(stop) }) }
	parseErr, resolveErr := make(chan error, 1), make(chan error, 1)
	go func() {
		defer close(parsed)
		parseErr <- src(func(rows []value.Row) error {
			select {
			case parsed <- rows:
				return nil
			case <-stop:
				return errStopped
			}
		})
	}()
	go func() {
		defer close(chunks)
		resolveErr <- func() error {
			for rows := range parsed {
				if err := units.load(ctx, s, c, &db, rows); err != nil {
					return err
				}
				values, bad := batch.Resolve(vc, rows)
				select {
				case chunks <- resolved{values: values, bad: bad, rows: len(rows)}:
				case <-stop:
					return errStopped
				}
			}
			return nil
		}()
		halt()
		for range parsed { // let the parser see stop, if it has not ended
		}
	}()
	// finish stops the reading side, waits for it, and says why it ended
	// early, if it did for a reason of its own.
	finish := func(early bool) error {
		if early {
			halt()
		}
		for range chunks {
		}
		rerr, perr := <-resolveErr, <-parseErr
		for _, err := range []error{rerr, perr} {
			if err != nil && err != errStopped {
				return err
			}
		}
		return nil
	}

	// The writing side.
	w := &valueWriter{s: s, tx: tx, opts: opts, codes: periodCodes{}, rollups: newRollupDeltas(), db: &db}
	// No return leaves a COPY running on the connection.
	defer w.copied()
	var bad badRows
	var conflict error
	n := 0
	for chunk := range chunks {
		n += chunk.rows
		bad.add(chunk.bad...)
		if err := w.chunk(ctx, chunk.values, elements, &bad, &conflict); err != nil {
			finish(true)
			return sum, n, err
		}
	}
	if err := finish(false); err != nil {
		return sum, n, err
	}
	// Parts and wholes, over the whole file: the other side of a pair may
	// have come in another chunk. What is not in the file is read as it
	// was stored before it: only the file's own values were written. The
	// check runs while the last chunk's COPY does, and waits for it only
	// to read a value.
	stored := func(elementID int64, u *unit.Unit, p period.Period) (float64, bool) {
		if w.copied() != nil {
			return 0, false // the import fails below
		}
		var v float64
		err := c.QueryRowContext(ctx, `SELECT value FROM data_values WHERE element_id = $1 AND period = $2 AND unit_path = $3`, elementID, w.codes.of(p), u.Path).Scan(&v)
		return v, err == nil
	}
	bad.add(batch.CheckParts(stored)...)
	if err := w.copied(); err != nil {
		return sum, n, err
	}
	if bad.n > 0 {
		return sum, n, rejection(bad.list, bad.n)
	}
	if conflict != nil {
		return sum, n, conflict
	}
	sum, err = w.finish(ctx)
	return sum, n, err
}

// badRows collects the bad rows of an import: how many, and the first
// maxDetails by row (a wholly wrong file of a million rows is not held
// a million times over).
type badRows struct {
	list []errs.Detail
	n    int
}

func (b *badRows) add(d ...errs.Detail) {
	b.n += len(d)
	b.list = append(b.list, d...)
	if len(b.list) > 4*maxDetails {
		sort.SliceStable(b.list, func(i, j int) bool { return b.list[i].Row < b.list[j].Row })
		b.list = slices.Clip(b.list[:maxDetails])
	}
}

// valueWriter writes an import's values a chunk at a time.
type valueWriter struct {
	s        *Store
	tx       *Tx
	opts     ImportOptions
	codes    periodCodes
	rollups  *rollupDeltas
	sum      value.Summary
	changeID int64 // the import's value_changes row, once something is written
	// before says, for each (element, period) the import has met, whether
	// any value of it was stored before the import began.
	before map[valueKey]bool
	// db is the connection's lock, shared with the resolving goroutine.
	// A chunk's COPY runs in a goroutine of its own, holding db, while
	// this one goes on with what needs no connection: the roll-up moves
	// of that chunk, then sorting and checking the next. On PostgreSQL
	// the server works on one chunk while the client prepares the next,
	// instead of each waiting for the other.
	db   sync.Locker
	held bool // this goroutine holds db
	// copying, while a COPY runs, gives its outcome once; copyErr keeps it.
	copying chan error
	copyErr error
}

// copied waits for the COPY in flight, if any, and says how the
// import's COPYs went.
func (w *valueWriter) copied() error {
	if w.copying != nil {
		w.copyErr = <-w.copying
		w.copying = nil
	}
	return w.copyErr
}

// lock takes the connection once the COPY in flight is done.
func (w *valueWriter) lock() error {
	if err := w.copied(); err != nil {
		return err
	}
	w.db.Lock()
	w.held = true
	return nil
}

// unlock gives the connection back, if this goroutine holds it.
func (w *valueWriter) unlock() {
	if w.held {
		w.held = false
		w.db.Unlock()
	}
}

// storedBefore says whether any value of (element, period) was stored
// before the import began, asking the database the first time only. When
// none was, no chunk need read what it replaces there: the import's own
// earlier chunks never wrote the same keys (the batch refuses or drops a
// value given twice). A new year's file of a million values thus reads one
// row per (element, period), not one range per chunk and (element,
// period): thousands of queries, each a round trip on PostgreSQL.
func (w *valueWriter) storedBefore(ctx context.Context, element int64, per string) (bool, error) {
	k := valueKey{element: element, period: per}
	if some, ok := w.before[k]; ok {
		return some, nil
	}
	var some bool
	err := w.tx.c.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM data_values WHERE element_id = $1 AND period = $2)`, element, per).Scan(&some)
	if err != nil {
		return false, err
	}
	if w.before == nil {
		w.before = map[valueKey]bool{}
	}
	w.before[k] = some
	return some, nil
}

// chunk checks one chunk of resolved values against what is stored and,
// while nothing has been found wrong, writes it. What is wrong with its rows
// goes to bad; a form's stale values to conflict.
func (w *valueWriter) chunk(ctx context.Context, values []value.Value, elements map[string]*value.Element, bad *badRows, conflict *error) error {
	c := w.tx.c
	sortValues(values, w.codes)
	// Computed figures come only from their module: a typed or imported
	// T1.2 count would disagree with the reports it counts.
	for _, v := range values {
		if src := v.Element.Source; strings.HasPrefix(src, "derived:") && src != "derived:"+w.opts.derived && !v.Element.Typed(v.Period.Year) {
			d := v.Detail("dataElement", errs.DerivedElement, nil)
			d.Args.Text = src
			bad.add(d)
		}
	}
	if err := w.lock(); err != nil {
		return err
	}
	defer w.unlock()
	existing, err := loadExisting(ctx, c, values, func(element int64, per string) (bool, error) {
		return w.storedBefore(ctx, element, per)
	})
	if err != nil {
		return err
	}
	if w.opts.derived == "" {
		held, err := w.s.heldBySentReports(ctx, c, values, existing, w.codes)
		if err != nil {
			return err
		}
		bad.add(held...)
	}
	if bad.n > 0 || *conflict != nil {
		return nil // nothing more is written: the import will be refused
	}
	if err := w.s.checkLoaded(ctx, c, values, existing, w.codes, w.opts.Loaded); err != nil {
		var ce *value.ConflictError
		if errors.As(err, &ce) {
			*conflict = err
			return nil
		}
		return err
	}
	return w.write(ctx, values, existing)
}

func rejection(bad []errs.Detail, n int) error {
	sort.SliceStable(bad, func(i, j int) bool { return bad[i].Row < bad[j].Row })
	msg := fmt.Sprintf("có %d dòng lỗi; không có giá trị nào được ghi", n)
	if n > maxDetails {
		msg += fmt.Sprintf(" (liệt kê %d lỗi đầu tiên)", maxDetails)
		bad = bad[:min(len(bad), maxDetails)]
	}
	return errs.WithDetails(msg, bad)
}

// periodCodes caches period codes: an import asks for the code of the same
// few periods millions of times, and Period.String formats a new string on
// every call.
type periodCodes map[period.Period]string

func (pc periodCodes) of(p period.Period) string {
	s, ok := pc[p]
	if !ok {
		s = p.String()
		pc[p] = s
	}
	return s
}

// sortValues orders values by (element, period code, unit path), the key
// order of data_values: loadExisting reads one range per (element, period),
// and rows written in key order append to the b-tree. A file holds a few
// dozen (element, period) groups of thousands of units each, usually
// already in path order, so values are bucketed by group (a counting sort),
// the groups put in order, and each group sorted by path only if it is not
// already: a comparison sort of a million values, formatting period codes
// in the comparator, was a tenth of a million-value import.
func sortValues(values []value.Value, codes periodCodes) {
	type groupKey struct {
		element int64
		period  period.Period
	}
	type group struct {
		groupKey
		code         string
		count, start int
	}
	index := map[groupKey]int{}
	var groups []group
	of := make([]int32, len(values))
	for i := range values {
		v := &values[i]
		k := groupKey{v.Element.ID, v.Period}
		g, ok := index[k]
		if !ok {
			g = len(groups)
			index[k] = g
			groups = append(groups, group{groupKey: k, code: codes.of(v.Period)})
		}
		groups[g].count++
		of[i] = int32(g)
	}
	order := make([]int, len(groups))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		ga, gb := &groups[a], &groups[b]
		if c := cmp.Compare(ga.element, gb.element); c != 0 {
			return c
		}
		return strings.Compare(ga.code, gb.code)
	})
	start := 0
	for _, g := range order {
		groups[g].start = start
		start += groups[g].count
	}
	// Where each value goes, then move the values there in place, cycle by
	// cycle: a sorted copy would be another 64 MB for a million values.
	next := make([]int32, len(groups))
	for g := range groups {
		next[g] = int32(groups[g].start)
	}
	dest := of // reuse: of[i] is read once, just before dest[i] is written
	for i, g := range of {
		dest[i] = next[g]
		next[g]++
	}
	for i := range values {
		for int(dest[i]) != i {
			j := dest[i]
			values[i], values[j] = values[j], values[i]
			dest[i], dest[j] = dest[j], int32(j)
		}
	}
	byPath := func(a, b value.Value) int { return strings.Compare(a.Unit.Path, b.Unit.Path) }
	for _, g := range groups {
		part := values[g.start : g.start+g.count]
		if !slices.IsSortedFunc(part, byPath) {
			slices.SortFunc(part, byPath)
		}
	}
}

// unitIndex resolves unit codes for periods.
type unitIndex struct {
	byCode map[string][]unit.Unit
	// dates caches each period's first and last day, which Period formats
	// anew on every call; a bulk import resolves a million rows over a few
	// dozen periods.
	dates map[period.Period][2]string
	// looked holds the codes already read (found or not); all, that every
	// unit has been.
	looked map[string]bool
	all    bool
}

func (ix *unitIndex) during(code string, p period.Period) (*unit.Unit, bool) {
	versions := ix.byCode[code]
	if len(versions) == 0 {
		return nil, false
	}
	d, ok := ix.dates[p]
	if !ok {
		d = [2]string{p.StartDate(), p.EndDate()}
		ix.dates[p] = d
	}
	var best *unit.Unit
	for i := range versions {
		u := &versions[i]
		if u.Overlaps(d[0], d[1]) && (best == nil || u.ValidFrom > best.ValidFrom) {
			best = u
		}
	}
	return best, best != nil
}

// load reads the unit versions the rows name that have not been read yet:
// by code for a few (a form, an API call), or every version at once when
// there are many (a bulk file), which is cheaper than thousands of
// lookups. It holds db, the connection's lock, only while it reads: once
// every unit has been read a chunk needs no query, and waiting for the
// lock made the writer's COPY of one chunk and the resolving of the next
// take turns instead of overlapping.
func (ix *unitIndex) load(ctx context.Context, s *Store, q queryer, db sync.Locker, rows []value.Row) error {
	if ix.all {
		return nil
	}
	codes := map[string]bool{}
	for _, r := range rows {
		if !ix.looked[r.OrgUnit] {
			codes[r.OrgUnit] = true
			if len(codes) > bulkUnitCodes {
				break // every version is read below; no need to count further
			}
		}
	}
	if len(codes) == 0 {
		return nil
	}
	db.Lock()
	defer db.Unlock()
	var found []unit.Unit
	var err error
	if len(codes) > bulkUnitCodes {
		found, err = s.allUnitsIn(ctx, q)
		clear(ix.byCode)
		ix.all = true
	} else {
		list := make([]any, 0, len(codes))
		for c := range codes {
			list = append(list, c)
			ix.looked[c] = true
		}
		found, err = queryUnits(ctx, q, `SELECT `+unitCols+` FROM units WHERE code IN (`+s.placeholders(1, len(list))+`)`, list...)
	}
	if err != nil {
		return err
	}
	for _, u := range found {
		ix.byCode[u.Code] = append(ix.byCode[u.Code], u)
	}
	return nil
}

// bulkUnitCodes is how many unread unit codes in a chunk make an import
// read every unit version at once (a variable so that tests can take that
// path with a small tree).
var bulkUnitCodes = 500

// lockIndex holds approved (unit, period) locks by period code.
type lockIndex map[string][]periodLock

// periodLock is one lock: the locked unit's path, and whether it locks its
// period exactly (an approved report) or every period inside it too.
type periodLock struct {
	path  string
	exact bool
}

func loadLocks(ctx context.Context, q queryer) (lockIndex, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.period, u.path, l.exact FROM period_locks l JOIN units u ON u.id = l.unit_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ix := lockIndex{}
	for rows.Next() {
		var p string
		var l periodLock
		if err := rows.Scan(&p, &l.path, &l.exact); err != nil {
			return nil, err
		}
		ix[p] = append(ix[p], l)
	}
	return ix, rows.Err()
}

// locked: a lock on a unit covers its subtree, and a lock on a period covers
// every period inside it, unless it is exact.
func (ix lockIndex) locked(u *unit.Unit, p period.Period) bool {
	if len(ix) == 0 {
		return false
	}
	for _, c := range p.Containing() {
		for _, l := range ix[c.String()] {
			if unit.InSubtree(u.Path, l.path) && (!l.exact || c == p) {
				return true
			}
		}
	}
	return false
}

type valueKey struct {
	element int64
	period  string
	path    string
}

type storedValue struct {
	value    float64
	changeID int64
}

// loadExisting reads the stored values the batch may replace: for each
// (element, period) one range scan between the batch's first and last unit
// path. For a new year of data the ranges are empty and cost next to nothing.
//
// someStored, when not nil, says whether the (element, period) has any
// stored value at all; a range of one that has none is not read.
func loadExisting(ctx context.Context, q queryer, values []value.Value, someStored func(element int64, period string) (bool, error)) (map[valueKey]storedValue, error) {
	out := map[valueKey]storedValue{}
	for i := 0; i < len(values); {
		j := i
		for j < len(values) && values[j].Element.ID == values[i].Element.ID && values[j].Period == values[i].Period {
			j++
		}
		el, per := values[i].Element.ID, values[i].Period.String()
		if someStored != nil {
			some, err := someStored(el, per)
			if err != nil {
				return nil, err
			}
			if !some {
				i = j
				continue
			}
		}
		rows, err := q.QueryContext(ctx, `SELECT unit_path, value, change_id FROM data_values
			WHERE element_id = $1 AND period = $2 AND unit_path >= $3 AND unit_path <= $4`, el, per, values[i].Unit.Path, values[j-1].Unit.Path)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var path string
			var sv storedValue
			if err := rows.Scan(&path, &sv.value, &sv.changeID); err != nil {
				rows.Close()
				return nil, err
			}
			out[valueKey{el, per, path}] = sv
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		i = j
	}
	return out, nil
}

var valueCols = []string{"element_id", "period", "unit_path", "unit_id", "value", "change_id"}

// write stores the chunk's values that differ from what is stored,
// records the before and after of each replaced value, and adds what they
// change to the roll-ups' moves, all in the caller's transaction. It
// is called holding the connection's lock, and gives it back (or hands
// it to the chunk's COPY) before the roll-up moves, which need none.
func (w *valueWriter) write(ctx context.Context, values []value.Value, existing map[valueKey]storedValue) error {
	c, codes, opts := w.tx.c, w.codes, w.opts
	var fresh, changed []value.Value
	if len(existing) == 0 {
		// Nothing stored is replaced (a new period's file): every value is
		// new, and the values are already in order.
		fresh = values
	}
	for _, v := range values {
		if len(existing) == 0 {
			break
		}
		old, ok := existing[valueKey{v.Element.ID, codes.of(v.Period), v.Unit.Path}]
		switch {
		case !ok:
			fresh = append(fresh, v)
		case old.value != v.Number:
			changed = append(changed, v)
		default:
			w.sum.Ignored++
		}
	}
	w.sum.Imported += len(fresh)
	w.sum.Updated += len(changed)
	if len(fresh)+len(changed) == 0 || opts.DryRun {
		return nil
	}
	if w.changeID == 0 {
		// Its counts are set at the end (finish).
		if err := c.QueryRowContext(ctx, `INSERT INTO value_changes (at, user_id, actor, source, imported, updated, ignored, actor_path)
			VALUES ($1, $2, $3, $4, 0, 0, 0, $5) RETURNING id`,
			w.tx.now.UTC(), nullID(opts.Actor.UserID), opts.Actor.Name, opts.Source, opts.Actor.UnitPath).Scan(&w.changeID); err != nil {
			return err
		}
	}
	changeID := w.changeID
	// The written units' pages, and their ancestors', are stale.
	for _, vs := range [][]value.Value{fresh, changed} {
		for i := range vs {
			if w.tx.stale.all {
				break
			}
			w.tx.stale.addPath(vs[i].Unit.Path)
		}
	}
	// Rows are made as they are written, not all up front: a million
	// [6]any held at once was most of an import's heap.
	rowOf := func(vs []value.Value) func(i int, dst []any) []any {
		return func(i int, dst []any) []any {
			v := &vs[i]
			return append(dst, v.Element.ID, codes.of(v.Period), v.Unit.Path, v.Unit.ID, v.Number, changeID)
		}
	}
	if err := w.s.insertRowsFunc(ctx, c, "data_values", valueCols, len(changed), rowOf(changed),
		`ON CONFLICT (element_id, period, unit_path) DO UPDATE SET value = excluded.value, change_id = excluded.change_id`); err != nil {
		return fmt.Errorf("cập nhật số liệu: %w", err)
	}
	auditRows := make([][]any, len(changed))
	for i, v := range changed {
		per := codes.of(v.Period)
		old := existing[valueKey{v.Element.ID, per, v.Unit.Path}]
		auditRows[i] = []any{changeID, v.Element.ID, per, v.Unit.ID, old.value, old.changeID, v.Number}
	}
	if err := w.s.insertRows(ctx, c, "data_value_audit", []string{"change_id", "element_id", "period", "unit_id", "before_value", "before_change_id", "after_value"}, auditRows, ""); err != nil {
		return err
	}
	// The kept target evaluations are refreshed once, before the commit,
	// for the keys the chunks touched.
	if err := w.tx.touchValues(ctx, fresh); err != nil {
		return err
	}
	if err := w.tx.touchValues(ctx, changed); err != nil {
		return err
	}
	if w.s.Engine == Postgres && len(fresh) >= 2000 {
		// The COPY takes the lock over and gives it back when done; its
		// own period codes, as codes is this goroutine's.
		w.copying = make(chan error, 1)
		w.held = false
		go func(fresh []value.Value) {
			err := copyValues(ctx, c, fresh, periodCodes{}, changeID)
			w.db.Unlock()
			if err != nil {
				err = fmt.Errorf("ghi số liệu: %w", err)
			}
			w.copying <- err
		}(fresh)
	} else if err := w.s.insertRowsFunc(ctx, c, "data_values", valueCols, len(fresh), rowOf(fresh), ""); err != nil {
		return fmt.Errorf("ghi số liệu: %w", err)
	}
	w.unlock()
	w.rollups.add(fresh, existing, codes)
	w.rollups.add(changed, existing, codes)
	return nil
}

// finish moves the roll-ups by what the import changed, and sets the
// change row's counts.
func (w *valueWriter) finish(ctx context.Context) (value.Summary, error) {
	if w.changeID == 0 {
		return w.sum, nil
	}
	c := w.tx.c
	if err := w.rollups.flush(ctx, w.s, c); err != nil {
		return w.sum, err
	}
	_, err := c.ExecContext(ctx, `UPDATE value_changes SET imported = $1, updated = $2, ignored = $3 WHERE id = $4`,
		w.sum.Imported, w.sum.Updated, w.sum.Ignored, w.changeID)
	return w.sum, err
}

// copySource feeds COPY one row at a time, for the same reason as
// insertRowsFunc.
type copySource struct {
	n, i int
	row  func(i int, dst []any) []any
	buf  []any
}

func (c *copySource) Next() bool {
	c.i++
	return c.i < c.n
}

func (c *copySource) Values() ([]any, error) {
	c.buf = c.row(c.i, c.buf[:0])
	return c.buf, nil
}

func (c *copySource) Err() error { return nil }

// rollupDeltas gathers how an import moves each ancestor's roll-up, over
// all its chunks, to apply once at the end (flush). Sums (and stocks,
// which roll up as sums per period) move by the difference; a max cannot
// be moved that way when a value falls, so the maxima of the touched
// ancestors are recomputed from the values.
type rollupDeltas struct {
	sums  map[valueKey]*rollupDelta
	maxes map[valueKey]bool
}

type rollupDelta struct {
	value float64
	n     int
}

func newRollupDeltas() *rollupDeltas {
	return &rollupDeltas{sums: map[valueKey]*rollupDelta{}, maxes: map[valueKey]bool{}}
}

// add counts written values, existing being what they replaced.
// Written values come in key order, so a value's ancestors are mostly the
// previous value's: their moves are kept at hand (last) rather than
// looked up again, three map reads of a string key per value. Each
// ancestor's sum still adds the same numbers in the same order.
func (r *rollupDeltas) add(written []value.Value, existing map[valueKey]storedValue, codes periodCodes) {
	var last []*rollupDelta // the previous value's ancestors' moves, root first
	var lastPaths []string
	var lastElement int64
	var lastPeriod period.Period
	per := ""
	for x := range written {
		v := &written[x]
		if per == "" || v.Period != lastPeriod || v.Element.ID != lastElement {
			lastPeriod, lastElement, per = v.Period, v.Element.ID, codes.of(v.Period)
			last, lastPaths = last[:0], lastPaths[:0]
		}
		d, dn := v.Number, 1
		if len(existing) > 0 {
			if old, had := existing[valueKey{v.Element.ID, per, v.Unit.Path}]; had {
				d, dn = v.Number-old.value, 0
			}
		}
		path := v.Unit.Path
		depth := 0
		for i := 1; i < len(path)-1; i++ {
			if path[i] != '/' {
				continue
			}
			k := valueKey{v.Element.ID, per, path[:i+1]}
			if v.Element.Aggregation == program.Max {
				r.maxes[k] = true
				continue
			}
			var acc *rollupDelta
			if depth < len(last) && lastPaths[depth] == k.path {
				acc = last[depth]
			} else {
				var ok bool
				if acc, ok = r.sums[k]; !ok {
					acc = &rollupDelta{}
					r.sums[k] = acc
				}
				last, lastPaths = append(last[:depth], acc), append(lastPaths[:depth], k.path)
			}
			depth++
			acc.value += d
			acc.n += dn
		}
	}
}

// flush applies the moves, in key order (b-tree locality, repeatable runs).
func (r *rollupDeltas) flush(ctx context.Context, s *Store, c *sql.Conn) error {
	order := make([]valueKey, 0, len(r.sums))
	for k := range r.sums {
		order = append(order, k)
	}
	byKey := func(a, b valueKey) int {
		if c := cmp.Compare(a.element, b.element); c != 0 {
			return c
		}
		if c := strings.Compare(a.period, b.period); c != 0 {
			return c
		}
		return strings.Compare(a.path, b.path)
	}
	slices.SortFunc(order, byKey)
	if err := r.flushSums(ctx, s, c, order); err != nil {
		return fmt.Errorf("cập nhật tổng hợp: %w", err)
	}
	maxes := make([]valueKey, 0, len(r.maxes))
	for k := range r.maxes {
		maxes = append(maxes, k)
	}
	slices.SortFunc(maxes, byKey)
	for _, k := range maxes {
		lo, hi := unit.PathRange(k.path)
		if _, err := c.ExecContext(ctx, `INSERT INTO data_rollups (element_id, period, unit_path, unit_id, value, n)
			SELECT $1, $2, $3, $4, MAX(value), COUNT(*) FROM data_values WHERE element_id = $5 AND period = $6 AND unit_path > $7 AND unit_path < $8
			ON CONFLICT (element_id, period, unit_path) DO UPDATE SET value = excluded.value, n = excluded.n`,
			k.element, k.period, k.path, lastID(k.path), k.element, k.period, lo, hi); err != nil {
			return err
		}
	}
	return nil
}

// flushSums adds the sums' moves, in order, to data_rollups. On
// PostgreSQL they go as six arrays to one INSERT … SELECT FROM unnest:
// a million-value import moves some 33,000 roll-ups, which as multi-row
// INSERTs of 3,000 parameters each were 67 statements, and a boxed
// argument per column and row, while the server, done with the values,
// waited.
func (r *rollupDeltas) flushSums(ctx context.Context, s *Store, c *sql.Conn, order []valueKey) error {
	const conflict = `ON CONFLICT (element_id, period, unit_path) DO UPDATE SET value = data_rollups.value + excluded.value, n = data_rollups.n + excluded.n`
	if s.Engine == Postgres {
		elements, units, ns := make([]int64, len(order)), make([]int64, len(order)), make([]int64, len(order))
		periods, paths, values := make([]string, len(order)), make([]string, len(order)), make([]float64, len(order))
		for i, k := range order {
			d := r.sums[k]
			elements[i], periods[i], paths[i], units[i], values[i], ns[i] = k.element, k.period, k.path, lastID(k.path), d.value, int64(d.n)
		}
		_, err := c.ExecContext(ctx, `INSERT INTO data_rollups (element_id, period, unit_path, unit_id, value, n)
			SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::float8[], $6::bigint[]) `+conflict,
			elements, periods, paths, units, values, ns)
		return err
	}
	rows := make([][]any, 0, len(order))
	for _, k := range order {
		d := r.sums[k]
		rows = append(rows, []any{k.element, k.period, k.path, lastID(k.path), d.value, d.n})
	}
	return s.insertRows(ctx, c, "data_rollups", []string{"element_id", "period", "unit_path", "unit_id", "value", "n"}, rows, conflict)
}

// LockPeriod locks a unit's values (and its subtree's) for a period and
// every period inside it.
func (s *Store) LockPeriod(ctx context.Context, a audit.Actor, u unit.Unit, p period.Period) error {
	return s.WithTx(ctx, func(tx *Tx) error { return tx.LockPeriod(ctx, a, u, p, false) })
}

// LockPeriod locks u's values for p in the transaction. An exact lock (an
// approved report's) covers the period itself, not the periods inside it,
// which have reports of their own. A lock marks no page stale: the public
// page, the only one that shows it ("số liệu tạm thời"), reads locks on
// every request.
func (tx *Tx) LockPeriod(ctx context.Context, a audit.Actor, u unit.Unit, p period.Period, exact bool) error {
	res, err := tx.exec(ctx, `INSERT INTO period_locks (unit_id, period, locked_at, locked_by, exact) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
		u.ID, p.String(), tx.now.UTC(), a.Name, exact)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	return tx.Audit(ctx, a, "lock", "period", u.Code+"@"+u.ValidFrom+"/"+p.String(), nil, map[string]string{"unit": u.Code, "period": p.String()})
}

// ExportFilter selects values to export.
type ExportFilter struct {
	Unit     unit.Unit
	Children bool            // the unit's whole subtree, not only the unit
	Elements []string        // codes; empty means every element
	Periods  []period.Period // empty means every period; a period includes the periods inside it
}

// ExportValues returns stored values in DHIS2's exchange shape. A large
// export streams them instead (EachValue).
func (s *Store) ExportValues(ctx context.Context, f ExportFilter) ([]value.Exported, error) {
	var out []value.Exported
	err := s.EachValue(ctx, f, func(x value.Exported) error {
		out = append(out, x)
		return nil
	})
	return out, err
}

// EachValue calls fn with each stored value the filter selects, in the
// order of ExportValues, as the rows are read: an export of a whole
// province holds one value at a time, not 1.5 million (1.2 GB). The
// filter is checked before fn is first called, so an error before then
// means nothing was passed on.
func (s *Store) EachValue(ctx context.Context, f ExportFilter, fn func(value.Exported) error) error {
	elements, err := s.Elements(ctx)
	if err != nil {
		return err
	}
	var els []*value.Element
	if len(f.Elements) == 0 {
		for _, e := range elements {
			els = append(els, e)
		}
	} else {
		for _, code := range f.Elements {
			e, ok := elements[code]
			if !ok {
				return errs.New(errs.Invalid, "không có chỉ số %q", code)
			}
			els = append(els, e)
		}
	}
	sort.Slice(els, func(i, j int) bool { return els[i].Code < els[j].Code })
	// Both bounds inclusive: the unit alone is [path, path]; its subtree is
	// [path, hi) which equals [path, hi-1] for the paths that exist.
	lo, hi := f.Unit.Path, f.Unit.Path
	pathCond := `v.unit_path >= $%d AND v.unit_path <= $%d`
	if f.Children {
		lo, hi = unit.PathRange(f.Unit.Path)
		pathCond = `v.unit_path >= $%d AND v.unit_path < $%d`
	}
	const cols = `SELECT e.code, v.period, u.code, v.value, c.actor, c.at, v.unit_path FROM data_values v
		JOIN units u ON u.id = v.unit_id JOIN value_changes c ON c.id = v.change_id JOIN data_elements e ON e.id = v.element_id `
	// Rows are read a page at a time, and passed on once the page is read:
	// a slow client then holds no database connection (SQLite's pool has
	// four) while its export trickles out, and memory holds one page.
	page := make([]value.Exported, 0, exportPage)
	var lastPeriod, lastPath string
	scan := func(query string, args ...any) (more bool, err error) {
		page = page[:0]
		rows, err := s.DB.QueryContext(ctx, query+fmt.Sprintf(` LIMIT %d`, exportPage), args...)
		if err != nil {
			return false, err
		}
		for rows.Next() {
			var x value.Exported
			var n float64
			if err := rows.Scan(&x.DataElement, &x.Period, &x.OrgUnit, &n, &x.StoredBy, &x.LastUpdated, &lastPath); err != nil {
				rows.Close()
				return false, err
			}
			x.Value = value.FormatNumber(n)
			lastPeriod = x.Period
			page = append(page, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return false, err
		}
		for _, x := range page {
			if err := fn(x); err != nil {
				return false, err
			}
		}
		return len(page) == exportPage, nil
	}
	for _, e := range els {
		if len(f.Periods) == 0 {
			// Every period: in (period, path) order, each page after the
			// last row of the one before.
			more, err := scan(cols+`WHERE v.element_id = $1 AND `+fmt.Sprintf(pathCond, 2, 3)+` ORDER BY v.period, v.unit_path`, e.ID, lo, hi)
			for ; more && err == nil; more, err = scan(cols+`WHERE v.element_id = $1 AND `+fmt.Sprintf(pathCond, 2, 3)+
				` AND (v.period > $4 OR (v.period = $4 AND v.unit_path > $5)) ORDER BY v.period, v.unit_path`, e.ID, lo, hi, lastPeriod, lastPath) {
			}
			if err != nil {
				return err
			}
			continue
		}
		for _, p := range f.Periods {
			for _, q := range p.Within(e.Type) {
				more, err := scan(cols+`WHERE v.element_id = $1 AND v.period = $2 AND `+fmt.Sprintf(pathCond, 3, 4)+` ORDER BY v.unit_path`, e.ID, q.String(), lo, hi)
				for ; more && err == nil; more, err = scan(cols+`WHERE v.element_id = $1 AND v.period = $2 AND `+fmt.Sprintf(pathCond, 3, 4)+
					` AND v.unit_path > $5 ORDER BY v.unit_path`, e.ID, q.String(), lo, hi, lastPath) {
				}
				if err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// exportPage is how many values EachValue reads at a time.
var exportPage = 5000

// heldBySentReports names the values that would change a report sent and
// waiting for approval: the level above is approving the figures as sent,
// so a file or an API call may not change them behind its back (an
// approved report is locked, which Resolve checks). Values given as they
// are stored pass, so a district can upload its template again with its
// communes' rows unchanged.
func (s *Store) heldBySentReports(ctx context.Context, c *sql.Conn, values []value.Value, existing map[valueKey]storedValue, codes periodCodes) ([]errs.Detail, error) {
	type report struct {
		form   string
		unit   int64
		period string
	}
	var changing []int
	periods := map[string]bool{}
	// Values come a period at a time: its code is looked up once per run,
	// and what is stored only when something is.
	var lastPeriod period.Period
	per := ""
	for i := range values {
		v := &values[i]
		if per == "" || v.Period != lastPeriod {
			lastPeriod, per = v.Period, codes.of(v.Period)
			periods[per] = true
		}
		if len(existing) > 0 {
			if old, ok := existing[valueKey{v.Element.ID, per, v.Unit.Path}]; ok && old.value == v.Number {
				continue
			}
		}
		changing = append(changing, i)
	}
	if len(changing) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(periods))
	for p := range periods {
		args = append(args, p)
	}
	rows, err := c.QueryContext(ctx, `SELECT s.form, s.unit_id, s.period, u.name FROM submissions s JOIN units u ON u.id = s.unit_id
		WHERE s.status = 'submitted' AND s.period IN (`+s.placeholders(1, len(args))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	sent := map[report]string{}
	for rows.Next() {
		var r report
		var name string
		if err := rows.Scan(&r.form, &r.unit, &r.period, &name); err != nil {
			return nil, err
		}
		sent[r] = name
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(sent) == 0 {
		return nil, nil
	}
	var bad []errs.Detail
	for _, i := range changing {
		v := values[i]
		code, ok := form.CodeFor(v.Element.Type)
		reporter, ok2 := form.Reporter(*v.Unit)
		if !ok || !ok2 {
			continue
		}
		if name, held := sent[report{code, reporter, codes.of(v.Period)}]; held {
			bad = append(bad, v.Detail("value", errs.HeldBySentReport, &errs.Args{UnitName: name}))
		}
	}
	return bad, nil
}
