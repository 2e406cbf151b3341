package web

import (
	"context"
	"fmt"
	"mattran/internal/access"
	"net/http"
	"net/url"
	"strings"

	"mattran/internal/errs"
	"mattran/internal/limits"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/sheet"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

// Section III of the seed: each lower level and member organization writes
// its own specific program from its parent's. /cascade lists who has, a
// unit's leader derives the unit's program there, and sets its own
// thresholds and tasks on /cascade/programs/{code}; /cascade/quotas splits
// a quota target (the 50 tỷ đồng fund) among the units below.

// cascadeRoutes: programs derived by lower levels, with their own thresholds and quotas.
func (h *Web) cascadeRoutes() []Route {
	return []Route{
		{"GET /cascade", false, h.cascadeHome},
		{"POST /cascade/derive", false, h.cascadeDerive},
		{"GET /cascade/programs/{code}", false, h.cascadeProgram},
		{"POST /cascade/programs/{code}", false, h.cascadeSaveProgram},
		{"POST /cascade/programs/{code}/tasks", false, h.cascadeAddTask},
		{"POST /cascade/programs/{code}/tasks/delete", false, h.cascadeDeleteTask},
		{"GET /cascade/quotas", false, h.cascadeQuotas},
		{"POST /cascade/quotas", false, h.cascadeSaveQuotas},
	}
}

// family is a program family: its root, its derived programs, and the
// dates of its term.
type family struct {
	Root     *program.Program
	Derived  []store.DerivedProgram
	From, To string
}

// programOf is the code of a unit's program in the family, or "".
func (f *family) programOf(unitCode string) string {
	if f.Root.OwnerUnit == unitCode {
		return f.Root.Code
	}
	for _, d := range f.Derived {
		if d.OwnerUnit == unitCode {
			return d.Code
		}
	}
	return ""
}

// loadFamily reads the family of program code (any member of it), or of
// the first root program when code is "".
func (h *Web) loadFamily(ctx context.Context, code string) (*family, error) {
	if code == "" {
		roots, err := h.Store.RootPrograms(ctx)
		if err != nil {
			return nil, err
		}
		if len(roots) == 0 {
			return nil, errs.New(errs.NotFound, "Chưa có chương trình nào. Hãy nạp một chương trình: mattran program import TỆP.yaml")
		}
		code = roots[0].Code
	}
	p, err := h.Store.Program(ctx, code)
	if err != nil {
		return nil, err
	}
	root, err := h.Store.RootOf(ctx, p)
	if err != nil {
		return nil, err
	}
	if root != p.Code {
		if p, err = h.Store.Program(ctx, root); err != nil {
			return nil, err
		}
	}
	derived, err := h.Store.Family(ctx, root)
	if err != nil {
		return nil, err
	}
	return &family{Root: p, Derived: derived, From: fmt.Sprintf("%04d-01-01", p.Term.From), To: fmt.Sprintf("%04d-12-31", p.Term.To)}, nil
}

// termDate is the day a unit's tree is read for the family's term: its
// last day, or the unit's if it ended before.
func (f *family) termDate(u unit.Unit) string { return min(f.To, u.ValidTo) }

// unitParam resolves ?unit= (the user's own unit when empty) during the
// family's term, if the user may see it.
func (h *Web) unitParam(r *http.Request, s *Session, f *family, code string) (unit.Unit, error) {
	if code == "" {
		code = s.User.Unit.Code
	}
	return h.unitFor(r, s, code, f.From, f.To)
}

type cascadePage struct {
	Base
	Root  *program.Program
	Roots []*program.Program
	Unit  unit.Unit
	// Chain is the programs from the root's owner down to the unit.
	Chain []chainLink
	// Program is the unit's program in the family, "" if it has none.
	Program string
	// Derive offers the unit's leader to derive its program from From.
	Derive     bool
	From       string
	FromUnit   string
	DeriveNote string
	Rows       []cascadeRow // the units directly below, also the Excel table
	Derived    int
	Quotas     []program.Target
	XLSX       string
}

type chainLink struct {
	Unit, Program, Link string
}

type cascadeRow struct {
	Code, Name, Link string
	Program          string
	Thresholds       int
	Tasks            int
}

// cascadeHome shows a unit's place in a program family: the programs
// above it, its own (or the form to derive it), and which units directly
// below it have derived theirs.
func (h *Web) cascadeHome(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	q := r.URL.Query()
	f, err := h.loadFamily(ctx, q.Get("program"))
	if err != nil {
		return err
	}
	u, err := h.unitParam(r, s, f, q.Get("unit"))
	if err != nil {
		return err
	}
	page := cascadePage{Base: h.base(s, "Chương trình cấp dưới — "+u.Name), Root: f.Root, Unit: u, Program: f.programOf(u.Code), Quotas: f.Root.QuotaTargets()}
	page.Nav = "cascade"
	if page.Roots, err = h.Store.RootPrograms(ctx); err != nil {
		return err
	}
	if r.URL.Query().Get("saved") != "" {
		page.Notice = "Đã lưu."
	}
	// The chain from the root's owner down to u.
	var parent unit.Unit
	for _, id := range append(u.AncestorIDs(), u.ID) {
		a := u
		if id != u.ID {
			if a, err = h.Store.UnitByID(ctx, id); err != nil {
				return err
			}
		}
		if code := f.programOf(a.Code); code != "" || len(page.Chain) > 0 {
			page.Chain = append(page.Chain, chainLink{Unit: a.Name, Program: code, Link: programLink(code)})
		}
		if a.ID == u.ParentID {
			parent = a
		}
	}
	if page.Program == "" {
		page.DeriveNote, page.Derive = deriveNote(s, f, u, parent, len(page.Chain) > 0)
		page.From, page.FromUnit = f.programOf(parent.Code), parent.Name
	}
	kids, err := h.Store.Children(ctx, u, f.termDate(u))
	if err != nil {
		return err
	}
	for _, k := range kids {
		row := cascadeRow{Code: k.Code, Name: k.Name, Link: "/cascade?" + url.Values{"program": {f.Root.Code}, "unit": {k.Code}}.Encode(), Program: f.programOf(k.Code)}
		if row.Program != "" {
			own, err := h.Store.OwnProgram(ctx, row.Program)
			if err != nil {
				return err
			}
			row.Thresholds, row.Tasks = len(own.Thresholds), len(own.Tasks)
			page.Derived++
		}
		page.Rows = append(page.Rows, row)
	}
	if q.Get("format") == "xlsx" {
		return sendTable(w, "chuong-trinh-cap-duoi-"+u.Code+".xlsx", page.table())
	}
	page.XLSX = "/cascade?" + url.Values{"program": {f.Root.Code}, "unit": {u.Code}, "format": {"xlsx"}}.Encode()
	return h.render(w, "cascade.html", page)
}

// table is the list of units below as an Excel table.
func (p *cascadePage) table() sheet.TableSpec {
	t := sheet.TableSpec{
		Title:     "Chương trình cụ thể hóa của các đơn vị trực thuộc " + p.Unit.Name,
		Subtitles: []string{p.Root.Name, fmt.Sprintf("%d/%d đơn vị đã xây dựng chương trình", p.Derived, len(p.Rows))},
		Header:    []string{"Mã", "Đơn vị", "Chương trình", "Ngưỡng riêng", "Nhiệm vụ riêng"},
	}
	for _, r := range p.Rows {
		row := []sheet.Cell{sheet.Text(r.Code), sheet.Text(r.Name), sheet.Text("Chưa xây dựng")}
		if r.Program != "" {
			row = append(row[:2], sheet.Text(r.Program), sheet.Number(float64(r.Thresholds), 0), sheet.Number(float64(r.Tasks), 0))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// deriveNote says whether the user may derive u's program now, and if not,
// why. inFamily: some unit above u has a program of the family.
func deriveNote(s *Session, f *family, u, parent unit.Unit, inFamily bool) (string, bool) {
	switch {
	case !inFamily:
		return u.Name + " không thuộc phạm vi của chương trình " + f.Root.Code + ".", false
	case f.programOf(parent.Code) == "":
		return parent.Name + " chưa xây dựng chương trình. " + u.Name + " cụ thể hóa chương trình của cấp trên trực tiếp, nên cần đợi cấp trên xây dựng trước.", false
	case access.DeriveProgram(s.User, u) != nil:
		return "Chỉ lãnh đạo hoặc quản trị của " + u.Name + " mới xây dựng chương trình của đơn vị.", false
	}
	return "", true
}

func programLink(code string) string {
	if code == "" {
		return ""
	}
	return "/cascade/programs/" + url.PathEscape(code)
}

// cascadeDerive creates the user's unit's program from its parent unit's.
func (h *Web) cascadeDerive(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	f, err := h.loadFamily(ctx, r.PostFormValue("program"))
	if err != nil {
		return err
	}
	u, err := h.Store.UnitDuring(ctx, s.User.Unit.Code, f.From, f.To)
	if err != nil {
		return err
	}
	if err := access.DeriveProgram(s.User, u); err != nil {
		return err
	}
	parent, err := h.Store.UnitByID(ctx, u.ParentID)
	if err != nil {
		return err
	}
	from := f.programOf(parent.Code)
	if from == "" {
		return errs.New(errs.Invalid, "%s chưa xây dựng chương trình để cụ thể hóa.", parent.Name)
	}
	p, err := h.Store.DeriveProgram(ctx, s.User.Actor(), from, u, committee(u))
	if err != nil {
		return err
	}
	return redirect(w, r, programLink(p.Code)+"?saved=1")
}

type cascadeProgramPage struct {
	Base
	Program    *program.Program
	ParentLink string
	Owner      unit.Unit
	Root       string
	CanEdit    bool
	OwnerSeen  bool // the owner lies in the reader's subtree: the levels list may open at it
	Name       string
	NameError  string
	FormError  string
	Groups     []cascadeGroup
	TaskError  string
	TaskText   string
	TaskSub    string
}

type cascadeGroup struct {
	Code, Name string
	Rows       []cascadeTargetRow
	Tasks      []cascadeTask
}

type cascadeTask struct {
	Index int
	Text  string
}

// cascadeTargetRow is one condition of a target: the first carries the
// target's code and name over Span rows.
type cascadeTargetRow struct {
	Span              int
	Code, Name        string
	NotHere           string // the program does not hold the owner's level to it
	Label             string
	Common, Quota     string
	Field, Value, Own string
	Error             string
}

// cascadeProgram shows a program of a family with its owner's own
// thresholds and tasks, as a form to its owner's leaders.
func (h *Web) cascadeProgram(w http.ResponseWriter, r *http.Request, s *Session) error {
	page, err := h.programPage(r, s, r.PathValue("code"))
	if err != nil {
		return err
	}
	if r.URL.Query().Get("saved") != "" {
		page.Notice = "Đã lưu."
	}
	return h.render(w, "cascade_program.html", page)
}

func (h *Web) programPage(r *http.Request, s *Session, code string) (*cascadeProgramPage, error) {
	ctx := r.Context()
	p, err := h.Store.Program(ctx, code)
	if err != nil {
		return nil, err
	}
	owner, err := h.Store.OwnerOf(ctx, p)
	if err != nil {
		return nil, err
	}
	if err := access.ReadProgramOf(s.User, p, owner); err != nil {
		return nil, err
	}
	root, err := h.Store.RootOf(ctx, p)
	if err != nil {
		return nil, err
	}
	quotas, err := h.Store.QuotasOf(ctx, root, owner.Code)
	if err != nil {
		return nil, err
	}
	page := &cascadeProgramPage{Base: h.base(s, p.Name), Program: p, Owner: owner, Root: root, Name: p.Name,
		CanEdit: p.Derived() && access.EditProgram(s.User, owner) == nil, ParentLink: programLink(p.Parent),
		OwnerSeen: access.See(s.User, owner) == nil}
	page.Nav = "cascade"
	own := map[string]float64{}
	for _, th := range p.Thresholds {
		own[thresholdField(th.Target, th.Condition)] = th.Threshold
	}
	for _, sp := range p.Subprograms {
		g := cascadeGroup{Code: sp.Code, Name: sp.Name}
		for _, t := range sp.Targets {
			for i, c := range t.Conditions {
				money := p.IsMoney(c)
				row := cascadeTargetRow{Label: c.Label, Common: c.ThresholdText(money)}
				if i == 0 {
					row.Span, row.Code, row.Name = len(t.Conditions), t.Code, t.Name
					if !t.AppliesToKind(owner.Kind) {
						row.NotHere = "Chương trình không đặt chỉ tiêu này cho cấp " + kindWord([]unit.Kind{owner.Kind}) + "."
					}
					if v, ok := quotas[t.Code]; ok {
						row.Quota = withThreshold(c, v).ThresholdText(money)
					}
				}
				if c.Overridable() && !(t.AppliesToKind(owner.Kind) && strictest(c)) {
					row.Field = thresholdField(t.Code, i)
					if v, ok := own[row.Field]; ok {
						row.Value = vn.FormatNumber(v, -1)
						row.Own = withThreshold(c, v).ThresholdText(money)
					}
				}
				g.Rows = append(g.Rows, row)
			}
		}
		for i, task := range p.Tasks {
			if task.Subprogram == sp.Code {
				g.Tasks = append(g.Tasks, cascadeTask{Index: i, Text: task.Text})
			}
		}
		page.Groups = append(page.Groups, g)
	}
	return page, nil
}

// strictest reports whether no own threshold could ask more than the
// condition does: "≥ 100%", "≤ 0".
func strictest(c program.Condition) bool {
	t := *c.Threshold
	switch c.Comparator {
	case program.GE:
		return c.IsPercent() && t >= 100
	case program.LE:
		return t <= 0
	}
	return false
}

func thresholdField(target string, cond int) string { return fmt.Sprintf("th-%s-%d", target, cond) }

func withThreshold(c program.Condition, v float64) program.Condition {
	c.Threshold = &v
	return c
}

// cascadeSaveProgram saves a derived program's name and its owner's own
// thresholds; a field left empty holds the program's threshold. Errors are
// shown beside their fields and nothing is written.
func (h *Web) cascadeSaveProgram(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	code := r.PathValue("code")
	page, err := h.programPage(r, s, code)
	if err != nil {
		return err
	}
	if err := need(page.CanEdit, "Chỉ lãnh đạo hoặc quản trị của "+page.Owner.Name+" mới sửa chương trình của đơn vị."); err != nil {
		return err
	}
	quotas, err := h.Store.QuotasOf(ctx, page.Root, page.Owner.Code)
	if err != nil {
		return err
	}
	bad := false
	page.Name = strings.TrimSpace(r.PostFormValue("name"))
	if page.Name == "" {
		page.NameError, bad = "Hãy nhập tên chương trình.", true
	} else if msg := limits.TooLong("Tên chương trình", page.Name, limits.ProgramName); msg != "" {
		page.NameError, bad = msg, true
		page.Name = string([]rune(page.Name)[:limits.ProgramName]) // shown again, not megabytes of it
	}
	var thresholds []program.OwnThreshold
	for gi := range page.Groups {
		for ri := range page.Groups[gi].Rows {
			row := &page.Groups[gi].Rows[ri]
			if row.Field == "" {
				continue
			}
			row.Value = strings.TrimSpace(r.PostFormValue(row.Field))
			if row.Value == "" {
				continue
			}
			target, cond := splitField(row.Field)
			t, _ := page.Program.Target(target)
			v, err := vn.ParseNumber(row.Value)
			if err != nil {
				row.Error, bad = "Ngưỡng riêng: "+err.Error()+".", true
				continue
			}
			var quota *float64
			if q, ok := quotas[target]; ok {
				quota = &q
			}
			if d := page.Program.CheckOwnThreshold(t, cond, v, page.Owner.Kind, quota); d != nil {
				row.Error, bad = fieldError(*d), true
				continue
			}
			thresholds = append(thresholds, program.OwnThreshold{Target: target, Condition: cond, Threshold: v})
		}
	}
	if bad {
		page.FormError = "Chưa lưu: hãy sửa các ô được đánh dấu."
		return h.renderStatus(w, http.StatusBadRequest, "cascade_program.html", page)
	}
	err = h.Store.UpdateProgram(ctx, s.User.Actor(), code, func(p *program.Program) error {
		p.Name, p.Thresholds = page.Name, thresholds
		return nil
	})
	if err != nil {
		return err
	}
	return redirect(w, r, programLink(code)+"?saved=1")
}

// splitField reads "th-T2.4-0" back into T2.4 and 0.
func splitField(field string) (string, int) {
	rest := strings.TrimPrefix(field, "th-")
	i := strings.LastIndexByte(rest, '-')
	var n int
	fmt.Sscanf(rest[i+1:], "%d", &n)
	return rest[:i], n
}

// cascadeAddTask adds a task of the owner's own to a sub-program.
func (h *Web) cascadeAddTask(w http.ResponseWriter, r *http.Request, s *Session) error {
	code := r.PathValue("code")
	page, err := h.programPage(r, s, code)
	if err != nil {
		return err
	}
	if err := need(page.CanEdit, "Chỉ lãnh đạo hoặc quản trị của "+page.Owner.Name+" mới sửa chương trình của đơn vị."); err != nil {
		return err
	}
	task := program.OwnTask{Subprogram: r.PostFormValue("subprogram"), Text: strings.TrimSpace(r.PostFormValue("text"))}
	if d := program.CheckTask(task.Text); d != nil {
		page.TaskError, page.TaskText, page.TaskSub = fieldError(*d), task.Text, task.Subprogram
		return h.renderStatus(w, http.StatusBadRequest, "cascade_program.html", page)
	}
	err = h.Store.UpdateProgram(r.Context(), s.User.Actor(), code, func(p *program.Program) error {
		p.Tasks = append(p.Tasks, task)
		return nil
	})
	if err != nil {
		return err
	}
	return redirect(w, r, programLink(code)+"?saved=1#"+url.PathEscape(task.Subprogram))
}

// cascadeDeleteTask removes one own task; the form carries its text too,
// so a list changed meanwhile by someone else loses nothing unintended.
func (h *Web) cascadeDeleteTask(w http.ResponseWriter, r *http.Request, s *Session) error {
	code := r.PathValue("code")
	page, err := h.programPage(r, s, code)
	if err != nil {
		return err
	}
	if err := need(page.CanEdit, "Chỉ lãnh đạo hoặc quản trị của "+page.Owner.Name+" mới sửa chương trình của đơn vị."); err != nil {
		return err
	}
	var i int
	if _, err := fmt.Sscanf(r.PostFormValue("index"), "%d", &i); err != nil {
		return errs.New(errs.Invalid, "Thiếu số thứ tự nhiệm vụ.")
	}
	text := r.PostFormValue("text")
	err = h.Store.UpdateProgram(r.Context(), s.User.Actor(), code, func(p *program.Program) error {
		if i < 0 || i >= len(p.Tasks) || p.Tasks[i].Text != text {
			return errs.New(errs.Conflict, "Danh sách nhiệm vụ vừa được người khác thay đổi. Hãy tải lại trang và thử lại.")
		}
		p.Tasks = append(p.Tasks[:i], p.Tasks[i+1:]...)
		return nil
	})
	if err != nil {
		return err
	}
	return redirect(w, r, programLink(code)+"?saved=1")
}

// heldTo writes the thresholds a unit's reading was judged against, as
// thresholds does, a unit's own (or assigned quota) marked "riêng".
func heldTo(prog *program.Program, t program.Target, parts []rollup.Part) string {
	var out []string
	seen := map[string]bool{}
	for i, c := range t.Conditions {
		text := c.ThresholdText(prog.IsMoney(c))
		if i < len(parts) && parts[i].OwnThreshold && parts[i].Threshold != nil {
			text = withThreshold(c, *parts[i].Threshold).ThresholdText(prog.IsMoney(c)) + " (riêng)"
		}
		if text != "" && !seen[text] {
			seen[text] = true
			out = append(out, text)
		}
	}
	return strings.Join(out, "; ")
}
