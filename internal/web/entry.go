package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mattran/internal/access"
	"mattran/internal/api"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/sheet"
	"mattran/internal/store"
	"mattran/internal/submission"
	"mattran/internal/unit"
	"mattran/internal/value"
	"mattran/internal/vn"
)

// entryRoutes: data entry forms per (form, unit, period).
func (h *Web) entryRoutes() []Route {
	return []Route{
		{"GET /entry", false, h.entryPicker},
		{"GET /entry/{program}/{form}/{unit}/{period}", false, h.entryForm},
		{"POST /entry/{program}/{form}/{unit}/{period}", false, h.saveEntry},
	}
}

// entryPage is a report form: the unit's own figures as labelled fields
// and, for a commune, a grid with a row per residential area (their
// working committees have no accounts: the commune enters for them).
type entryPage struct {
	Base
	Program  *program.Program
	Form     form.Form
	Unit     unit.Unit
	Period   period.Period
	Action   string // the form's URL
	Sub      submission.Submission
	Deadline string // dd/mm/yyyy
	// When it was last sent and decided on, as a Vietnamese clock shows.
	SubmittedAt, DecidedAt string
	Own                    []entryField
	// Areas is the grid: AreaHeads are its columns (the residential-area
	// elements), each row a residential area with a cell per column.
	AreaHeads []program.DataElement
	Areas     []areaRow
	// The monthly report's text, and the text as the form was opened.
	Narrative, NarrativeLoaded string
	NarrativeConflict          string // the other editor's text, on a conflict
	Editable                   bool   // the user may change figures now
	CanSubmit                  bool
	// Choices are the decisions the user may take on the report and its
	// state allows; Override: as an admin in the place of the level above.
	Choices    submission.Choices
	Override   bool
	DecidePath string
	ReadOnly   string // why the form is read-only
	Error      string
	Problems   []entryProblem // the bad cells, each linked: a grid's cell may be far below or off to the right
	Conflict   bool
	Reminders  []string
	// LastYear is the period whose figures stand beside the inputs (the
	// same period of last year), as a column head: "Năm 2023".
	LastYear string
	// ReturnedAt: the report was returned at this time and sent again;
	// Changed counts its figures changed since then, highlighted.
	ReturnedAt string
	Changed    int
	checks     map[store.FigureKey]float64 // confirmed flagged figures
}

// entryProblem is one bad cell, named as the user sees it.
type entryProblem struct {
	Anchor, Where, Message string
}

// entryField is one input: a figure of an element for a unit.
type entryField struct {
	Name, LoadedName string // "v:ELEMENT:UNIT", "o:ELEMENT:UNIT"
	Element          program.DataElement
	Unit             unit.Unit
	Line             int    // its place in the write, to map errors back
	Value            string // as shown: the stored figure, or what was typed
	Loaded           string // the stored value when the form was opened, exchange format ("" for none)
	Hint             string // "số nguyên", "%", "đồng", "có/không"
	Boolean          bool
	ReadOnly         bool
	Error            string
	Other            string // on a conflict: the value stored meanwhile, by whom, when
	// Last is the figure of the same period last year, as shown; Outlier
	// flags a figure that moved more than value.OutlierShare from it
	// ("kiểm tra lại"), Confirmed that the officer said it is right.
	Last               string
	lastN              *float64
	Outlier, Confirmed bool
	ConfirmName        string // "c:ELEMENT:UNIT"
	// Changed is what the figure was when the report was returned, for a
	// report sent again ("" when it did not change since).
	Changed string
	Focus   bool // the first field with an error: focused, so in view
}

type areaRow struct {
	Unit  unit.Unit
	Cells []entryField
}

