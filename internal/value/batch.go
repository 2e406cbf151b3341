package value

import (
	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/unit"
)

// Batch is what an import remembers of every value it has resolved, so
// that its rows can be resolved and written a chunk at a time and still be
// checked as one file: a value given twice (Resolve), and a part above its
// whole whichever chunks the two came in (CheckParts). It holds 32 bytes
// or so a value (a million values: about 40 MB), where the chunks' rows and
// values come and go.
type Batch struct {
	// seen holds each value by its key packed in 64 bits (packed), which
	// takes 24 bytes a value in the map where a struct key took 40; wide
	// holds the rare value whose ids do not fit.
	seen     map[uint64]batchEntry
	wide     map[batchKey]batchEntry
	periods  map[period.Period]int32
	byIndex  []period.Period
	elements map[int64]*Element
	units    map[int64]*unit.Unit

	// With TrackParts, parts and wholes are checked as values arrive:
	// a pair once both sides are in the batch; a value whose other side
	// has not come (yet) is kept in pending, to be checked against what is
	// stored at the end (CheckParts) if it never comes.
	tracking bool
	wholeOf  map[int64]*Element   // a part's whole
	partsOf  map[int64][]*Element // a whole's parts
	pending  []batchKey
	partsBad []errs.Detail
	// pending[:older] have been found still waiting by two prunes and are
	// left to CheckParts; pending[older:recent], by one.
	older, recent int
}

type batchKey struct {
	unit    int64
	element int64
	period  int32 // index into byIndex
}

// packed is k in 64 bits: the unit id in the high 32, the element id and
// the period's index in 16 each; ok is false when one does not fit.
func (k batchKey) packed() (uint64, bool) {
	if k.unit < 0 || k.unit >= 1<<32 || k.element < 0 || k.element >= 1<<16 || k.period >= 1<<16 {
		return 0, false
	}
	return uint64(k.unit)<<32 | uint64(k.element)<<16 | uint64(k.period), true
}

func unpack(p uint64) batchKey {
	return batchKey{unit: int64(p >> 32), element: int64(p >> 16 & 0xffff), period: int32(p & 0xffff)}
}

type batchEntry struct {
	number float64
	line   int32
	index  int32
}

// NewBatch returns an empty batch.
func NewBatch() *Batch {
	return &Batch{seen: map[uint64]batchEntry{}, wide: map[batchKey]batchEntry{}, periods: map[period.Period]int32{},
		elements: map[int64]*Element{}, units: map[int64]*unit.Unit{}}
}

// Len is how many distinct values the batch holds.
func (b *Batch) Len() int { return len(b.seen) + len(b.wide) }

func (b *Batch) key(e *Element, u *unit.Unit, p period.Period) batchKey {
	i, ok := b.periods[p]
	if !ok {
		i = int32(len(b.byIndex))
		b.periods[p] = i
		b.byIndex = append(b.byIndex, p)
	}
	return batchKey{unit: u.ID, element: e.ID, period: i}
}

func (b *Batch) lookup(k batchKey) (batchEntry, bool) {
	if p, ok := k.packed(); ok {
		en, ok := b.seen[p]
		return en, ok
	}
	en, ok := b.wide[k]
	return en, ok
}

func (b *Batch) put(k batchKey, en batchEntry) {
	if p, ok := k.packed(); ok {
		b.seen[p] = en
		return
	}
	b.wide[k] = en
}

// get returns the batch's value for (e, u, p), if it holds one.
func (b *Batch) get(elementID int64, u *unit.Unit, p period.Period) (float64, bool) {
	i, ok := b.periods[p]
	if !ok {
		return 0, false
	}
	en, ok := b.lookup(batchKey{unit: u.ID, element: elementID, period: i})
	return en.number, ok
}

