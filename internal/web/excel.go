package web

import (
	"bytes"
	"cmp"
	"fmt"
	"mattran/internal/access"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"mattran/internal/api"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/sheet"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/value"
)

func (h *Web) excelRoutes() []Route {
	return []Route{
		{"GET /excel", false, h.excelPage},
		{"GET /excel/template", false, h.excelTemplate},
		{"POST /excel/upload", false, h.excelUpload},
	}
}

// excelRequest is what the Excel pages are about: a program's form, for
// a period, over a unit's subtree.
type excelRequest struct {
	Program *program.Program
	Form    form.Form
	Unit    unit.Unit
	Period  period.Period
	// Moved says the period asked for was not one of the form's type
	// (a year picked for the quarterly form): the page shows the form's
	// period that holds its end instead.
	Moved string
}

// query is the request as URL parameters, for links between the pages.
func (x excelRequest) query() string {
	return url.Values{"program": {x.Program.Code}, "form": {x.Form.Code}, "unit": {x.Unit.Code}, "period": {x.Period.String()}}.Encode()
}

// parseExcelRequest reads program, form, unit and period, by default the
// first program's yearly form at the user's unit for the last year of the
// term that has begun. The unit must be in the user's subtree.
func (h *Web) parseExcelRequest(r *http.Request, s *Session, get func(string) string) (excelRequest, error) {
	ctx := r.Context()
	var x excelRequest
	progs, err := h.reportingPrograms(ctx)
	if err != nil {
		return x, err
	}
	x.Program = h.defaultProgram(ctx, progs, s.User.Unit)
	if code := get("program"); code != "" {
		if x.Program, err = h.reportingProgram(ctx, code); err != nil {
			return x, err
		}
	}
	code := cmp.Or(get("form"), form.Yearly)
	if x.Form, err = form.Find(x.Program, code); err != nil {
		return x, errs.New(errs.Invalid, "%v", err)
	}
	x.Period = currentPeriod(x.Program, x.Form.PeriodType, h.Now())
	if p := get("period"); p != "" {
		if x.Period, err = period.Parse(p); err != nil {
			return x, errs.New(errs.Invalid, "%v", err)
		}
	}
	if x.Period.Type != x.Form.PeriodType {
		// Picked from the lists, a year for the quarterly form: take the
		// form's period that holds the year's end, or today.
		asked := x.Period
		end := min(asked.EndDate(), clock.Today(h.Now()))
		day, _ := time.Parse(time.DateOnly, end)
		x.Period = period.ForDate(x.Form.PeriodType, day)
		if x.Period.Year < x.Program.Term.From {
			return x, errs.New(errs.Invalid, "Kỳ %s không phải kỳ của biểu %q (%s).", asked.Label(), x.Form.Name, x.Form.PeriodType.Label())
		}
		x.Moved = fmt.Sprintf("%s nhập theo %s: đã chọn kỳ %s (trong %s).", x.Form.Name, strings.ToLower(x.Form.PeriodType.Label()), x.Period.Label(), strings.ToLower(asked.Label()))
	}
	x.Form = x.Form.For(x.Period)
	if len(x.Form.Elements) == 0 {
		return x, errs.New(errs.Invalid, "Biểu %q không có chỉ số nào để nhập từ Excel.", x.Form.Name)
	}
	x.Unit, err = h.unitFor(r, s, cmp.Or(get("unit"), s.User.Unit.Code), x.Period.StartDate(), x.Period.EndDate())
	return x, err
}

// sheetUnits lists the subtree's units that report some element of the
// form, in tree order (siblings by code), with their depth below the root.
func (h *Web) sheetUnits(r *http.Request, x excelRequest) ([]sheet.UnitRow, error) {
	all, err := h.Store.Subtree(r.Context(), x.Unit, x.Period.EndDate())
	if err != nil {
		return nil, err
	}
	kids := map[int64][]unit.Unit{}
	for _, u := range all {
		kids[u.ParentID] = append(kids[u.ParentID], u)
	}
	var out []sheet.UnitRow
	var walk func(u unit.Unit, depth int)
	walk = func(u unit.Unit, depth int) {
		if len(x.Form.ElementsAt(u.Kind)) > 0 {
			out = append(out, sheet.UnitRow{Unit: u, Depth: depth})
		}
		children := kids[u.ID]
		slices.SortFunc(children, func(a, b unit.Unit) int { return cmp.Compare(a.Code, b.Code) })
		for _, c := range children {
			walk(c, depth+1)
		}
	}
	walk(x.Unit, 0)
	if len(out) == 0 {
		return nil, errs.New(errs.Invalid, "%s và các đơn vị trực thuộc không nhập chỉ số nào của biểu %q.", x.Unit.Name, x.Form.Name)
	}
	return out, nil
}

