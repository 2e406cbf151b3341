package web

import (
	"fmt"
	"math"
	"mattran/internal/access"
	"mattran/internal/clock"
	"net/http"
	"net/url"
	"strings"

	"mattran/internal/errs"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/rollup"
	"mattran/internal/sheet"
	"mattran/internal/unit"
	"mattran/internal/vn"
)

type quotaPage struct {
	Base
	Root    *program.Program
	Unit    unit.Unit
	Program string // the unit's program in the family, which the quotas belong to
	Targets []program.Target
	Target  program.Target
	Period  period.Period
	Years   []period.Period
	// Goal is what the unit itself is held to, and where that comes from.
	Goal, GoalSource string
	Rows             []quotaRow // the units directly below, also the Excel table
	SumQuota         string
	SumFigure        string
	UnitFigure       string
	UnitOwnPart      string
	// Balance compares the quotas' sum with the unit's own goal; Short or
	// Over is set when they do not add up.
	Balance     string
	Short, Over bool
	CanAssign   bool
	Note        string
	FormError   string
	XLSX        string
}

type quotaRow struct {
	Code, Name, Link string
	Field, Quota     string
	Error            string
	Figure, Percent  string
	Status           rollup.Status
	// The numbers behind the texts, for the Excel table.
	QuotaValue, FigureValue, PercentValue *float64
}

// quotaGoal is a unit's own goal for a quota target: its own threshold or
// the quota it was assigned (the stricter), else the program's where the
// program holds its level to the target.
func (h *Web) quotaGoal(r *http.Request, f *family, u unit.Unit, t program.Target) (*float64, string, error) {
	ctx := r.Context()
	c := t.Conditions[0]
	var goal *float64
	source := ""
	quotas, err := h.Store.QuotasOf(ctx, f.Root.Code, u.Code)
	if err != nil {
		return nil, "", err
	}
	if q, ok := quotas[t.Code]; ok {
		goal, source = &q, "chỉ tiêu cấp trên giao"
	}
	if code := f.programOf(u.Code); code != "" && code != f.Root.Code {
		own, err := h.Store.OwnProgram(ctx, code)
		if err != nil {
			return nil, "", err
		}
		for _, th := range own.Thresholds {
			if th.Target == t.Code && th.Condition == 0 && (goal == nil || c.Comparator.AtLeastAsStrict(th.Threshold, *goal)) {
				v := th.Threshold
				goal, source = &v, "ngưỡng riêng của đơn vị"
			}
		}
	}
	if goal == nil && t.AppliesToKind(u.Kind) {
		goal, source = c.Threshold, "chỉ tiêu chung của chương trình"
	}
	return goal, source, nil
}

// cascadeQuotas shows, at a unit, each unit directly below it with its
// quota of a target, its figure so far and the share of its quota reached,
// and the quotas' sum against the unit's own goal.
func (h *Web) cascadeQuotas(w http.ResponseWriter, r *http.Request, s *Session) error {
	page, err := h.quotaPage(r, s, false)
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "xlsx" {
		return sendTable(w, fmt.Sprintf("chi-tieu-giao-%s-%s-%s.xlsx", page.Target.Code, page.Unit.Code, page.Period), page.table())
	}
	return h.render(w, "cascade_quotas.html", page)
}