// Resolve validates rows one by one and returns the values, or every bad
// row with its reason. Nothing here touches the database. Rows are
// resolved against every row the batch has seen before them: a value given
// again with the same number is dropped, with another number refused.
func (b *Batch) Resolve(c *Context, rows []Row) ([]Value, []errs.Detail) {
	// Most rows are good: out grows once, not by doubling through a chunk.
	out := make([]Value, 0, len(rows))
	var bad []errs.Detail
	// Whether each period has begun, asked once per period: StartDate
	// formats a date on every call, a tenth of resolving a million rows.
	begun := map[period.Period]bool{}
	for _, r := range rows {
		// Once the element is known, every detail names it: the Excel
		// page finds the cell by row and element.
		var args errs.Args
		fail := func(field string, code errs.Reason, a errs.Args) {
			bad = append(bad, errs.Detail{Row: r.Line, Index: r.Index, Field: field, Code: code, Args: a})
		}
		e, ok := c.Elements[r.DataElement]
		if !ok {
			if r.DataElement == "" {
				fail("dataElement", errs.MissingElement, args)
			} else {
				fail("dataElement", errs.UnknownElement, errs.Args{Text: r.DataElement})
			}
			continue
		}
		args.Element, args.ElementName = e.Code, e.Name
		p, err := period.Parse(r.Period)
		if err != nil {
			args.Text = r.Period
			fail("period", errs.BadPeriod, args)
			continue
		}
		if p.Type != e.Type {
			args.PeriodType, args.Period = e.Type.String(), r.Period
			fail("period", errs.WrongPeriodType, args)
			continue
		}
		args.Period = r.Period
		started, ok := begun[p]
		if !ok {
			started = c.Today == "" || p.StartDate() <= c.Today
			begun[p] = started
		}
		if !started {
			fail("period", errs.PeriodNotStarted, args)
			continue
		}
		u, ok := c.Unit(r.OrgUnit, p)
		if !ok {
			if r.OrgUnit == "" {
				fail("orgUnit", errs.MissingUnit, args)
			} else {
				args.Unit = r.OrgUnit
				fail("orgUnit", errs.UnknownUnit, args)
			}
			continue
		}
		args.Unit, args.UnitName = u.Code, u.Name
		if !e.CollectedAtKind(u.Kind) {
			args.Kind, args.KindName = string(u.Kind), u.Kind.Label()
			fail("orgUnit", errs.NotCollectedAtKind, args)
			continue
		}
		if c.InScope != nil && !c.InScope(u) {
			fail("orgUnit", errs.OutOfScope, args)
			continue
		}
		n, d := ParseNumber(e, r.Value)
		if d != nil {
			d.Args.Unit, d.Args.UnitName, d.Args.Period = u.Code, u.Name, r.Period
			fail("value", d.Code, d.Args)
			continue
		}
		if c.Locked != nil && c.Locked(u, p) {
			if stored, ok := c.lookup(e, u, p); !ok || stored != n {
				fail("period", errs.Locked, args)
				continue
			}
		}
		k := b.key(e, u, p)
		if first, dup := b.lookup(k); dup {
			if first.number != n {
				args.Number, args.Other = n, &errs.Args{Row: int(first.line), Index: int(first.index)}
				fail("value", errs.DuplicateConflict, args)
			}
			continue
		}
		b.put(k, batchEntry{number: n, line: int32(r.Line), index: int32(r.Index)})
		b.elements[e.ID] = e
		b.units[u.ID] = u
		v := Value{Element: e, Unit: u, Period: p, Number: n, Line: r.Line, Index: r.Index}
		if b.tracking {
			b.arrived(k, v)
		}
		out = append(out, v)
	}
	if b.tracking {
		b.prune()
	}
	return out, bad
}

// prune drops from pending the values whose other sides have all come
// since, in the chunk just resolved or the one before: each such pair was
// checked when its second side arrived, and CheckParts would pass over
// them. A chunked import's pairs mostly lie in one chunk or two
// neighbouring ones, so the end of the import, when the server waits on
// the client, has few left to look at. A value found waiting twice is
// not looked at again until CheckParts, so a file of wholes without
// parts costs two lookups per whole here, not one per chunk.
func (b *Batch) prune() {
	kept := b.older
	survivors := 0 // of the values found waiting once before
	for i := b.older; i < len(b.pending); i++ {
		k := b.pending[i]
		if !b.waiting(k) {
			continue
		}
		b.pending[kept] = k
		kept++
		if i < b.recent {
			survivors++
		}
	}
	b.pending = b.pending[:kept]
	b.older += survivors
	b.recent = kept
}