type excelPage struct {
	Base
	Request        excelRequest
	Programs       []*program.Program
	Forms          []form.Form
	TemplateURL    string
	Errors         []errs.Detail
	ErrorMessage   string
	CanUpload      bool
	Rows           int // units in the template
	Imported       int
	Updated        int
	Ignored        int
	UploadedName   string
	DryRun, Loaded bool
	// The lists to pick the unit and the period from, as the entry page.
	Units   []unitChoice
	Periods []periodGroup
	// Send is the unit's report after a successful upload, to send it
	// in one click (the same check as the form's "Gửi báo cáo").
	Send *entryPage
}

// excelPage offers the template for download and takes it back.
func (h *Web) excelPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	q := r.URL.Query()
	x, err := h.parseExcelRequest(r, s, q.Get)
	if err != nil {
		return err
	}
	p, err := h.newExcelPage(r, s, x)
	if err != nil {
		return err
	}
	if id := q.Get("done"); id != "" {
		h.uploadOutcome(s, id, &p)
	}
	if err := h.excelSendOffer(r, s, &p); err != nil {
		return err
	}
	return h.render(w, "excel.html", p)
}

// excelSendOffer offers, after a file was written, to send the unit's
// report: when the unit sends reports, the user may send it, and it is
// still open. The button posts the report form with its stored figures,
// so the form's checks (every field, figures to check again) apply.
func (h *Web) excelSendOffer(r *http.Request, s *Session, p *excelPage) error {
	x := p.Request
	if !p.Loaded || p.DryRun || !form.Submits(x.Unit.Kind) || access.SendReport(s.User, x.Unit) != nil {
		return nil
	}
	entry, err := h.loadEntryAt(r.Context(), s, x.Program, x.Form, x.Unit, x.Period)
	if err != nil {
		return err
	}
	if entry.CanSubmit && entry.Editable {
		p.Send = entry
	}
	return nil
}

func (h *Web) newExcelPage(r *http.Request, s *Session, x excelRequest) (excelPage, error) {
	progs, err := h.reportingPrograms(r.Context())
	if err != nil {
		return excelPage{}, err
	}
	units, err := h.sheetUnits(r, x)
	if err != nil {
		return excelPage{}, err
	}
	p := excelPage{
		Base:        h.base(s, "Nhập số liệu bằng Excel"),
		Request:     x,
		Programs:    progs,
		Forms:       form.Of(x.Program),
		TemplateURL: "/excel/template?" + x.query(),
		CanUpload:   access.EnterValues(s.User, x.Unit) == nil,
		Rows:        len(units),
	}
	p.Nav = "entry"
	today := clock.Today(h.Now())
	if p.Units, err = h.reportingUnitChoices(r.Context(), s, x.Unit, today); err != nil {
		return excelPage{}, err
	}
	if !containsChoice(p.Units, x.Unit.Code) {
		p.Units = append(p.Units, unitChoice{Code: x.Unit.Code, Label: x.Unit.Name, Selected: true})
	}
	p.Periods = termPeriods(x.Program, max(today, x.Period.StartDate()), x.Form.PeriodType)
	p.Notice = x.Moved
	return p, nil
}

// excelTemplate sends the data-entry workbook, pre-filled with the values
// already stored.
func (h *Web) excelTemplate(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	x, err := h.parseExcelRequest(r, s, r.URL.Query().Get)
	if err != nil {
		return err
	}
	units, err := h.sheetUnits(r, x)
	if err != nil {
		return err
	}
	codes := make([]string, len(x.Form.Elements))
	for i, e := range x.Form.Elements {
		codes[i] = e.Code
	}
	stored, err := h.Store.ExportValues(ctx, store.ExportFilter{Unit: x.Unit, Children: true, Elements: codes, Periods: []period.Period{x.Period}})
	if err != nil {
		return err
	}
	values := make(map[sheet.Key]float64, len(stored))
	for _, v := range stored {
		if v.Period != x.Period.String() {
			continue
		}
		n, err := strconv.ParseFloat(v.Value, 64)
		if err != nil {
			return err
		}
		values[sheet.Key{Element: v.DataElement, Unit: v.OrgUnit}] = n
	}
	// The deadline the unit's report is judged by, as the form page shows it.
	sub, err := h.Store.Submission(ctx, x.Program.Code, x.Form.Code, x.Unit, x.Period)
	if err != nil {
		return err
	}
	dl, err := h.Store.Deadlines(ctx, x.Program.Code, x.Form.Code, x.Period)
	if err != nil {
		return err
	}
	deadline, _ := time.Parse(time.DateOnly, dl.For(x.Unit.Kind, sub))
	var buf bytes.Buffer
	spec := sheet.TemplateSpec{
		Spec:     sheet.Spec{Program: x.Program, Form: x.Form, Period: x.Period, Root: x.Unit, Units: units},
		Deadline: deadline,
		Values:   values,
	}
	if err := sheet.Template(&buf, spec); err != nil {
		return err
	}
	name := fmt.Sprintf("%s_%s_%s_%s.xlsx", x.Program.Code, x.Form.Code, x.Unit.Code, x.Period)
	return sendXLSX(w, name, buf.Bytes())
}

