package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"sort"
	"sync"
	"time"

	"mattran/internal/audit"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/rollup"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// The store reads figures across changes of the tree (rollup.Across).
var _ rollup.HistorySource = (*Store)(nil)

// Lineage returns root's tree on date with every unit version linked to
// it: the path ranges of the units that became part of it (following
// links backwards from anything under root) and of those it became
// (forwards), each range with every version under it, and the links among
// them. Each direction is followed on its own, so a split shared with a
// neighbour does not pull the neighbour's whole history in.
//
// Units change seldom, and every change raises the global data version,
// so a lineage read is kept while that version stays (lineageCache).
func (s *Store) Lineage(ctx context.Context, root unit.Unit, date string) (*unit.Lineage, error) {
	if !root.ValidOn(date) {
		return nil, notFound("đơn vị %s (%s) không có hiệu lực ngày %s", root.Name, root.Code, date)
	}
	v, err := s.DataVersion(ctx, unit.Unit{})
	if err != nil {
		return nil, err
	}
	key := lineageKey{root.ID, date}
	if l, ok := s.lineages.get(key, v.Global); ok {
		return l, nil
	}
	l, err := s.readLineage(ctx, root, date)
	if err != nil {
		return nil, err
	}
	s.lineages.put(key, v.Global, l)
	return l, nil
}

// lineageCache keeps a few lineages read at one global data version: a
// province's is tens of thousands of unit versions, read in tens of
// milliseconds, and asked for by every reading across the reform. Shared
// nothing but the version, it is right on every server.
type lineageCache struct {
	mu      sync.Mutex
	version int64
	m       map[lineageKey]*unit.Lineage
}

type lineageKey struct {
	root int64
	date string
}

// maxLineages bounds the cache: past it, it starts over.
const maxLineages = 16

func (c *lineageCache) get(k lineageKey, version int64) (*unit.Lineage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return nil, false
	}
	l, ok := c.m[k]
	return l, ok
}

func (c *lineageCache) put(k lineageKey, version int64, l *unit.Lineage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version || c.m == nil || len(c.m) >= maxLineages {
		c.version, c.m = version, map[lineageKey]*unit.Lineage{}
	}
	c.m[k] = l
}