// entryTarget resolves the form's path: the program, the form, the unit
// (which the user must be able to see) and the period.
func (h *Web) entryTarget(r *http.Request, s *Session) (*program.Program, form.Form, unit.Unit, period.Period, error) {
	var f form.Form
	var u unit.Unit
	prog, err := h.reportingProgram(r.Context(), r.PathValue("program"))
	if err != nil {
		return nil, f, u, period.Period{}, err
	}
	if f, err = form.Find(prog, r.PathValue("form")); err != nil {
		return nil, f, u, period.Period{}, errs.New(errs.NotFound, "%v", err)
	}
	p, err := period.Parse(r.PathValue("period"))
	if err != nil {
		return nil, f, u, p, errs.New(errs.Invalid, "%v", err)
	}
	if p.Type != f.PeriodType {
		return nil, f, u, p, errs.New(errs.Invalid, "%s báo cáo theo %s, không theo kỳ %s.", f.Name, strings.ToLower(f.PeriodType.Label()), p.Label())
	}
	if err := submission.InTerm(prog, p); err != nil {
		return nil, f, u, p, err
	}
	f = f.For(p)
	if u, err = h.unitFor(r, s, r.PathValue("unit"), p.StartDate(), p.EndDate()); err != nil {
		return nil, f, u, p, err
	}
	if !form.Submits(u.Kind) {
		return nil, f, u, p, errs.New(errs.NotFound, "%s không nộp biểu báo cáo: số liệu của khu dân cư do xã, phường nhập trong biểu của xã.", u.Name)
	}
	return prog, f, u, p, nil
}

func entryPath(prog, formCode string, u unit.Unit, p period.Period) string {
	return "/entry/" + prog + "/" + formCode + "/" + u.Code + "/" + p.String()
}

// loadEntry builds the form with the stored figures.
func (h *Web) loadEntry(r *http.Request, s *Session) (*entryPage, error) {
	prog, f, u, p, err := h.entryTarget(r, s)
	if err != nil {
		return nil, err
	}
	return h.loadEntryAt(r.Context(), s, prog, f, u, p)
}

