package unit

import (
	"fmt"
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
			opts.Date = time.Now().Format(time.DateOnly)
		}
	}
	if !IsDate(opts.Date) {
		return nil, errs.New(errs.Invalid, "ngày hiệu lực %q không hợp lệ (dùng YYYY-MM-DD)", opts.Date)
	}
	if opts.ValidFrom == "" {
		opts.ValidFrom = Beginning
	}
	pl := &planner{t: t, opts: opts, plan: &Plan{}, newByCode: map[string]int{}, closing: map[int64]string{}}
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
	newByCode map[string]int   // code → index of its create in this plan
	closing   map[int64]string // stored unit id → new valid_to
	matched   map[string]Unit  // code → stored version a record matched
}

func (pl *planner) fail(r Record, field, format string, args ...any) {
	pl.details = append(pl.details, errs.Detail{Row: r.Line, Field: field, Message: fmt.Sprintf(format, args...)})
}

// parentOf resolves a record's parent as of date: a unit created earlier in
// this plan, a stored unit matched by code, or the root.
func (pl *planner) parentOf(r Record, date string) (id int64, newIdx int, kind Kind, ok bool) {
	if r.ParentCode == "" {
		return pl.t.Root.ID, -1, Central, true
	}
	if i, found := pl.newByCode[r.ParentCode]; found {
		return 0, i, pl.plan.Creates[i].Kind, true
	}
	if u, found := pl.matched[r.ParentCode]; found {
		return u.ID, -1, u.Kind, true
	}
	if u, found := pl.t.At(r.ParentCode, date); found {
		return u.ID, -1, u.Kind, true
	}
	pl.fail(r, "parent_code", "không tìm thấy đơn vị cấp trên %q còn hiệu lực ngày %s", r.ParentCode, date)
	return 0, -1, "", false
}

// list applies a snapshot: each record is matched by code as of the date,
// updated if its attributes changed, created if it is new.
func (pl *planner) list(f *File) {
	pl.matched = map[string]Unit{}
	date := pl.opts.Date
	for _, r := range f.Records {
		parentID, parentNew, parentKind, ok := pl.parentOf(r, date)
		if !ok {
			continue
		}
		if parentKind != "" && parentKind.Rank() >= r.Kind.Rank() && r.Kind != MemberOrg {
			pl.fail(r, "parent_code", "đơn vị %s không thể nằm dưới đơn vị %s", r.Kind.Label(), parentKind.Label())
			continue
		}
		if u, found := pl.t.At(r.Code, date); found {
			pl.matched[r.Code] = u
			if r.ValidTo != "" && r.ValidTo < date {
				pl.fail(r, "valid_to", "đơn vị %q không thể kết thúc ngày %s, trước ngày %s mà danh sách này còn ghi nó", r.Code, r.ValidTo, date)
				continue
			}
			pl.update(r, u, parentID, parentNew)
			continue
		}
		from, to := pl.opts.ValidFrom, Forever
		if r.ValidFrom != "" {
			from = r.ValidFrom
		}
		if r.ValidTo != "" {
			to = r.ValidTo
		}
		if !(from <= date && date <= to) {
			pl.fail(r, "valid_from", "đơn vị %q có hiệu lực %s – %s, không chứa ngày nhập %s", r.Code, from, to, date)
			continue
		}
		pl.create(r, from, to, parentID, parentNew)
	}
}

func (pl *planner) update(r Record, u Unit, parentID int64, parentNew int) {
	if parentNew >= 0 || parentID != u.ParentID {
		pl.fail(r, "parent_code", "đơn vị %q đã thuộc đơn vị cấp trên khác; đổi cấp trên cần một phiên bản mới của đơn vị (tệp sáp nhập hoặc valid_from mới)", r.Code)
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
	if r.ValidFrom != "" && r.ValidFrom != u.ValidFrom {
		pl.fail(r, "valid_from", "đơn vị %q đã có hiệu lực từ %s; không đổi được ngày bắt đầu", r.Code, u.ValidFrom)
		return
	}
	if after.ValidTo < after.ValidFrom {
		pl.fail(r, "valid_to", "ngày kết thúc %s trước ngày bắt đầu %s", after.ValidTo, after.ValidFrom)
		return
	}
	if after == u {
		pl.plan.Unchanged++
		return
	}
	pl.plan.Updates = append(pl.plan.Updates, Change{Before: u, After: after})
}

func (pl *planner) create(r Record, from, to string, parentID int64, parentNew int) int {
	if to < from {
		pl.fail(r, "valid_to", "ngày kết thúc %s trước ngày bắt đầu %s", to, from)
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
			pl.fail(r, "code", "mã %q đã là của %q từ %s đến %s, trùng thời gian với đơn vị mới %q (%s – %s)",
				r.Code, other.Name, other.ValidFrom, end, r.Name, from, to)
			return -1
		}
	}
	pl.plan.Creates = append(pl.plan.Creates, NewUnit{Record: r, ValidFrom: from, ValidTo: to, ParentID: parentID, ParentNew: parentNew})
	i := len(pl.plan.Creates) - 1
	pl.newByCode[r.Code] = i
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
	pl.matched = map[string]Unit{}
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
			pl.matched[r.Code] = u
			pl.plan.Unchanged++
			continue
		}
		parentID, parentNew, _, ok := pl.parentOf(r, start)
		if !ok {
			continue
		}
		if u, ok := imported(r); ok && parentNew < 0 && u.ParentID == parentID {
			pl.matched[r.Code] = u
			pl.plan.Unchanged++
			continue
		}
		created := pl.create(r, start, Forever, parentID, parentNew)
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
