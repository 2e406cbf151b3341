package unit

import (
	"fmt"
	"mattran/internal/clock"
	"sort"
	"time"

	"mattran/internal/errs"
)

// Plan is what an import file changes in the stored tree. It is computed
// without writing anything, so a bad file is rejected whole.
type Plan struct {
	Creates   []NewUnit
	Updates   []Change
	Closes    []Close
	Links     []Link
	Warnings  []string
	Unchanged int
}

// NewUnit is a unit version the import creates. Its parent is either a
// stored unit (ParentID) or an earlier create of the same plan (ParentNew).
type NewUnit struct {
	Record
	ValidFrom string
	ValidTo   string
	ParentID  int64
	ParentNew int // index into Plan.Creates, or -1
}

// Change is an attribute change of a stored unit version.
type Change struct{ Before, After Unit }

// Close ends a stored unit version on ValidTo.
type Close struct {
	Unit    Unit
	ValidTo string
}

// Link is a successor link from a stored version to a created one.
type Link struct {
	FromID int64
	ToNew  int
	Kind   Succession
}

// Empty reports whether applying the plan would change nothing.
func (p *Plan) Empty() bool {
	return len(p.Creates) == 0 && len(p.Updates) == 0 && len(p.Closes) == 0 && len(p.Links) == 0
}

// Options say when an import takes effect.
type Options struct {
	// Date: for a list (official or CSV), the day it describes; stored units
	// are matched by code as of that day. For a merge mapping, the day the
	// new units start (the old ones end the day before).
	Date string
	// ValidFrom is when units new to the store start, for a list; default
	// Beginning (they existed before our records start).
	ValidFrom string
	// Name, when set, records the file as a list the tree comes from
	// (store.UnitList), with Note saying what a reader should know of it.
	Name, Note string
}

// Tree is the stored tree a plan is computed against.
type Tree struct {
	Root     Unit
	Versions map[string][]Unit // every stored version, by code
	ByID     map[int64]Unit
	Links    map[[2]int64]bool // existing successor links (from, to)
}

// NewTree indexes stored units.
func NewTree(root Unit, units []Unit, links [][2]int64) *Tree {
	t := &Tree{Root: root, Versions: map[string][]Unit{}, ByID: map[int64]Unit{}, Links: map[[2]int64]bool{}}
	for _, u := range units {
		t.ByID[u.ID] = u
		if u.Kind != Central {
			t.Versions[u.Code] = append(t.Versions[u.Code], u)
		}
	}
	for _, l := range links {
		t.Links[l] = true
	}
	return t
}

// Version returns the version of code that starts on from.
func (t *Tree) Version(code, from string) (Unit, bool) {
	for _, u := range t.Versions[code] {
		if u.ValidFrom == from {
			return u, true
		}
	}
	return Unit{}, false
}

// At returns the version of code valid on date.
func (t *Tree) At(code, date string) (Unit, bool) {
	for _, u := range t.Versions[code] {
		if u.ValidOn(date) {
			return u, true
		}
	}
	return Unit{}, false
}

// PlanImport computes what importing f changes.
func PlanImport(t *Tree, f *File, opts Options) (*Plan, error) {
	if opts.Date == "" {
		opts.Date = f.Date
	}
	if opts.Date == "" {
		if f.Format == FormatMerges {
			opts.Date = "2025-07-01"
		} else {
			opts.Date = clock.Today(time.Now()) // the day in Vietnam, wherever the server runs
		}
	}
	if !IsDate(opts.Date) {
		return nil, errs.New(errs.Invalid, "ngày hiệu lực %q không hợp lệ (dùng YYYY-MM-DD)", opts.Date)
	}
	if opts.ValidFrom == "" {
		opts.ValidFrom = Beginning
	}
	pl := &planner{t: t, opts: opts, plan: &Plan{}, newByCode: map[string][]int{}, closing: map[int64]string{}}
	if f.Format == FormatMerges {
		pl.merges(f)
	} else {
		pl.list(f)
	}
	if len(pl.details) > 0 {
		return nil, errs.WithDetails(fmt.Sprintf("tệp đơn vị có %d lỗi; không có gì được ghi", len(pl.details)), pl.details)
	}
	return pl.plan, nil
}

type planner struct {
	t         *Tree
	opts      Options
	plan      *Plan
	details   []errs.Detail
	newByCode map[string][]int  // code → indices of its creates in this plan
	closing   map[int64]string  // stored unit id → new valid_to
	matched   map[string][]Unit // code → stored versions records matched
}

func (pl *planner) fail(r Record, field string, code errs.Reason, a errs.Args) {
	pl.details = append(pl.details, errs.Detail{Row: r.Line, Field: field, Code: code, Args: a})
}