// excelUpload reads a filled-in template and stores its values, all or
// none: any bad cell, and the page lists every bad cell and stores nothing.
func (h *Web) excelUpload(w http.ResponseWriter, r *http.Request, s *Session) error {
	x, err := h.parseExcelRequest(r, s, r.FormValue)
	if err != nil {
		return err
	}
	if err := access.EnterValues(s.User, x.Unit); err != nil {
		return err
	}
	page, err := h.newExcelPage(r, s, x)
	if err != nil {
		return err
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		page.ErrorMessage = "Hãy chọn tệp Excel (.xlsx) đã điền để tải lên."
		return h.renderStatus(w, http.StatusBadRequest, "excel.html", page)
	}
	defer file.Close()
	units, err := h.sheetUnits(r, x)
	if err != nil {
		return err
	}
	spec := sheet.Spec{Program: x.Program, Form: x.Form, Period: x.Period, Root: x.Unit, Units: units}
	rows, refused, err := sheet.ParseAll(file, spec)
	dry := r.FormValue("dry") != ""
	if err == nil {
		// Checked against its template: written in its turn (excelqueue.go).
		return h.queueUpload(w, r, s, x, page, filepath.Base(header.Filename), spec, rows, dry)
	}
	if e, ok := errs.As(err); ok && e.Code != errs.Internal {
		page.ErrorMessage, page.Errors = e.Message, e.Details
		// Some cells could not be read: check the others as the import
		// would (a dry run), so every error is named in this one pass.
		if len(refused) > 0 {
			if more, err := h.dryRunDetails(r, s, value.Checkable(rows, refused, x.Program.DenominatorOf)); err != nil {
				return err
			} else if len(more) > 0 {
				page.Errors = append(page.Errors, more...)
				slices.SortStableFunc(page.Errors, func(a, b errs.Detail) int { return cmp.Compare(a.Row, b.Row) })
				page.ErrorMessage = fmt.Sprintf("Tệp Excel có %d lỗi; chưa nhập giá trị nào.", len(page.Errors))
			}
		}
		// The store names a refused value by its row, which is the
		// Excel row, and its element: name the cell instead, as the
		// parser names its own ("Ô D14").
		for i, d := range page.Errors {
			if d.Cell == "" && d.Row > 0 {
				page.Errors[i].Cell = spec.CellOf(d.Row, d.Args.Element)
			}
		}
		page.UploadedName = header.Filename
		return h.renderStatus(w, api.Status(e.Code), "excel.html", page)
	}
	return err
}

// dryRunDetails checks rows as an import would, writing nothing, and
// returns what it refuses.
func (h *Web) dryRunDetails(r *http.Request, s *Session, rows []value.Row) ([]errs.Detail, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	_, err := h.Store.ImportValues(r.Context(), rows, store.ImportOptions{Actor: s.User.Actor(), Scope: s.User.Unit,
		Source: "Excel", Today: clock.Today(h.Now()), DryRun: true})
	if e, ok := errs.As(err); ok && e.Code != errs.Internal {
		return e.Details, nil
	}
	return nil, err
}

// sendTable sends a page's table as an Excel download.
func sendTable(w http.ResponseWriter, name string, t sheet.TableSpec) error {
	var buf bytes.Buffer
	if err := sheet.Table(&buf, t); err != nil {
		return err
	}
	return sendXLSX(w, name, buf.Bytes())
}

// sendXLSX sends a workbook as a download.
func sendXLSX(w http.ResponseWriter, name string, data []byte) error {
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, asciiName(name), url.PathEscape(name)))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, err := w.Write(data)
	return err
}

// asciiName keeps a file name's ASCII letters, digits and ._- for browsers
// that ignore filename*.
func asciiName(name string) string {
	b := []byte(name)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	return string(b)
}