// loadEntryAt builds the form of a unit's report with the stored figures.
func (h *Web) loadEntryAt(ctx context.Context, s *Session, prog *program.Program, f form.Form, u unit.Unit, p period.Period) (*entryPage, error) {
	sub, err := h.Store.Submission(ctx, prog.Code, f.Code, u, p)
	if err != nil {
		return nil, err
	}
	dl, err := h.Store.Deadlines(ctx, prog.Code, f.Code, p)
	if err != nil {
		return nil, err
	}
	page := &entryPage{
		Base:    h.base(s, f.Name+" — "+u.Name),
		Program: prog, Form: f, Unit: u, Period: p, Sub: sub,
		Action:    entryPath(prog.Code, f.Code, u, p),
		Deadline:  vnDate(dl.For(u.Kind, sub)),
		Narrative: sub.Narrative, NarrativeLoaded: sub.Narrative,
		CanSubmit: access.SendReport(s.User, u) == nil && sub.Status.Editable(),
		ReadOnly:  readOnlyReason(s, u, sub),
	}
	page.Nav = "entry"
	page.Committee = committee(u)
	page.Editable = page.ReadOnly == ""
	if !sub.SubmittedAt.IsZero() {
		page.SubmittedAt = vnTime(sub.SubmittedAt)
	}
	if !sub.DecidedAt.IsZero() {
		page.DecidedAt = vnTime(sub.DecidedAt)
	}
	page.DecidePath = "/submissions/" + prog.Code + "/" + f.Code + "/" + u.Code + "/" + p.String()
	if how, err := access.DecideReport(s.User, u, prog.OwnerUnit); err == nil {
		below, err := h.Store.ReportsBelow(ctx, prog.Code, f.Code, u, p)
		if err != nil {
			return nil, err
		}
		var above *submission.Submission
		if a, ok, err := h.Store.ReportAbove(ctx, prog.Code, f.Code, u, p); err != nil {
			return nil, err
		} else if ok {
			above = &a
		}
		page.Choices = submission.ChoicesFor(sub, below, above)
		page.Override = how == access.Override
	}

	var areas []unit.Unit
	page.AreaHeads = f.ElementsAt(unit.ResidentialArea)
	if u.Kind == unit.Commune && len(page.AreaHeads) > 0 {
		kids, err := h.Store.Children(ctx, u, rollup.AsOf(u, p))
		if err != nil {
			return nil, err
		}
		for _, k := range kids {
			if k.Kind == unit.ResidentialArea {
				areas = append(areas, k)
			}
		}
	}
	if len(areas) == 0 {
		page.AreaHeads = nil
	}
	var codes []string
	for _, e := range f.ElementsAt(u.Kind) {
		codes = append(codes, e.Code)
	}
	for _, e := range page.AreaHeads {
		codes = append(codes, e.Code)
	}
	stored := map[[2]string]string{} // (element, unit) → value, exchange format
	if len(codes) > 0 {
		vals, err := h.Store.ExportValues(ctx, store.ExportFilter{Unit: u, Children: len(areas) > 0, Elements: codes, Periods: []period.Period{p}})
		if err != nil {
			return nil, err
		}
		for _, v := range vals {
			stored[[2]string{v.DataElement, v.OrgUnit}] = v.Value
		}
	}
	// Last year's figures stand beside this year's.
	last := map[[2]string]string{}
	page.LastYear = p.PreviousYear().Label()
	if len(codes) > 0 {
		vals, err := h.Store.ExportValues(ctx, store.ExportFilter{Unit: u, Children: len(areas) > 0, Elements: codes, Periods: []period.Period{p.PreviousYear()}})
		if err != nil {
			return nil, err
		}
		for _, v := range vals {
			if v.Period == p.PreviousYear().String() {
				last[[2]string{v.DataElement, v.OrgUnit}] = v.Value
			}
		}
	}
	if page.checks, err = h.Store.FigureChecks(ctx, u, len(areas) > 0, p); err != nil {
		return nil, err
	}
	// A report sent again after a return: what changed since.
	var changed map[store.FigureKey]store.FigureChange
	if sub.Status == submission.Submitted && !sub.DecidedAt.IsZero() && sub.DecidedAt.Before(sub.SubmittedAt) {
		if changed, err = h.Store.ChangedSince(ctx, u, len(areas) > 0, p, sub.DecidedAt); err != nil {
			return nil, err
		}
		page.ReturnedAt = vnTime(sub.DecidedAt)
	}
	line := 0
	field := func(e program.DataElement, x unit.Unit) entryField {
		line++
		key := e.Code + ":" + x.Code
		loaded := stored[[2]string{e.Code, x.Code}]
		fl := entryField{Name: "v:" + key, LoadedName: "o:" + key, ConfirmName: "c:" + key, Element: e, Unit: x, Line: line,
			Value: shownNumber(e, loaded), Loaded: loaded, Hint: valueHint(e.ValueType), Boolean: e.ValueType == program.Boolean || e.YesNo}
		if l, ok := last[[2]string{e.Code, x.Code}]; ok {
			if n, err := strconv.ParseFloat(l, 64); err == nil {
				fl.lastN, fl.Last = &n, shownFigure(e, l)
			}
		}
		if n, err := strconv.ParseFloat(loaded, 64); err == nil {
			page.flag(&fl, n, false)
		}
		if c, ok := changed[store.FigureKey{Element: e.Code, Unit: x.Code}]; ok {
			fl.Changed = "(trống)"
			if c.Had {
				fl.Changed = shownFigure(e, value.FormatNumber(c.Before))
			}
			page.Changed++
		}
		return fl
	}
	for _, e := range f.ElementsAt(u.Kind) {
		page.Own = append(page.Own, field(e, u))
	}
	for _, a := range areas {
		row := areaRow{Unit: a}
		for _, e := range page.AreaHeads {
			row.Cells = append(row.Cells, field(e, a))
		}
		page.Areas = append(page.Areas, row)
	}
	for _, fl := range page.fields() {
		fl.ReadOnly = !page.Editable
	}
	return page, nil
}