// parent is a resolved parent: a stored unit or a create of this plan.
type parent struct {
	id        int64
	newIdx    int // index into Plan.Creates, or -1
	kind      Kind
	validTo   string
	validFrom string
}

// parentOf resolves a record's parent as of date: a unit created earlier in
// this plan, a stored unit matched by code, or the root.
func (pl *planner) parentOf(r Record, date string) (parent, bool) {
	if r.ParentCode == "" {
		return parent{id: pl.t.Root.ID, newIdx: -1, kind: Central, validFrom: Beginning, validTo: Forever}, true
	}
	for _, i := range pl.newByCode[r.ParentCode] {
		c := pl.plan.Creates[i]
		if c.ValidFrom <= date && date <= c.ValidTo {
			return parent{newIdx: i, kind: c.Kind, validFrom: c.ValidFrom, validTo: c.ValidTo}, true
		}
	}
	for _, u := range pl.matched[r.ParentCode] {
		if u.ValidOn(date) {
			return parent{id: u.ID, newIdx: -1, kind: u.Kind, validFrom: u.ValidFrom, validTo: u.ValidTo}, true
		}
	}
	if u, found := pl.t.At(r.ParentCode, date); found {
		return parent{id: u.ID, newIdx: -1, kind: u.Kind, validFrom: u.ValidFrom, validTo: u.ValidTo}, true
	}
	pl.fail(r, "parent_code", errs.ParentNotFound, errs.Args{Unit: r.ParentCode, Date: date})
	return parent{}, false
}

// list applies a list: each record is matched to a stored version and
// updated if its attributes changed, or created if it is new. A plain list
// describes one day (opts.Date) and matches codes as of that day. A list
// with a valid_from column (what units export writes) describes versions:
// each record matches the stored version with the same code and start day,
// so an export of any day, or of every version, reads back unchanged.
func (pl *planner) list(f *File) {
	pl.matched = map[string][]Unit{}
	for _, r := range f.Records {
		date, from := pl.opts.Date, pl.opts.ValidFrom
		if f.Versioned {
			from = Beginning
			if r.ValidFrom != "" {
				from = r.ValidFrom
			}
			date = from
		} else if r.ValidFrom != "" {
			from = r.ValidFrom
		}
		to := Forever
		if r.ValidTo != "" {
			to = r.ValidTo
		}
		if len(r.Merges) > 0 {
			// A version made from others (a residential area merged with
			// its neighbour): it starts on its own day, and the units it
			// was made from end the day before.
			if r.ValidFrom != "" {
				date = r.ValidFrom
			}
			pl.listSuccession(r, date, to)
			continue
		}
		if f.Versioned && from == Beginning && to != Forever {
			// A version that ended: its parent is the one of its last day.
			date = to
		}
		par, ok := pl.parentOf(r, date)
		if !ok {
			continue
		}
		if !r.Kind.CanBeUnder(par.kind) {
			pl.fail(r, "parent_code", errs.KindNotUnder, kindUnder(r.Kind, par.kind))
			continue
		}
		stored, found := pl.t.At(r.Code, date)
		if f.Versioned {
			stored, found = pl.t.Version(r.Code, from)
		}
		if found {
			pl.matched[r.Code] = append(pl.matched[r.Code], stored)
			if !f.Versioned && r.ValidTo != "" && r.ValidTo < date {
				pl.fail(r, "valid_to", errs.EndsBeforeList, errs.Args{Unit: r.Code, To: r.ValidTo, Date: date})
				continue
			}
			pl.update(r, stored, par)
			continue
		}
		if !f.Versioned && !(from <= date && date <= to) {
			pl.fail(r, "valid_from", errs.OutsideListDate, errs.Args{Unit: r.Code, From: openEnd(from), To: openEnd(to), Date: date})
			continue
		}
		// A unit lives within its parent: without an end of its own it ends
		// with its parent (an area of a commune merged away ends with it).
		if r.ValidTo == "" && par.validTo < to {
			to = par.validTo
		}
		if to > par.validTo || from < par.validFrom {
			pl.fail(r, "valid_to", errs.OutsideParent, errs.Args{Unit: r.Code, From: openEnd(from), To: openEnd(to),
				Other: &errs.Args{Unit: r.ParentCode, From: openEnd(par.validFrom), To: openEnd(par.validTo)}})
			continue
		}
		pl.create(r, from, to, par)
	}
}

// openEnd writes a stored end of a validity interval as a refusal's args do:
// Beginning and Forever are open ends, "".
func openEnd(d string) string {
	if d == Beginning || d == Forever {
		return ""
	}
	return d
}