// readLineage reads a lineage from the database.
func (s *Store) readLineage(ctx context.Context, root unit.Unit, date string) (*unit.Lineage, error) {
	ranges := []unit.Unit{root}
	covered := func(path string) bool {
		for _, r := range ranges {
			if unit.InSubtree(path, r.Path) {
				return true
			}
		}
		return false
	}
	for _, dir := range []string{"back", "forward"} {
		frontier := []unit.Unit{root}
		for len(frontier) > 0 {
			var next []unit.Unit
			for _, r := range frontier {
				linked, err := s.linkedOutside(ctx, r, dir)
				if err != nil {
					return nil, err
				}
				sort.Slice(linked, func(i, j int) bool { return linked[i].Path < linked[j].Path })
				for _, u := range linked {
					if covered(u.Path) {
						continue
					}
					// A range inside the new one is dropped: the new one covers it.
					kept := ranges[:1]
					for _, x := range ranges[1:] {
						if !unit.InSubtree(x.Path, u.Path) {
							kept = append(kept, x)
						}
					}
					ranges = append(kept, u)
					next = append(next, u)
				}
			}
			frontier = next
		}
	}
	var units []unit.Unit
	for _, r := range ranges {
		lo, hi := unit.PathRange(r.Path)
		us, err := s.unitsRaw(ctx, `SELECT `+unitCols+` FROM units WHERE path >= $1 AND path < $2`, lo, hi)
		if err != nil {
			return nil, err
		}
		units = append(units, us...)
	}
	// Every link into or out of the ranges, and the units at the far end
	// of those that leave them: the other parts of a split shared with a
	// neighbour, and the areas that went there, which weigh the shares.
	have := make(map[int64]bool, len(units))
	for _, u := range units {
		have[u.ID] = true
	}
	var edges []unit.Edge
	seen := map[[2]int64]bool{}
	var far []int64
	for _, r := range ranges {
		lo, hi := unit.PathRange(r.Path)
		for _, side := range []string{"l.from_id", "l.to_id"} {
			err := s.queryRaw(ctx, `SELECT l.from_id, l.to_id, l.kind FROM unit_successors l JOIN units x ON x.id = `+side+`
				WHERE x.path >= $1 AND x.path < $2`, []any{lo, hi}, func(row []driver.Value) error {
				e := unit.Edge{From: asInt(row[0]), To: asInt(row[1]), Kind: unit.Succession(asString(row[2]))}
				if seen[[2]int64{e.From, e.To}] {
					return nil
				}
				seen[[2]int64{e.From, e.To}] = true
				edges = append(edges, e)
				for _, id := range []int64{e.From, e.To} {
					if !have[id] {
						have[id] = true
						far = append(far, id)
					}
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	for start := 0; start < len(far); start += 500 {
		part := far[start:min(start+500, len(far))]
		us, err := s.unitsRaw(ctx, `SELECT `+unitCols+` FROM units WHERE id IN (`+s.placeholders(1, len(part))+`)`, int64Args(part)...)
		if err != nil {
			return nil, err
		}
		units = append(units, us...)
	}
	return unit.NewLineage(root, date, ranges, units, edges), nil
}

// linkedOutside returns the units outside r's path range that are linked
// to a unit inside it, its predecessors ("back") or successors, without
// those under another of them: the roots of the ranges to add. Only paths
// are read for the thousands of areas linked across, then the few roots.
func (s *Store) linkedOutside(ctx context.Context, r unit.Unit, dir string) ([]unit.Unit, error) {
	lo, hi := unit.PathRange(r.Path)
	inner, outer := "l.to_id", "l.from_id"
	if dir != "back" {
		inner, outer = outer, inner
	}
	var paths []string
	err := s.queryRaw(ctx, `SELECT DISTINCT o.path FROM unit_successors l
		JOIN units i ON i.id = `+inner+` JOIN units o ON o.id = `+outer+`
		WHERE i.path >= $1 AND i.path < $2 AND NOT (o.path >= $1 AND o.path < $2) ORDER BY o.path`, []any{lo, hi}, func(row []driver.Value) error {
		paths = append(paths, asString(row[0]))
		return nil
	})
	if err != nil {
		return nil, err
	}
	var ids []int64
	last := ""
	for _, p := range paths {
		if last != "" && unit.InSubtree(p, last) {
			continue // ordered by path: under the last root kept
		}
		last = p
		ids = append(ids, lastID(p))
	}
	if len(ids) == 0 {
		return nil, nil
	}
	return s.unitsRaw(ctx, `SELECT `+unitCols+` FROM units WHERE id IN (`+s.placeholders(1, len(ids))+`)`, int64Args(ids)...)
}

// unitsRaw is queryUnits read through the driver directly: a lineage
// reads tens of thousands of unit versions.
func (s *Store) unitsRaw(ctx context.Context, query string, args ...any) ([]unit.Unit, error) {
	var out []unit.Unit
	err := s.queryRaw(ctx, query, args, func(row []driver.Value) error {
		out = append(out, unit.Unit{ID: asInt(row[0]), Code: asString(row[1]), Name: asString(row[2]), Kind: unit.Kind(asString(row[3])),
			OfficialType: asString(row[4]), ParentID: asInt(row[5]), Path: asString(row[6]), ValidFrom: asString(row[7]), ValidTo: asString(row[8]),
			Synthetic: asBool(row[9])})
		return nil
	})
	return out, err
}

func asBool(v driver.Value) bool {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x != 0
	}
	return false
}

// ReassignRules returns the rules administrators declared, by element.
func (s *Store) ReassignRules(ctx context.Context) (map[string]rollup.Rule, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT element, rule, weight, set_by, set_at FROM reassign_rules`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]rollup.Rule{}
	for rows.Next() {
		var r rollup.Rule
		var kind string
		if err := rows.Scan(&r.Element, &kind, &r.Weight, &r.SetBy, &r.SetAt); err != nil {
			return nil, err
		}
		r.Kind = rollup.RuleKind(kind)
		out[r.Element] = r
	}
	return out, rows.Err()
}

// SetReassignRule declares the rule of one element, replacing any other,
// audited. Every page that shows a figure read across the reform may
// change.
func (s *Store) SetReassignRule(ctx context.Context, a audit.Actor, r rollup.Rule) error {
	elements, err := s.Elements(ctx)
	if err != nil {
		return err
	}
	if err := r.Validate(elements); err != nil {
		return err
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		before, err := reassignRule(ctx, tx, r.Element)
		if err != nil {
			return err
		}
		if before != nil && before.Kind == r.Kind && before.Weight == r.Weight {
			return nil
		}
		if _, err := tx.exec(ctx, `INSERT INTO reassign_rules (element, rule, weight, set_by, set_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (element) DO UPDATE SET rule = excluded.rule, weight = excluded.weight, set_by = excluded.set_by, set_at = excluded.set_at`,
			r.Element, string(r.Kind), r.Weight, a.Name, tx.now.UTC()); err != nil {
			return err
		}
		tx.Stale(AllPages)
		return tx.Audit(ctx, a, "set", "reassign_rule", r.Element, before, map[string]string{"rule": string(r.Kind), "weight": r.Weight})
	})
}

// DeleteReassignRule takes a rule back: the element is shared by
// residential areas again.
func (s *Store) DeleteReassignRule(ctx context.Context, a audit.Actor, element string) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		before, err := reassignRule(ctx, tx, element)
		if err != nil {
			return err
		}
		if before == nil {
			return errs.New(errs.NotFound, "Chỉ số %s chưa có quy tắc phân bổ riêng.", element)
		}
		if _, err := tx.exec(ctx, `DELETE FROM reassign_rules WHERE element = $1`, element); err != nil {
			return err
		}
		tx.Stale(AllPages)
		return tx.Audit(ctx, a, "delete", "reassign_rule", element, before, nil)
	})
}

type ruleRecord struct {
	Kind   rollup.RuleKind `json:"rule"`
	Weight string          `json:"weight,omitempty"`
}

func reassignRule(ctx context.Context, tx *Tx, element string) (*ruleRecord, error) {
	var r ruleRecord
	var kind string
	err := tx.queryRow(ctx, `SELECT rule, weight FROM reassign_rules WHERE element = $1`, element).Scan(&kind, &r.Weight)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.Kind = rollup.RuleKind(kind)
	return &r, nil
}

// UnitHistory is every version of a code, with the links into and out of
// each, followed transitively: what "units history" prints.
type UnitHistory struct {
	Versions []unit.Unit
	Units    map[int64]unit.Unit // every unit the links reach, and their parents
	Next     map[int64][]unit.Edge
	Prev     map[int64][]unit.Edge
}

// History returns the versions of code and their links, both ways.
func (s *Store) History(ctx context.Context, code string) (*UnitHistory, error) {
	versions, err := queryUnits(ctx, s.DB, `SELECT `+unitCols+` FROM units WHERE code = $1 ORDER BY valid_from`, code)
	if err != nil {
		return nil, err
	}
	if len(versions) == 0 {
		return nil, notFound("không có đơn vị mã %q", code)
	}
	h := &UnitHistory{Versions: versions, Units: map[int64]unit.Unit{}, Next: map[int64][]unit.Edge{}, Prev: map[int64][]unit.Edge{}}
	for _, v := range versions {
		h.Units[v.ID] = v
	}
	// Breadth first, both ways, from every version.
	seen := map[[2]int64]bool{}
	var queue []int64
	for _, v := range versions {
		queue = append(queue, v.ID)
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		rows, err := s.DB.QueryContext(ctx, `SELECT from_id, to_id, kind FROM unit_successors WHERE from_id = $1 OR to_id = $1 ORDER BY from_id, to_id`, id)
		if err != nil {
			return nil, err
		}
		var edges []unit.Edge
		for rows.Next() {
			var e unit.Edge
			var kind string
			if err := rows.Scan(&e.From, &e.To, &kind); err != nil {
				rows.Close()
				return nil, err
			}
			e.Kind = unit.Succession(kind)
			edges = append(edges, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		for _, e := range edges {
			if seen[[2]int64{e.From, e.To}] {
				continue
			}
			seen[[2]int64{e.From, e.To}] = true
			h.Next[e.From] = append(h.Next[e.From], e)
			h.Prev[e.To] = append(h.Prev[e.To], e)
			for _, other := range []int64{e.From, e.To} {
				if _, ok := h.Units[other]; !ok {
					u, err := s.UnitByID(ctx, other)
					if err != nil {
						return nil, err
					}
					h.Units[other] = u
					queue = append(queue, other)
				}
			}
		}
	}
	for _, u := range h.Units {
		if _, ok := h.Units[u.ParentID]; !ok && u.ParentID != 0 {
			if p, err := s.UnitByID(ctx, u.ParentID); err == nil {
				h.Units[p.ID] = p
			}
		}
	}
	return h, nil
}

// UnitList is a units file the tree was imported from: the day it
// describes, the days it stands for, and a note.
type UnitList struct {
	Name, Format, Note string
	Date               string // the day the list describes
	From, To           string // the days it stands for
}

// recordUnitList records an import made under a name. A merge mapping
// ends the lists of the tree before it: from its day on, the tree is
// its.
func recordUnitList(ctx context.Context, tx *Tx, a audit.Actor, f *unit.File, opts unit.Options) error {
	if opts.Name == "" {
		return nil
	}
	date := opts.Date
	if date == "" {
		date = f.Date
	}
	if date == "" {
		date = clockDay(tx)
	}
	from := date
	if f.Format != unit.FormatMerges {
		from = opts.ValidFrom
		if from == "" {
			from = unit.Beginning
		}
	}
	if f.Format == unit.FormatMerges {
		before, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE unit_lists SET used_to = $1 WHERE used_to = $2 AND used_from < $3 AND format <> $4`,
			before.AddDate(0, 0, -1).Format(time.DateOnly), unit.Forever, date, string(unit.FormatCSV)); err != nil {
			return err
		}
	}
	if _, err := tx.exec(ctx, `INSERT INTO unit_lists (name, format, list_date, used_from, used_to, note, imported_at, imported_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, opts.Name, string(f.Format), date, from, unit.Forever, opts.Note, tx.now.UTC(), a.Name); err != nil {
		return err
	}
	return tx.Audit(ctx, a, "record", "unit_list", opts.Name, nil, map[string]string{"date": date, "from": from, "note": opts.Note})
}

func clockDay(tx *Tx) string { return tx.now.In(clock.Zone).Format(time.DateOnly) }

// UnitLists returns the lists the tree of date was read from, oldest first.
func (s *Store) UnitLists(ctx context.Context, date string) ([]UnitList, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT name, format, list_date, used_from, used_to, note FROM unit_lists
		WHERE used_from <= $1 AND used_to >= $1 ORDER BY used_from, id`, date)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []UnitList
	for rows.Next() {
		var l UnitList
		if err := rows.Scan(&l.Name, &l.Format, &l.Date, &l.From, &l.To, &l.Note); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// heritage fills in the paths of the units u's unit was made from,
// following links back through every change: one small indexed query
// per generation, none of them for a unit no change made.
func (s *Store) heritage(ctx context.Context, u *user.User) error {
	u.Heritage = nil
	seen := map[int64]bool{u.Unit.ID: true}
	frontier := []int64{u.Unit.ID}
	for depth := 0; len(frontier) > 0 && depth < 10; depth++ {
		rows, err := s.prepared().QueryContext(ctx, `SELECT f.id, f.path FROM unit_successors l JOIN units f ON f.id = l.from_id
			WHERE l.to_id IN (`+s.placeholders(1, len(frontier))+`) ORDER BY f.path`, int64Args(frontier)...)
		if err != nil {
			return err
		}
		var next []int64
		for rows.Next() {
			var id int64
			var path string
			if err := rows.Scan(&id, &path); err != nil {
				rows.Close()
				return err
			}
			if !seen[id] {
				seen[id] = true
				next = append(next, id)
				u.Heritage = append(u.Heritage, path)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		frontier = next
	}
	return nil
}