// flag marks a field whose figure n moved more than value.OutlierShare
// from last year's, and whether that figure was confirmed: before, or now
// (confirmedNow, the officer ticked "Số đúng").
func (p *entryPage) flag(fl *entryField, n float64, confirmedNow bool) {
	fl.Outlier = fl.lastN != nil && value.Outlier(fl.Element, *fl.lastN, n)
	c, ok := p.checks[store.FigureKey{Element: fl.Element.Code, Unit: fl.Unit.Code}]
	fl.Confirmed = fl.Outlier && (confirmedNow || ok && c == n)
}

// shownFigure writes a stored value for reading: yes/no as Có/Không,
// numbers the Vietnamese way.
func shownFigure(e program.DataElement, stored string) string {
	if e.ValueType == program.Boolean || e.YesNo {
		if stored == "1" {
			return "Có"
		}
		return "Không"
	}
	return shownNumber(e, stored)
}

// readOnlyReason says why the user cannot change the form, or "" if they can.
func readOnlyReason(s *Session, u unit.Unit, sub submission.Submission) string {
	switch {
	case access.EnterValues(s.User, u) != nil:
		return "Vai trò " + strings.ToLower(s.User.Role.Label()) + " chỉ xem số liệu, không nhập."
	case sub.Status == submission.Submitted:
		return "Báo cáo đã gửi và đang chờ cấp trên duyệt. Muốn sửa, hãy đề nghị cấp trên trả lại."
	case sub.Status == submission.Approved:
		return "Báo cáo đã được duyệt: số liệu đã khóa."
	}
	return ""
}

// shownNumber writes a stored value (exchange format) the Vietnamese way,
// every digit kept: a form that rounded would save the rounded figure.
func shownNumber(e program.DataElement, stored string) string {
	if stored == "" || e.ValueType == program.Boolean {
		return stored
	}
	return vn.LocalNumber(stored)
}

func valueHint(t program.ValueType) string {
	switch t {
	case program.Integer:
		return "số nguyên"
	case program.Money:
		return "đồng"
	case program.Percent:
		return "%"
	case program.Boolean:
		return "có/không"
	}
	return ""
}

func (h *Web) entryForm(w http.ResponseWriter, r *http.Request, s *Session) error {
	page, err := h.loadEntry(r, s)
	if err != nil {
		return err
	}
	switch r.URL.Query().Get("msg") {
	case "saved":
		page.Notice = "Đã lưu nháp."
	case "submitted":
		page.Notice = "Đã gửi báo cáo lên cấp trên."
	}
	if page.Editable && page.Sub.Status.Editable() {
		if page.Reminders, err = h.reminderLines(r, page.Unit, page.Program.Code, page.Form.Code, page.Period); err != nil {
			return err
		}
	}
	return h.render(w, "entry.html", page)
}

// reminderLines are the reminders the unit received for this report.
func (h *Web) reminderLines(r *http.Request, u unit.Unit, prog, formCode string, p period.Period) ([]string, error) {
	rems, err := h.Store.RemindersTo(r.Context(), u, time.Time{})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, rm := range rems {
		if rm.Program == prog && rm.Form == formCode && rm.Period == p {
			out = append(out, fmt.Sprintf("%s nhắc nộp báo cáo lúc %s (%s).", rm.From, vnTime(rm.At), rm.Actor))
		}
	}
	return out, nil
}