func (h *Web) quotaPage(r *http.Request, s *Session, posted bool) (*quotaPage, error) {
	ctx := r.Context()
	q := r.URL.Query()
	if posted {
		q = r.PostForm
	}
	f, err := h.loadFamily(ctx, q.Get("program"))
	if err != nil {
		return nil, err
	}
	u, err := h.unitParam(r, s, f, q.Get("unit"))
	if err != nil {
		return nil, err
	}
	page := &quotaPage{Base: h.base(s, "Giao chỉ tiêu cho đơn vị trực thuộc — "+u.Name), Root: f.Root, Unit: u,
		Program: f.programOf(u.Code), Targets: f.Root.QuotaTargets()}
	page.Nav = "cascade"
	if len(page.Targets) == 0 {
		return nil, errs.New(errs.NotFound, "Chương trình %s không có chỉ tiêu nào giao theo số lượng cho cấp dưới.", f.Root.Code)
	}
	page.Target = page.Targets[0]
	if code := q.Get("target"); code != "" {
		t, ok := f.Root.Target(code)
		if !ok || !f.Root.Quotable(t) {
			return nil, errs.New(errs.Invalid, "Chỉ tiêu %q không giao theo số lượng cho cấp dưới được.", code)
		}
		page.Target = t
	}
	for y := f.Root.Term.From; y <= f.Root.Term.To; y++ {
		page.Years = append(page.Years, period.Period{Type: period.Yearly, Year: y})
	}
	page.Period = period.Period{Type: period.Yearly, Year: max(f.Root.Term.From, min(f.Root.Term.To, h.Now().In(clock.Zone).Year()))}
	if code := q.Get("period"); code != "" {
		p, err := period.Parse(code)
		if err != nil || p.Type != period.Yearly || p.Year < f.Root.Term.From || p.Year > f.Root.Term.To {
			return nil, errs.New(errs.Invalid, "Năm %q không thuộc nhiệm kỳ %d–%d.", code, f.Root.Term.From, f.Root.Term.To)
		}
		page.Period = p
	}
	if !posted && q.Get("saved") != "" {
		page.Notice = "Đã lưu chỉ tiêu giao."
	}
	switch {
	case page.Program == "":
		page.Note = u.Name + " chưa xây dựng chương trình nên chưa giao chỉ tiêu cho đơn vị trực thuộc. Hãy xây dựng chương trình ở trang Chương trình cấp dưới."
	case access.SetQuotas(s.User, u) != nil:
		page.Note = "Chỉ lãnh đạo hoặc quản trị của " + u.Name + " hoặc của cấp trên mới giao chỉ tiêu cho đơn vị trực thuộc."
	default:
		page.CanAssign = true
	}

	t := page.Target
	m := measureOf(f.Root, t.Conditions[0])
	goal, source, err := h.quotaGoal(r, f, u, t)
	if err != nil {
		return nil, err
	}
	if goal != nil {
		page.Goal, page.GoalSource = withThreshold(t.Conditions[0], *goal).ThresholdText(m == money), source
	}
	quotas := map[string]float64{}
	if page.Program != "" {
		if quotas, err = h.Store.Quotas(ctx, page.Program, t.Code); err != nil {
			return nil, err
		}
	}
	kids, err := h.Store.Children(ctx, u, rollup.AsOf(u, page.Period))
	if err != nil {
		return nil, err
	}
	at, below, err := h.quotaFigures(r, t, u, kids, page.Period)
	if err != nil {
		return nil, err
	}
	page.UnitFigure = amountText(m, at.Value)
	if at.Own != nil && len(kids) > 0 {
		page.UnitOwnPart = amountText(m, at.Own)
	}
	var sumQuota, sumFigure float64
	assigned := 0
	for i, k := range kids {
		row := quotaRow{Code: k.Code, Name: k.Name, Field: "q-" + k.Code, Figure: amountText(m, below[i].Value),
			Link: "/cascade/quotas?" + url.Values{"program": {f.Root.Code}, "target": {t.Code}, "unit": {k.Code}, "period": {page.Period.String()}}.Encode()}
		if below[i].Value != nil {
			sumFigure += *below[i].Value
		}
		if v, ok := quotas[k.Code]; ok {
			assigned++
			sumQuota += v
			row.Quota, row.QuotaValue = vn.FormatNumber(v, -1), &v
			row.Status = rollup.NoData
			if fig := below[i].Value; fig != nil {
				row.Status = rollup.NotMet
				if t.Conditions[0].Comparator.Holds(*fig, v) {
					row.Status = rollup.Met
				}
				if v > 0 {
					pc := 100 * *fig / v
					row.Percent, row.PercentValue = vn.FormatPercent(pc), &pc
				}
			}
		}
		row.FigureValue = below[i].Value
		page.Rows = append(page.Rows, row)
	}
	page.SumFigure = amountText(m, &sumFigure)
	if assigned > 0 {
		page.SumQuota = amountText(m, &sumQuota)
	}
	page.Balance, page.Short, page.Over = balance(m, u, assigned, sumQuota, goal, page.Goal)
	page.XLSX = "/cascade/quotas?" + url.Values{"program": {f.Root.Code}, "target": {t.Code}, "unit": {u.Code}, "period": {page.Period.String()}, "format": {"xlsx"}}.Encode()
	return page, nil
}

// table is the quota table as an Excel table: numbers Excel can add up,
// and the balance under the title.
func (p *quotaPage) table() sheet.TableSpec {
	t := sheet.TableSpec{
		Title:     "Chỉ tiêu " + p.Target.Code + " giao cho đơn vị trực thuộc " + p.Unit.Name + " — " + p.Period.Label(),
		Subtitles: []string{p.Target.Name, p.Balance},
		Header:    []string{"Mã", "Đơn vị", "Chỉ tiêu giao", "Kết quả " + p.Period.Label(), "% chỉ tiêu giao", "Đánh giá"},
	}
	if p.Goal != "" {
		t.Subtitles = append(t.Subtitles, "Chỉ tiêu của "+p.Unit.Name+": "+p.Goal+" ("+p.GoalSource+")")
	}
	number := func(v *float64) sheet.Cell {
		if v == nil {
			return sheet.Text("")
		}
		return sheet.Number(*v, 0)
	}
	for _, r := range p.Rows {
		pc, status := sheet.Text(""), ""
		if r.PercentValue != nil {
			pc = sheet.Percent(*r.PercentValue)
		}
		if r.Status != "" {
			status = r.Status.Label()
		}
		t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(r.Code), sheet.Text(r.Name), number(r.QuotaValue), number(r.FigureValue), pc, sheet.Text(status)})
	}
	return t
}