// listSuccession applies a list row that names the units it was made from
// (the CSV merges column): like a merge mapping's row, it starts a new
// version on start, ends each old unit valid the day before, and links
// them. A row already imported (same code, name, start and parent)
// changes nothing.
func (pl *planner) listSuccession(r Record, start, to string) {
	if start == Beginning || start == "" {
		pl.fail(r, "valid_from", errs.MergesNeedStart, errs.Args{Unit: r.Code})
		return
	}
	d, err := time.Parse(time.DateOnly, start)
	if err != nil {
		pl.fail(r, "valid_from", errs.BadISODate, errs.Args{Text: start})
		return
	}
	before := d.AddDate(0, 0, -1).Format(time.DateOnly)
	par, ok := pl.parentOf(r, start)
	if !ok {
		return
	}
	if !r.Kind.CanBeUnder(par.kind) {
		pl.fail(r, "parent_code", errs.KindNotUnder, kindUnder(r.Kind, par.kind))
		return
	}
	if u, found := pl.t.Version(r.Code, start); found && u.Name == r.Name && par.newIdx < 0 && u.ParentID == par.id {
		pl.matched[r.Code] = append(pl.matched[r.Code], u)
		pl.plan.Unchanged++
		return
	}
	var olds []Unit
	for _, m := range r.Merges {
		old, found := pl.t.At(m.OldCode, before)
		if !found {
			pl.fail(r, "merges", errs.OldUnitNotValid, errs.Args{Unit: m.OldCode, Date: before})
			return
		}
		if old.Kind != r.Kind {
			pl.fail(r, "merges", errs.OldUnitOtherKind, errs.Args{Unit: m.OldCode, Kind: string(old.Kind), KindName: old.Kind.Label(),
				Other: &errs.Args{Unit: r.Code, Kind: string(r.Kind), KindName: r.Kind.Label()}})
			return
		}
		olds = append(olds, old)
	}
	for _, old := range olds {
		pl.close(old, before)
	}
	if r.ValidTo == "" && par.validTo < to {
		to = par.validTo
	}
	created := pl.create(r, start, to, par)
	if created < 0 {
		return
	}
	for i, old := range olds {
		pl.plan.Links = append(pl.plan.Links, Link{FromID: old.ID, ToNew: created, Kind: r.Merges[i].Kind})
	}
}

func (pl *planner) update(r Record, u Unit, par parent) {
	if par.newIdx >= 0 || par.id != u.ParentID {
		pl.fail(r, "parent_code", errs.ParentChanged, errs.Args{Unit: r.Code})
		return
	}
	after := u
	after.Name, after.Kind, after.Synthetic = r.Name, r.Kind, r.Synthetic
	if r.OfficialType != "" {
		after.OfficialType = r.OfficialType
	}
	if r.ValidTo != "" {
		after.ValidTo = r.ValidTo
	}
	if r.ValidFrom != "" && r.ValidFrom != u.ValidFrom && !(u.ValidFrom == Beginning && r.ValidFrom == "") {
		pl.fail(r, "valid_from", errs.StartChanged, errs.Args{Unit: r.Code, From: openEnd(u.ValidFrom)})
		return
	}
	if after.ValidTo < after.ValidFrom {
		pl.fail(r, "valid_to", errs.EndsBeforeStart, errs.Args{From: openEnd(after.ValidFrom), To: openEnd(after.ValidTo)})
		return
	}
	if after == u {
		pl.plan.Unchanged++
		return
	}
	pl.plan.Updates = append(pl.plan.Updates, Change{Before: u, After: after})
}

func (pl *planner) create(r Record, from, to string, par parent) int {
	if to < from {
		pl.fail(r, "valid_to", errs.EndsBeforeStart, errs.Args{From: openEnd(from), To: openEnd(to)})
		return -1
	}
	// A code names one unit at a time: the new version must not overlap
	// another version of the same code, counting the closes of this plan.
	for _, other := range pl.t.Versions[r.Code] {
		end := other.ValidTo
		if c, ok := pl.closing[other.ID]; ok {
			end = c
		}
		if other.ValidFrom <= to && from <= end {
			pl.fail(r, "code", errs.CodeTaken, errs.Args{Unit: r.Code, UnitName: r.Name, From: openEnd(from), To: openEnd(to),
				Other: &errs.Args{UnitName: other.Name, From: openEnd(other.ValidFrom), To: openEnd(end)}})
			return -1
		}
	}
	pl.plan.Creates = append(pl.plan.Creates, NewUnit{Record: r, ValidFrom: from, ValidTo: to, ParentID: par.id, ParentNew: par.newIdx})
	i := len(pl.plan.Creates) - 1
	pl.newByCode[r.Code] = append(pl.newByCode[r.Code], i)
	return i
}