// saveEntry saves the form as a draft, or sends it. Every figure goes
// through the same validation as an import; on any error the form comes
// back with what was typed and the message beside the field, and nothing
// is written.
func (h *Web) saveEntry(w http.ResponseWriter, r *http.Request, s *Session) error {
	page, err := h.loadEntry(r, s)
	if err != nil {
		return err
	}
	submit := r.PostFormValue("action") == "submit"
	fields := page.fields()
	var rows []value.Row
	loaded := map[int]value.Loaded{}
	var refused []value.Row // typed, but not a figure: the rest is still checked
	var checks []store.FigureCheck
	bad := 0
	changed := false
	for _, fl := range fields {
		typed := strings.TrimSpace(r.PostFormValue(fl.Name))
		if fl.Boolean {
			// A checkbox: ticked is Có, else Không. An untouched box
			// of a figure never entered stays empty in a draft.
			typed = "0"
			if r.PostFormValue(fl.Name) == "1" {
				typed = "1"
			} else if r.PostFormValue(fl.LoadedName) == "" && !submit {
				typed = ""
			}
		}
		fl.Value = typed
		fl.Loaded = r.PostFormValue(fl.LoadedName)
		var was *float64
		if fl.Loaded != "" {
			n, err := strconv.ParseFloat(fl.Loaded, 64)
			if err != nil {
				return errs.New(errs.Invalid, "Biểu mẫu gửi lên không hợp lệ (%s). Hãy tải lại trang.", fl.LoadedName)
			}
			was = &n
		}
		if typed == "" {
			switch {
			case was != nil:
				fl.Error = "Không xóa được số đã lưu; hãy nhập số đúng (có thể là 0)."
				bad++
			case submit:
				fl.Error = "Cần nhập trước khi gửi báo cáo."
				bad++
			}
			continue
		}
		text := typed // in the exchange format, digit for digit
		if fl.Boolean {
			if typed != "1" && typed != "0" {
				fl.Error = "Chọn Có hoặc Không."
				bad++
				continue
			}
		} else {
			var d *errs.Detail
			if text, d = value.ParseTyped(&value.Element{DataElement: fl.Element}, typed); d != nil {
				fl.Error = fieldError(*d)
				bad++
				refused = append(refused, value.Row{DataElement: fl.Element.Code, Period: page.Period.String(), OrgUnit: fl.Unit.Code})
				continue
			}
		}
		n, _ := strconv.ParseFloat(text, 64) // to compare with what was loaded; the store checks text
		page.flag(fl, n, r.PostFormValue(fl.ConfirmName) == "1")
		if fl.Outlier && r.PostFormValue(fl.ConfirmName) == "1" {
			if c, ok := page.checks[store.FigureKey{Element: fl.Element.Code, Unit: fl.Unit.Code}]; !ok || c != n {
				checks = append(checks, store.FigureCheck{Element: fl.Element.Code, Unit: fl.Unit, Value: n})
			}
		}
		if fl.Outlier && !fl.Confirmed && submit {
			fl.Error = fmt.Sprintf("Số này khác %s (%s) hơn %d%%: hãy kiểm tra lại; nếu đúng, đánh dấu «Số đúng» rồi gửi.",
				strings.ToLower(page.LastYear), fl.Last, int(value.OutlierShare*100))
			bad++
		}
		if was != nil && *was == n {
			continue // unchanged: leave what is stored, even if someone changed it meanwhile
		}
		changed = true
		rows = append(rows, value.Row{DataElement: fl.Element.Code, Period: page.Period.String(), OrgUnit: fl.Unit.Code, Value: text, Line: fl.Line})
		loaded[fl.Line] = value.Loaded{Value: deref(was), Present: was != nil}
	}
	var narrative *string
	if page.Form.Narrative {
		text := strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("narrative"), "\r\n", "\n"))
		page.Narrative, page.NarrativeLoaded = text, r.PostFormValue("narrative_loaded")
		if text != page.NarrativeLoaded {
			narrative = &text
			changed = true
		}
		if submit && text == "" {
			page.Error = "Hãy viết nội dung báo cáo tình hình nhân dân trước khi gửi."
			bad++
		}
		if n := utf8.RuneCountInString(text); n > maxNarrative {
			page.Error = fieldError(errs.Detail{Code: errs.TextTooLong, Args: errs.Args{Number: float64(n), Max: maxNarrative}})
			bad++
		}
	}
	if changed || !submit {
		if err := access.EnterValues(s.User, page.Unit); err != nil {
			return err
		}
	}
	if submit {
		if err := access.SendReport(s.User, page.Unit); err != nil {
			return err
		}
	}
	if bad > 0 {
		// Check what could be read as a whole, as the save would, so
		// that ranges and totals are named now, not on the next try.
		if err := h.checkEntryRows(r, s, page, value.Checkable(rows, refused, page.Program.DenominatorOf)); err != nil {
			return err
		}
		if page.Error == "" {
			page.Error = fmt.Sprintf("Có %d ô chưa đúng (ghi bên cạnh ô). Chưa có gì được ghi.", page.badFields())
		}
		return h.renderEntry(w, page, http.StatusBadRequest)
	}
	save := submission.FormSave{
		Actor: s.User.Actor(), Scope: s.User.Unit, Program: page.Program, Form: page.Form, Unit: page.Unit, Period: page.Period,
		Rows: rows, Loaded: loaded, Narrative: narrative, NarrativeLoaded: page.NarrativeLoaded, Submit: submit,
	}
	err = h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		if _, err := submission.SaveForm(r.Context(), tx, save); err != nil {
			return err
		}
		return tx.PutFigureChecks(r.Context(), s.User.Actor(), page.Period, checks)
	})
	if err != nil {
		return h.entryFailed(w, page, err)
	}
	msg := "saved"
	if submit {
		msg = "submitted"
	}
	return redirect(w, r, page.Action+"?msg="+msg)
}