// waiting says whether a value's whole or one of its parts is not in the
// batch.
func (b *Batch) waiting(k batchKey) bool {
	if whole, ok := b.wholeOf[k.element]; ok {
		if _, in := b.lookup(batchKey{unit: k.unit, element: whole.ID, period: k.period}); !in {
			return true
		}
	}
	for _, part := range b.partsOf[k.element] {
		if _, in := b.lookup(batchKey{unit: k.unit, element: part.ID, period: k.period}); !in {
			return true
		}
	}
	return false
}

// TrackParts makes Resolve check parts against wholes (see CheckParts)
// over the batch as values arrive, whichever chunk each side comes in;
// CheckParts then ends the check. Call it before the first Resolve.
func (b *Batch) TrackParts(elements map[string]*Element) {
	b.tracking = true
	b.wholeOf, b.partsOf = map[int64]*Element{}, map[int64][]*Element{}
	for _, e := range elements {
		if whole, ok := elements[e.Denominator]; ok && e.Denominator != "" {
			b.wholeOf[e.ID] = whole
			b.partsOf[whole.ID] = append(b.partsOf[whole.ID], e)
		}
	}
}

// arrived checks a value just added under k with the other sides already
// in the batch. A pair is checked once, when its second side arrives, and
// named at the part's row, as CheckParts does when both are in one batch.
func (b *Batch) arrived(k batchKey, v Value) {
	waits := false
	if whole, ok := b.wholeOf[v.Element.ID]; ok {
		if w, ok := b.lookup(batchKey{unit: k.unit, element: whole.ID, period: k.period}); ok {
			if v.Number > w.number {
				b.partsBad = append(b.partsBad, v.Detail("value", errs.PartExceedsWhole, &errs.Args{Element: whole.Code, ElementName: whole.Name, Number: w.number}))
			}
		} else {
			waits = true
		}
	}
	for _, part := range b.partsOf[v.Element.ID] {
		pk := batchKey{unit: k.unit, element: part.ID, period: k.period}
		en, ok := b.lookup(pk)
		if !ok {
			waits = true
			continue
		}
		if en.number > v.Number {
			pv := Value{Element: part, Unit: v.Unit, Period: v.Period, Number: en.number, Line: int(en.line), Index: int(en.index)}
			b.partsBad = append(b.partsBad, pv.Detail("value", errs.PartExceedsWhole, &errs.Args{Element: v.Element.Code, ElementName: v.Element.Name, Number: v.Number}))
		}
	}
	if waits {
		b.pending = append(b.pending, k)
	}
}

// CheckParts ends the check TrackParts began, once every value is
// resolved: the pairs found in the batch were checked as they arrived;
// a value whose other side never came is checked against stored, which
// must answer what was stored before the batch. It returns every part
// found above its whole.
func (b *Batch) CheckParts(stored Stored) []errs.Detail {
	bad := b.partsBad
	for _, k := range b.pending {
		en, _ := b.lookup(k)
		e, u, p := b.elements[k.element], b.units[k.unit], b.byIndex[k.period]
		v := Value{Element: e, Unit: u, Period: p, Number: en.number, Line: int(en.line), Index: int(en.index)}
		if whole, ok := b.wholeOf[e.ID]; ok {
			if _, in := b.get(whole.ID, u, p); !in {
				if w, ok := stored(whole.ID, u, p); ok && v.Number > w {
					bad = append(bad, v.Detail("value", errs.PartExceedsWhole, &errs.Args{Element: whole.Code, ElementName: whole.Name, Number: w}))
				}
			}
		}
		for _, part := range b.partsOf[e.ID] {
			if _, in := b.get(part.ID, u, p); in {
				continue // checked when the second of the two came
			}
			if pn, ok := stored(part.ID, u, p); ok && pn > v.Number {
				bad = append(bad, v.Detail("value", errs.WholeBelowPart, &errs.Args{Element: part.Code, ElementName: part.Name, Number: pn}))
			}
		}
	}
	b.pending, b.partsBad, b.older, b.recent = nil, nil, 0, 0
	return bad
}