func (pl *planner) close(u Unit, validTo string) {
	if u.ValidTo <= validTo {
		return // already ended by then
	}
	if _, done := pl.closing[u.ID]; done {
		return
	}
	pl.closing[u.ID] = validTo
	pl.plan.Closes = append(pl.plan.Closes, Close{Unit: u, ValidTo: validTo})
}

// merges applies a merge mapping: new units start on the date, the old units
// they were made from end the day before, with successor links between.
func (pl *planner) merges(f *File) {
	pl.matched = map[string][]Unit{}
	start := pl.opts.Date
	d, _ := time.Parse(time.DateOnly, start)
	before := d.AddDate(0, 0, -1).Format(time.DateOnly)
	continues := func(r Record) (Unit, bool) {
		// A province that only continues itself (same code, same name, one
		// full merge) is the same committee: keep its version, so its users
		// and history carry on.
		if r.Kind == Province && len(r.Merges) == 1 && r.Merges[0].OldCode == r.Code && r.Merges[0].Kind == Full {
			if u, ok := pl.t.At(r.Code, before); ok && u.Name == r.Name && u.ValidTo >= start {
				return u, true
			}
		}
		return Unit{}, false
	}
	imported := func(r Record) (Unit, bool) {
		u, ok := pl.t.At(r.Code, start)
		return u, ok && u.ValidFrom == start && u.Name == r.Name
	}
	// First every old unit the file names ends, then the new units start: a
	// new unit may take the code of an old one that a later record names.
	type olds struct {
		units []Unit
		kinds []Succession
	}
	replaced := make([]olds, len(f.Records))
	missing := 0
	for i, r := range f.Records {
		if _, ok := continues(r); ok {
			continue
		}
		if _, ok := imported(r); ok {
			continue
		}
		for _, m := range r.Merges {
			old, ok := pl.t.At(m.OldCode, before)
			if !ok {
				missing++
				continue
			}
			replaced[i].units = append(replaced[i].units, old)
			replaced[i].kinds = append(replaced[i].kinds, m.Kind)
			pl.close(old, before)
		}
	}
	for i, r := range f.Records {
		if u, ok := continues(r); ok {
			pl.matched[r.Code] = append(pl.matched[r.Code], u)
			pl.plan.Unchanged++
			continue
		}
		par, ok := pl.parentOf(r, start)
		if !ok {
			continue
		}
		if u, ok := imported(r); ok && par.newIdx < 0 && u.ParentID == par.id {
			pl.matched[r.Code] = append(pl.matched[r.Code], u)
			pl.plan.Unchanged++
			continue
		}
		created := pl.create(r, start, Forever, par)
		if created < 0 {
			continue
		}
		for j, old := range replaced[i].units {
			pl.plan.Links = append(pl.plan.Links, Link{FromID: old.ID, ToNew: created, Kind: replaced[i].kinds[j]})
		}
	}
	if missing > 0 {
		pl.plan.Warnings = append(pl.plan.Warnings, fmt.Sprintf("%d đơn vị cũ trong tệp sáp nhập không có trong dữ liệu ngày %s; chỉ tạo đơn vị mới, không nối liên kết kế thừa cho chúng", missing, before))
	}
	pl.closeOrphans(before)
}

// closeOrphans ends what the merge left behind: a district all of whose
// communes ended, and every descendant of an ended unit (residential areas
// of an old commune), so no live unit hangs under an ended one.
func (pl *planner) closeOrphans(before string) {
	children := map[int64][]Unit{}
	for _, versions := range pl.t.Versions {
		for _, u := range versions {
			if u.ValidOn(before) {
				children[u.ParentID] = append(children[u.ParentID], u)
			}
		}
	}
	ids := make([]int64, 0, len(children))
	for id := range children {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		parent, ok := pl.t.ByID[id]
		if !ok || parent.Kind != District || !parent.ValidOn(before) {
			continue
		}
		communes, ended := 0, 0
		for _, c := range children[id] {
			if c.Kind == Commune {
				communes++
				if _, ok := pl.closing[c.ID]; ok {
					ended++
				}
			}
		}
		if communes > 0 && ended == communes {
			pl.close(parent, before)
		}
	}
	descendants := 0
	var walk func(id int64)
	walk = func(id int64) {
		for _, c := range children[id] {
			if _, ended := pl.closing[c.ID]; !ended && c.ValidTo > before {
				pl.close(c, before)
				descendants++
			}
			walk(c.ID)
		}
	}
	for _, c := range append([]Close(nil), pl.plan.Closes...) {
		walk(c.Unit.ID)
	}
	if descendants > 0 {
		pl.plan.Warnings = append(pl.plan.Warnings, fmt.Sprintf("%d đơn vị trực thuộc (khu dân cư, tổ chức thành viên) của các đơn vị cũ cũng kết thúc ngày %s; cần tạo lại chúng dưới đơn vị mới", descendants, before))
	}
}