// entryFailed shows why a save was refused, on the form as typed: a
// conflict with both values, field errors beside their fields, or the
// reason (locked, already sent) above the form.
func (h *Web) entryFailed(w http.ResponseWriter, page *entryPage, err error) error {
	e, ok := errs.As(err)
	if !ok {
		return err
	}
	byLine := map[int]*entryField{}
	for _, fl := range page.fields() {
		byLine[fl.Line] = fl
	}
	var ce *value.ConflictError
	if errors.As(err, &ce) {
		page.Conflict = true
		for _, c := range ce.Values {
			if fl := byLine[c.Line]; fl != nil {
				fl.Other = fmt.Sprintf("Đang lưu: %s (do %s lưu lúc %s). Bạn nhập: %s.", shownNumber(fl.Element, value.FormatNumber(c.Stored)), c.By, vnTime(c.At), fl.Value)
				// Seen now: saving again keeps what stays in the field.
				fl.Loaded = value.FormatNumber(c.Stored)
			}
		}
		if t := ce.Narrative; t != nil {
			page.NarrativeConflict = fmt.Sprintf("Nội dung đang lưu (do %s lưu lúc %s):\n%s", t.By, vnTime(t.At), t.Stored)
			page.NarrativeLoaded = t.Stored
		}
	}
	for _, d := range e.Details {
		if fl := byLine[d.Row]; fl != nil && d.Row > 0 {
			fl.Error = fieldError(d)
		}
	}
	page.Error = e.Message
	if len(e.Details) > 0 {
		page.Error = fmt.Sprintf("Có %d ô chưa đúng (ghi bên cạnh ô). Chưa có gì được ghi.", len(e.Details))
	}
	return h.renderEntry(w, page, api.Status(e.Code))
}

// checkEntryRows runs the store's checks on rows without writing them
// (a dry run) and puts what they refuse beside the fields.
func (h *Web) checkEntryRows(r *http.Request, s *Session, page *entryPage, rows []value.Row) error {
	if len(rows) == 0 {
		return nil
	}
	_, err := h.Store.ImportValues(r.Context(), rows, store.ImportOptions{Actor: s.User.Actor(), Scope: s.User.Unit,
		Source: "biểu " + page.Form.Code, Today: clock.Today(h.Now()), DryRun: true})
	e, ok := errs.As(err)
	if err == nil || !ok || e.Code == errs.Internal {
		return err
	}
	byLine := map[int]*entryField{}
	for _, fl := range page.fields() {
		byLine[fl.Line] = fl
	}
	for _, d := range e.Details {
		if fl := byLine[d.Row]; fl != nil && d.Row > 0 {
			fl.Error = strings.TrimSpace(fl.Error + " " + fieldError(d))
		}
	}
	return nil
}