// quotaFigures reads the target's figure over each unit's subtree: at u,
// and at each of kids.
func (h *Web) quotaFigures(r *http.Request, t program.Target, u unit.Unit, kids []unit.Unit, p period.Period) (rollup.Point, []rollup.Point, error) {
	elements, err := h.Store.Elements(r.Context())
	if err != nil {
		return rollup.Point{}, nil, err
	}
	at := rollup.Point{Unit: u}
	below := make([]rollup.Point, len(kids))
	add := func(into **float64, v *float64) {
		if v != nil {
			if *into == nil {
				*into = new(float64)
			}
			**into += *v
		}
	}
	for _, code := range t.Conditions[0].Elements {
		e, ok := elements[code]
		if !ok {
			return at, nil, fmt.Errorf("chỉ tiêu %s dùng chỉ số %s chưa có trong cơ sở dữ liệu", t.Code, code)
		}
		pt, pts, err := rollup.Analytics(r.Context(), h.Store, kids, e, u, p)
		if err != nil {
			return at, nil, err
		}
		add(&at.Value, pt.Value)
		add(&at.Own, pt.Own)
		for i := range pts {
			add(&below[i].Value, pts[i].Value)
		}
	}
	return at, below, nil
}

// balance says how the quotas' sum compares with the unit's goal: "thiếu
// 12.500.000.000 đồng" when they fall short of it.
func balance(m measure, u unit.Unit, assigned int, sum float64, goal *float64, goalText string) (string, bool, bool) {
	switch {
	case assigned == 0:
		return "Chưa giao chỉ tiêu cho đơn vị trực thuộc nào.", false, false
	case goal == nil:
		return u.Name + " chưa có chỉ tiêu của chính mình để so với tổng chỉ tiêu đã giao.", false, false
	}
	diff := sum - *goal
	switch {
	case math.Abs(diff) < 0.5:
		return "Tổng chỉ tiêu đã giao khớp với chỉ tiêu của " + u.Name + " (" + goalText + ").", false, false
	case diff < 0:
		return fmt.Sprintf("Tổng chỉ tiêu đã giao còn thiếu %s so với chỉ tiêu của %s (%s).", exactAmount(m, -diff), u.Name, goalText), true, false
	}
	return fmt.Sprintf("Tổng chỉ tiêu đã giao thừa %s so với chỉ tiêu của %s (%s).", exactAmount(m, diff), u.Name, goalText), false, true
}

// amountText writes a figure as reports do: "2,5 tỷ đồng", "1.392".
func amountText(m measure, v *float64) string {
	if v == nil {
		return "—"
	}
	text, _ := m.text(*v)
	return text
}

// exactAmount writes an amount to the đồng: "12.500.000.000 đồng (12,5 tỷ)".
func exactAmount(m measure, v float64) string {
	if m != money {
		return vn.FormatNumber(v, -1)
	}
	s := vn.FormatNumber(math.Round(v), 0) + " đồng"
	if short := vn.FormatMoney(v); short != s && strings.HasSuffix(short, " đồng") {
		s += " (" + strings.TrimSuffix(short, " đồng") + ")"
	}
	return s
}

// cascadeSaveQuotas saves the quotas of a target for every unit directly
// below a unit; an empty field takes a quota back. Errors are shown beside
// their fields and nothing is written.
func (h *Web) cascadeSaveQuotas(w http.ResponseWriter, r *http.Request, s *Session) error {
	if err := r.ParseForm(); err != nil {
		return errs.New(errs.Invalid, "Biểu mẫu không đọc được.")
	}
	page, err := h.quotaPage(r, s, true)
	if err != nil {
		return err
	}
	// Who may comes first: a viewer is refused as such, whether or not the
	// unit has a program yet.
	if err := access.SetQuotas(s.User, page.Unit); err != nil {
		return err
	}
	if page.Program == "" {
		return errs.New(errs.Invalid, "%s", page.Note)
	}
	amounts := map[string]*float64{}
	bad := false
	for i := range page.Rows {
		row := &page.Rows[i]
		row.Quota = strings.TrimSpace(r.PostFormValue(row.Field))
		if row.Quota == "" {
			amounts[row.Code] = nil
			continue
		}
		v, err := vn.ParseNumber(row.Quota)
		if err != nil {
			row.Error, bad = err.Error()+".", true
			continue
		}
		if d := page.Root.CheckQuota(page.Target, v); d != nil {
			row.Error, bad = fieldError(*d), true
			continue
		}
		amounts[row.Code] = &v
	}
	if bad {
		page.FormError = "Chưa lưu: hãy sửa các ô được đánh dấu."
		return h.renderStatus(w, http.StatusBadRequest, "cascade_quotas.html", page)
	}
	if err := h.Store.SetQuotas(r.Context(), s.User.Actor(), page.Program, page.Target.Code, amounts); err != nil {
		return err
	}
	return redirect(w, r, "/cascade/quotas?"+url.Values{"program": {page.Root.Code}, "target": {page.Target.Code}, "unit": {page.Unit.Code},
		"period": {page.Period.String()}, "saved": {"1"}}.Encode())
}