// badFields counts the fields with an error.
func (p *entryPage) badFields() int {
	n := 0
	for _, fl := range p.fields() {
		if fl.Error != "" {
			n++
		}
	}
	return n
}

// maxNarrative bounds the monthly report's text: a few pages.
const maxNarrative = 20000

// fieldError is a detail as the form shows it beside its field: the figure
// by name, numbers the Vietnamese way, as a sentence.
func fieldError(d errs.Detail) string {
	return upperFirst(errs.Text(d, errs.Page)) + "."
}

func (h *Web) renderEntry(w http.ResponseWriter, page *entryPage, status int) error {
	page.Problems = nil
	for _, fl := range page.fields() {
		if fl.Error != "" {
			fl.Focus = len(page.Problems) == 0
			page.Problems = append(page.Problems, entryProblem{Anchor: fl.Name, Where: fl.Unit.Name + " — " + fl.Element.Name, Message: fl.Error})
		}
	}
	return h.renderStatus(w, status, "entry.html", page)
}

// fields lists every input of the form, in order.
func (p *entryPage) fields() []*entryField {
	var out []*entryField
	for i := range p.Own {
		out = append(out, &p.Own[i])
	}
	for i := range p.Areas {
		for j := range p.Areas[i].Cells {
			out = append(out, &p.Areas[i].Cells[j])
		}
	}
	return out
}

func deref(f *float64) float64 {
	if f == nil {
		return 0
	}
	return *f
}

// entryPickerPage is /entry: the user's unit's reports of the current
// periods with their status, the reminders it received, and a picker for
// any form, unit of the user's subtree and period.
type entryPickerPage struct {
	Base
	Program   *program.Program
	Programs  []*program.Program
	Forms     []form.Form
	Units     []unitChoice
	Periods   []periodGroup
	Reports   []reportLine
	Reminders []string
	Submits   bool // the user's unit sends reports itself
	Error     string
}

type reportLine struct {
	Form, Period, Unit, Status, Deadline, Standing, URL string
	StandingClass                                       submission.Standing
}

func (h *Web) entryPicker(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	q := r.URL.Query()
	progs, err := h.reportingPrograms(ctx)
	if err != nil {
		return err
	}
	prog := h.defaultProgram(ctx, progs, s.User.Unit)
	if code := q.Get("program"); code != "" {
		if prog, err = h.reportingProgram(ctx, code); err != nil {
			return err
		}
	}
	page := entryPickerPage{Base: h.base(s, "Nhập số liệu"), Program: prog, Programs: progs, Forms: form.Of(prog)}
	page.Nav = "entry"
	if q.Get("form") != "" && q.Get("unit") != "" && q.Get("period") != "" {
		f, err := form.Find(prog, q.Get("form"))
		if err != nil {
			return errs.New(errs.NotFound, "%v", err)
		}
		p, err := period.Parse(q.Get("period"))
		if err != nil {
			return errs.New(errs.Invalid, "%v", err)
		}
		if p.Type != f.PeriodType {
			page.Error = fmt.Sprintf("%s báo cáo theo %s: hãy chọn kỳ là %s.", f.Name, strings.ToLower(f.PeriodType.Label()), strings.ToLower(f.PeriodType.Label()))
		} else {
			return redirect(w, r, "/entry/"+prog.Code+"/"+f.Code+"/"+q.Get("unit")+"/"+p.String())
		}
	}
	now := h.Now()
	today := clock.Today(now)
	if page.Units, err = h.reportingUnitChoices(ctx, s, s.User.Unit, today); err != nil {
		return err
	}
	// The current periods, or the term's last ones once it has ended.
	todayTime, _ := time.Parse(time.DateOnly, min(today, fmt.Sprintf("%04d-12-31", prog.Term.To)))
	page.Periods = termPeriods(prog, today, period.Yearly, period.Quarterly, period.Monthly)
	page.Submits = form.Submits(s.User.Unit.Kind)
	if page.Submits {
		u := s.User.Unit
		for _, f := range page.Forms {
			cur := period.ForDate(f.PeriodType, todayTime)
			for _, p := range []period.Period{cur.Prev(), cur} {
				if p.Year < prog.Term.From || p.Year > prog.Term.To {
					continue
				}
				sub, err := h.Store.Submission(ctx, prog.Code, f.Code, u, p)
				if err != nil {
					return err
				}
				dl, err := h.Store.Deadlines(ctx, prog.Code, f.Code, p)
				if err != nil {
					return err
				}
				st := submission.StandingOf(sub, dl.For(u.Kind, sub), now)
				page.Reports = append(page.Reports, reportLine{Form: f.Name, Period: p.Label(), Unit: u.Name, Status: sub.Status.Label(),
					Deadline: vnDate(dl.For(u.Kind, sub)), Standing: st.Label(), StandingClass: st, URL: entryPath(prog.Code, f.Code, u, p)})
			}
		}
		rems, err := h.Store.RemindersTo(ctx, u, now.AddDate(0, -3, 0))
		if err != nil {
			return err
		}
		for _, rm := range rems {
			name := rm.Form
			if f, err := form.Find(prog, rm.Form); err == nil {
				name = f.Name
			}
			page.Reminders = append(page.Reminders, fmt.Sprintf("%s: %s nhắc nộp %s, %s (%s).", vnTime(rm.At), rm.From, strings.ToLower(name), rm.Period.InSentence(), rm.Actor))
		}
	}
	status := http.StatusOK
	if page.Error != "" {
		status = http.StatusBadRequest
	}
	if q.Get("format") == "xlsx" && status == http.StatusOK {
		t := sheet.TableSpec{
			Title:     "Báo cáo của " + s.User.Unit.Name,
			Subtitles: []string{page.Program.Name, "Xuất lúc " + vnTime(h.Now())},
			Header:    []string{"Biểu", "Kỳ", "Trạng thái", "Hạn nộp", "Tiến độ"},
		}
		for _, l := range page.Reports {
			t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(l.Form), sheet.Text(l.Period), sheet.Text(l.Status), sheet.Text(l.Deadline), sheet.Text(l.Standing)})
		}
		return sendTable(w, "bao-cao-"+s.User.Unit.Code+".xlsx", t)
	}
	return h.renderStatus(w, status, "entry_picker.html", page)
}

// reportingUnitChoices lists the committees of the user's subtree that
// send reports, indented under the one above, shown selected.
func (h *Web) reportingUnitChoices(ctx context.Context, s *Session, shown unit.Unit, today string) ([]unitChoice, error) {
	// A unit merged away (a commune before 1/7/2025) still reports its
	// term's periods: list its tree as on its last day, not an empty one.
	on := today
	if s.User.Unit.ValidTo != "" && s.User.Unit.ValidTo < on {
		on = s.User.Unit.ValidTo
	}
	tree, err := h.Store.Subtree(ctx, s.User.Unit, on)
	if err != nil {
		return nil, err
	}
	var out []unitChoice
	for _, u := range submission.Submitters(tree) {
		label := u.Name
		if d := strings.Count(u.Path, "/") - strings.Count(s.User.Unit.Path, "/"); d > 0 {
			label = strings.Repeat("\u00a0\u00a0\u00a0\u00a0", d-1) + "— " + label
		}
		out = append(out, unitChoice{Code: u.Code, Label: label, Selected: u.ID == shown.ID})
	}
	return out, nil
}

// termPeriods lists the program's periods of the types that have begun
// by today, newest first, one group per type.
func termPeriods(prog *program.Program, today string, types ...period.Type) []periodGroup {
	var out []periodGroup
	for _, t := range types {
		g := periodGroup{Label: upperFirst(t.Label())}
		for p := period.ForDate(t, time.Date(prog.Term.From, 1, 1, 0, 0, 0, 0, time.UTC)); p.StartDate() <= today && p.Year <= prog.Term.To; p = p.Next() {
			g.Periods = append([]period.Period{p}, g.Periods...) // newest first
		}
		out = append(out, g)
	}
	return out
}
