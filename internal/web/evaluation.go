package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"mattran/internal/access"
	"mattran/internal/api"
	"mattran/internal/calendar"
	"mattran/internal/casework"
	"mattran/internal/errs"
	"mattran/internal/evaluation"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// evaluationRoutes: the annual inspection and evaluation (kiểm tra, đánh
// giá, chấm điểm thi đua): the level's overview and ranked list, a unit's
// scoresheet, a cluster's table, the guide, the clusters, the inspection
// plan, an inspection and its printable conclusion, and the annual report.
func (h *Web) evaluationRoutes() []Route {
	return []Route{
		{"GET /evaluation", false, h.evaluationPage},
		{"GET /evaluation/cluster", false, h.evaluationClusterPage},
		{"GET /evaluation/guide", false, h.evaluationGuidePage},
		{"POST /evaluation/guide", false, h.evaluationGuideSave},
		{"POST /evaluation/clusters", false, h.evaluationClustersSave},
		{"POST /evaluation/freeze", false, h.evaluationFreeze},
		{"POST /evaluation/reopen", false, h.evaluationReopen},
		{"POST /evaluation/titles", false, h.evaluationTitles},
		{"GET /evaluation/sheet", false, h.evaluationSheetPage},
		{"POST /evaluation/sheet/self", false, h.evaluationSelf},
		{"POST /evaluation/sheet/adjust", false, h.evaluationAdjust},
		{"POST /evaluation/sheet/decide", false, h.evaluationDecide},
		{"POST /evaluation/sheet/cross", false, h.evaluationCross},
		{"GET /evaluation/report", false, h.evaluationReport},
		{"GET /evaluation/inspections", false, h.inspectionsPage},
		{"POST /evaluation/inspections", false, h.inspectionPlan},
		{"GET /evaluation/inspections/{id}", false, h.inspectionPage},
		{"POST /evaluation/inspections/{id}/conclude", false, h.inspectionConclude},
		{"POST /evaluation/inspections/{id}/recommend", false, h.inspectionRecommend},
		{"GET /evaluation/inspections/{id}/print", false, h.inspectionPrint},
	}
}

// evalYear reads ?year= (or the form's year), by default the current year.
func (h *Web) evalYear(v string) (int, error) {
	if v == "" {
		return h.today().Year(), nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		return 0, errs.New(errs.Invalid, "Năm %q không hợp lệ.", v)
	}
	return y, nil
}

// evalUnit resolves a unit code as of the year: the unit that carried it
// on the year's last day, or during the year (codes were reused in 2025).
func (h *Web) evalUnit(ctx context.Context, code string, year int) (unit.Unit, error) {
	y := strconv.Itoa(year)
	return h.Store.UnitDuring(ctx, code, y+"-01-01", y+"-12-31")
}

// evalOwner is the level above whose guide a page is about: ?unit= (the
// owner's code), else the user's unit if it issued a guide for the year,
// else the nearest unit above the user's that did.
func (h *Web) evalOwner(ctx context.Context, s *Session, code string, year int) (unit.Unit, error) {
	if code != "" {
		u, err := h.evalUnit(ctx, code, year)
		if err != nil {
			return u, err
		}
		return u, access.SeeEvaluation(s.User, u)
	}
	me := s.User.Unit
	ids := []int64{me.ID}
	anc := me.AncestorIDs()
	for i := len(anc) - 1; i >= 0; i-- {
		ids = append(ids, anc[i])
	}
	for _, id := range ids {
		recs, err := h.Store.EvalGuidesOf(ctx, id)
		if err != nil {
			return unit.Unit{}, err
		}
		for _, r := range recs {
			if r.Guide.Year == year {
				return r.Owner, nil
			}
		}
	}
	return me, nil
}

// evalAt reads the year and the owner a page is about (?year=, ?unit=).
func (h *Web) evalAt(ctx context.Context, s *Session, q url.Values) (int, unit.Unit, error) {
	year, err := h.evalYear(q.Get("year"))
	if err != nil {
		return 0, unit.Unit{}, err
	}
	owner, err := h.evalOwner(ctx, s, q.Get("unit"), year)
	return year, owner, err
}

// evalBoardAt is the guide a page is about (?year=, ?unit=, ?level=) and
// its board of results.
func (h *Web) evalBoardAt(ctx context.Context, s *Session, q url.Values) (evaluation.Record, *evaluation.Board, error) {
	year, owner, err := h.evalAt(ctx, s, q)
	if err != nil {
		return evaluation.Record{}, nil, err
	}
	rec, err := h.evalRecord(ctx, owner, year, q.Get("level"))
	if err != nil {
		return rec, nil, err
	}
	b, err := h.board(ctx, rec)
	return rec, b, err
}

// evalPosted reads the year and the owner a form posts about, and checks
// that the user may do the form's action there (allow).
func (h *Web) evalPosted(r *http.Request, s *Session, allow func(user.User, unit.Unit) error) (int, unit.Unit, error) {
	year, err := h.evalYear(r.PostFormValue("year"))
	if err != nil {
		return 0, unit.Unit{}, err
	}
	owner, err := h.evalUnit(r.Context(), r.PostFormValue("unit"), year)
	if err != nil {
		return 0, owner, err
	}
	return year, owner, allow(s.User, owner)
}

// evalDone sends the user back to the level's overview after an action,
// with the message msg names.
func evalDone(w http.ResponseWriter, r *http.Request, year int, owner unit.Unit, msg string) {
	http.Redirect(w, r, query("/evaluation", "year", strconv.Itoa(year), "unit", owner.Code, "msg", msg), http.StatusSeeOther)
}

// evalNotices are what the pages of the evaluation say after an action,
// by the msg its redirect carries.
var evalNotices = map[string]string{
	"guide":       "Đã lưu hướng dẫn chấm điểm.",
	"clusters":    "Đã lưu các cụm thi đua.",
	"frozen":      "Đã khóa kết quả chấm điểm năm %d.",
	"reopened":    "Đã mở lại kết quả chấm điểm; lý do được ghi vào nhật ký.",
	"titles":      "Đã xác nhận danh sách đề nghị khen thưởng.",
	"saved":       "Đã lưu điểm tự chấm.",
	"sent":        "Đã gửi phiếu tự chấm điểm lên cấp trên.",
	"adjusted":    "Đã ghi điểm thẩm định và lý do.",
	"decided":     "Đã thẩm định phiếu chấm điểm.",
	"crossed":     "Đã ghi điểm chấm chéo.",
	"planned":     "Đã thêm cuộc kiểm tra vào kế hoạch.",
	"concluded":   "Đã ghi kết luận kiểm tra.",
	"recommended": "Đã ghi kiến nghị; đơn vị được kiểm tra theo dõi và báo cáo thực hiện trong mục Đơn thư, vụ việc.",
}

// evalNotice is the notice for msg, empty for none or an unknown one.
func evalNotice(msg string, year int) string {
	text := evalNotices[msg]
	if strings.Contains(text, "%d") {
		return fmt.Sprintf(text, year)
	}
	return text
}

// evalRecord is owner's guide for the year (the first level it scores, or
// ?level=).
func (h *Web) evalRecord(ctx context.Context, owner unit.Unit, year int, level string) (evaluation.Record, error) {
	if level != "" {
		return h.Store.EvalGuide(ctx, owner.ID, year, unit.Kind(level))
	}
	recs, err := h.Store.EvalGuidesOf(ctx, owner.ID)
	if err != nil {
		return evaluation.Record{}, err
	}
	for _, r := range recs {
		if r.Guide.Year == year {
			return r, nil
		}
	}
	return evaluation.Record{}, errs.New(errs.NotFound, "%s chưa có hướng dẫn chấm điểm thi đua năm %d.", owner.Name, year)
}

// evalGuideFor is the guide that scores unit x in a year: its nearest
// ancestor's for x's kind.
func (h *Web) evalGuideFor(ctx context.Context, x unit.Unit, year int) (evaluation.Record, error) {
	anc := x.AncestorIDs()
	for i := len(anc) - 1; i >= 0; i-- {
		rec, err := h.Store.EvalGuide(ctx, anc[i], year, x.Kind)
		if err == nil || !errs.Is(err, errs.NotFound) {
			return rec, err
		}
	}
	return evaluation.Record{}, errs.New(errs.NotFound, "Chưa có hướng dẫn chấm điểm thi đua năm %d cho %s.", year, x.Name)
}

// board is the guide's results, cached until a write touches the owner's
// pages (every evaluation write, and every figure below it, does).
func (h *Web) board(ctx context.Context, rec evaluation.Record) (*evaluation.Board, error) {
	today := h.today()
	key := fmt.Sprintf("evalboard|%d|%s|%s", rec.ID, today, rec.UpdatedAt)
	return cached(ctx, h, rec.Owner, key, func() (*evaluation.Board, error) {
		return evaluation.Results(ctx, h.Store, rec, today)
	})
}

// evalHeader is what every evaluation page shows on top.
type evalHeader struct {
	Year    int
	Years   []int
	Owner   unit.Unit
	Record  evaluation.Record
	Guide   *evaluation.Guide
	Frozen  string // "đã khóa lúc … bởi …", empty when open
	Judge   bool   // the user may verify, decide, freeze
	Inspect bool
	Query   string // year=…&unit=… of the owner
}

func (h *Web) evalHeaderOf(ctx context.Context, s *Session, rec evaluation.Record) (evalHeader, error) {
	hd := evalHeader{Year: rec.Guide.Year, Owner: rec.Owner, Record: rec, Guide: rec.Guide,
		Judge: access.JudgeEvaluation(s.User, rec.Owner) == nil, Inspect: access.Inspect(s.User, rec.Owner) == nil}
	hd.Query = "year=" + strconv.Itoa(hd.Year) + "&unit=" + rec.Owner.Code
	if rec.Frozen() {
		hd.Frozen = vnTime(rec.FrozenAt) + " bởi " + rec.FrozenBy
	}
	// The years of every unit that carried the owner's code: code 24 is
	// Bắc Giang up to 2025 and the new Bắc Ninh after, and its officers
	// compare this year with the years before the merger.
	hist, err := h.Store.History(ctx, rec.Owner.Code)
	if err != nil {
		return hd, err
	}
	ids := []int64{rec.Owner.ID}
	for _, v := range hist.Versions {
		ids = append(ids, v.ID)
	}
	recs, err := h.Store.EvalGuidesOf(ctx, ids...)
	if err != nil {
		return hd, err
	}
	for _, r := range recs {
		if !slices.Contains(hd.Years, r.Guide.Year) {
			hd.Years = append(hd.Years, r.Guide.Year)
		}
	}
	slices.Sort(hd.Years)
	return hd, nil
}

// evalRow is one unit in a ranked table.
type evalRow struct {
	Rank, ClusterRank int
	Code, Name        string
	Cluster           string
	Total, Percent    string
	TotalNum          evaluation.Points
	Class             evaluation.Class
	Dropped           bool
	Title             string
	Status            string
	Sheet             string // the scoresheet's address
	Groups            []string
}

func evalRowOf(b *evaluation.Board, sh *evaluation.Sheet, clusters map[string]string) evalRow {
	r := evalRow{Rank: sh.Rank, ClusterRank: sh.ClusterRank, Code: sh.Unit.Code, Name: sh.Unit.Name, Cluster: clusters[sh.Cluster],
		Total: sh.Total.String(), Percent: sh.PercentText(), TotalNum: sh.Total, Class: sh.Class, Dropped: sh.Dropped,
		Title: b.Record.Guide.TitleName(sh.Title), Status: b.States[sh.Unit.ID].Status.Label(),
		Sheet: query("/evaluation/sheet", "year", strconv.Itoa(b.Record.Guide.Year), "unit", sh.Unit.Code)}
	if sh.Title == "" {
		r.Title = ""
	}
	for _, g := range sh.Groups {
		r.Groups = append(r.Groups, g.Points.String())
	}
	return r
}

// classCount is one class and its units, for the overview.
type classCount struct {
	Class evaluation.Class
	N     int
	Share string
}

type evaluationPage struct {
	Base
	evalHeader
	Rows            []evalRow
	Counts          []classCount
	Chart           template.HTML
	Clusters        []clusterView
	Undecided       int
	Titles          []evalRow
	TitlesConfirmed string
	ClustersText    string
	TieBreak        string
	Inspections     int
	OverdueRecs     int
}

type clusterView struct {
	Code, Name, Lead string
	Members          int
	URL              string
}

// evaluationPage is the level's overview: the class counts and their
// distribution against the previous years, the ranked list, the clusters,
// the titles proposed, and the actions of the level above.
func (h *Web) evaluationPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	q := r.URL.Query()
	year, owner, err := h.evalAt(ctx, s, q)
	if err != nil {
		return err
	}
	rec, err := h.evalRecord(ctx, owner, year, q.Get("level"))
	if errs.Is(err, errs.NotFound) {
		return h.evaluationEmpty(ctx, w, s, owner, year, err)
	}
	if err != nil {
		return err
	}
	b, err := h.board(ctx, rec)
	if err != nil {
		return err
	}
	hd, err := h.evalHeaderOf(ctx, s, rec)
	if err != nil {
		return err
	}
	page := evaluationPage{Base: h.base(s, fmt.Sprintf("Chấm điểm thi đua năm %d — %s", year, owner.Name)), evalHeader: hd,
		TieBreak: rec.Guide.TieBreakText()}
	page.Nav = "evaluation"
	names := map[string]string{}
	for _, c := range b.Clusters {
		names[c.Code] = c.Name
		cv := clusterView{Code: c.Code, Name: c.Name, Members: len(c.Members), URL: "/evaluation/cluster?" + hd.Query + "&cluster=" + c.Code}
		if lead, ok := b.Sheet(c.Lead); ok {
			cv.Lead = lead.Unit.Name
		}
		page.Clusters = append(page.Clusters, cv)
		page.ClustersText += clusterLine(b, c) + "\n"
	}
	for _, sh := range b.Sheets {
		row := evalRowOf(b, sh, names)
		page.Rows = append(page.Rows, row)
		if sh.Title != "" {
			page.Titles = append(page.Titles, row)
		}
		if b.States[sh.Unit.ID].Status != evaluation.Decided {
			page.Undecided++
		}
	}
	counts := b.Counts()
	for _, c := range evaluation.Classes {
		cc := classCount{Class: c, N: counts[c]}
		if len(b.Sheets) > 0 {
			cc.Share = fmt.Sprintf("%.1f%%", float64(counts[c])*100/float64(len(b.Sheets)))
			cc.Share = strings.Replace(cc.Share, ".", ",", 1)
		}
		page.Counts = append(page.Counts, cc)
	}
	if page.Chart, err = h.classChart(ctx, rec, b); err != nil {
		return err
	}
	if rec.TitlesConfirmedBy != "" {
		page.TitlesConfirmed = vnTime(rec.TitlesConfirmedAt) + " bởi " + rec.TitlesConfirmedBy
	}
	ins, err := h.Store.Inspections(ctx, owner.ID, 0, year)
	if err != nil {
		return err
	}
	page.Inspections = len(ins)
	page.Notice = evalNotice(q.Get("msg"), year)
	return h.render(w, "evaluation.html", page)
}

// clusterLine writes a cluster as the clusters form reads it:
// "code | name | leading unit's code | member codes".
func clusterLine(b *evaluation.Board, c evaluation.Cluster) string {
	var codes []string
	lead := ""
	for _, m := range c.Members {
		if sh, ok := b.Sheet(m); ok {
			codes = append(codes, sh.Unit.Code)
			if m == c.Lead {
				lead = sh.Unit.Code
			}
		}
	}
	return c.Code + " | " + c.Name + " | " + lead + " | " + strings.Join(codes, " ")
}

type evaluationEmptyPage struct {
	Base
	Owner   unit.Unit
	Year    int
	Message string
	Judge   bool
	Example string
	// Others are the years with a guide of the owner or a unit above it,
	// to go to (a district abolished in 2025 has none this year).
	Others []evalYearLink
}

type evalYearLink struct {
	Year      int
	Owner     string
	OwnerCode string
}

// evaluationEmpty: no guide yet; the level above may load one here.
func (h *Web) evaluationEmpty(ctx context.Context, w http.ResponseWriter, s *Session, owner unit.Unit, year int, cause error) error {
	page := evaluationEmptyPage{Base: h.base(s, "Chấm điểm thi đua — "+owner.Name), Owner: owner, Year: year,
		Judge: access.JudgeEvaluation(s.User, owner) == nil}
	if e, ok := errs.As(cause); ok {
		page.Message = e.Message
	}
	ids := append([]int64{owner.ID}, owner.AncestorIDs()...)
	recs, err := h.Store.EvalGuidesOf(ctx, ids...)
	if err != nil {
		return err
	}
	slices.SortFunc(recs, func(a, b evaluation.Record) int { return b.Guide.Year - a.Guide.Year })
	for _, r := range recs {
		if r.Guide.Year != year && access.SeeEvaluation(s.User, r.Owner) == nil {
			page.Others = append(page.Others, evalYearLink{Year: r.Guide.Year, Owner: r.Owner.Name, OwnerCode: r.Owner.Code})
		}
	}
	page.Nav = "evaluation"
	return h.renderStatus(w, http.StatusOK, "evaluation_empty.html", page)
}

// evalForm resolves the owner and guide a form posts about (year, unit).
func (h *Web) evalForm(r *http.Request, s *Session) (evaluation.Record, error) {
	ctx := r.Context()
	year, owner, err := h.evalPosted(r, s, access.JudgeEvaluation)
	if err != nil {
		return evaluation.Record{}, err
	}
	return h.evalRecord(ctx, owner, year, r.PostFormValue("level"))
}

func (h *Web) evaluationFreeze(w http.ResponseWriter, r *http.Request, s *Session) error {
	rec, err := h.evalForm(r, s)
	if err != nil {
		return err
	}
	b, err := evaluation.Results(r.Context(), h.Store, rec, h.today())
	if err != nil {
		return err
	}
	if err := h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		return evaluation.Freeze(r.Context(), tx, s.User.Actor(), rec, b.Sheets)
	}); err != nil {
		return err
	}
	evalDone(w, r, rec.Guide.Year, rec.Owner, "frozen")
	return nil
}

func (h *Web) evaluationReopen(w http.ResponseWriter, r *http.Request, s *Session) error {
	rec, err := h.evalForm(r, s)
	if err != nil {
		return err
	}
	if err := h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		return evaluation.Reopen(r.Context(), tx, s.User.Actor(), rec, r.PostFormValue("reason"))
	}); err != nil {
		return err
	}
	evalDone(w, r, rec.Guide.Year, rec.Owner, "reopened")
	return nil
}

func (h *Web) evaluationTitles(w http.ResponseWriter, r *http.Request, s *Session) error {
	rec, err := h.evalForm(r, s)
	if err != nil {
		return err
	}
	if err := h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		return evaluation.ConfirmTitles(r.Context(), tx, s.User.Actor(), rec)
	}); err != nil {
		return err
	}
	evalDone(w, r, rec.Guide.Year, rec.Owner, "titles")
	return nil
}

// evaluationClustersSave reads the clusters, one a line:
// "code | name | leading unit's code | member codes separated by spaces".
func (h *Web) evaluationClustersSave(w http.ResponseWriter, r *http.Request, s *Session) error {
	rec, err := h.evalForm(r, s)
	if err != nil {
		return err
	}
	ctx := r.Context()
	scored, err := h.Store.EvalScored(ctx, rec)
	if err != nil {
		return err
	}
	byCode := map[string]int64{}
	for _, u := range scored {
		byCode[u.Code] = u.ID
	}
	var cs []evaluation.Cluster
	lines := strings.Split(r.PostFormValue("clusters"), "\n")
	if len(lines) > 1000 {
		return errs.New(errs.Invalid, "Nhiều quá 1.000 cụm.")
	}
	for i, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		f := strings.Split(line, "|")
		if len(f) != 4 {
			return errs.New(errs.Invalid, "Dòng %d: cần 4 phần cách nhau bởi dấu |: mã cụm | tên cụm | mã đơn vị cụm trưởng | mã các đơn vị thành viên.", i+1)
		}
		c := evaluation.Cluster{Code: strings.TrimSpace(f[0]), Name: strings.TrimSpace(f[1])}
		if lead := strings.TrimSpace(f[2]); lead != "" {
			if c.Lead = byCode[lead]; c.Lead == 0 {
				return errs.New(errs.Invalid, "Dòng %d: mã cụm trưởng %q không thuộc các đơn vị được chấm điểm.", i+1, lead)
			}
		}
		for _, m := range strings.Fields(strings.ReplaceAll(f[3], ",", " ")) {
			id := byCode[m]
			if id == 0 {
				return errs.New(errs.Invalid, "Dòng %d: mã đơn vị %q không thuộc các đơn vị được chấm điểm.", i+1, m)
			}
			c.Members = append(c.Members, id)
		}
		cs = append(cs, c)
	}
	if err := h.Store.WithTx(ctx, func(tx *store.Tx) error {
		return evaluation.SetClusters(ctx, tx, s.User.Actor(), rec, cs)
	}); err != nil {
		return err
	}
	evalDone(w, r, rec.Guide.Year, rec.Owner, "clusters")
	return nil
}

type evaluationGuidePage struct {
	Base
	Owner   unit.Unit
	Year    int
	Text    string
	Example bool
	Judge   bool
	Message string
	Details []errs.Detail
}

// evaluationGuidePage shows the year's guide as its YAML text, to read,
// download (?format=yaml|json) or, for the level above, edit and save.
func (h *Web) evaluationGuidePage(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	q := r.URL.Query()
	year, owner, err := h.evalAt(ctx, s, q)
	if err != nil {
		return err
	}
	page := evaluationGuidePage{Base: h.base(s, fmt.Sprintf("Hướng dẫn chấm điểm thi đua năm %d — %s", year, owner.Name)),
		Owner: owner, Year: year, Judge: access.JudgeEvaluation(s.User, owner) == nil}
	page.Nav = "evaluation"
	rec, err := h.evalRecord(ctx, owner, year, q.Get("level"))
	switch {
	case err == nil:
		var buf bytes.Buffer
		if err := rec.Guide.Export(&buf); err != nil {
			return err
		}
		switch q.Get("format") {
		case "yaml":
			return sendText(w, fmt.Sprintf("huong-dan-cham-diem-%s-%d.yaml", owner.Code, year), "application/yaml", buf.Bytes())
		case "json":
			data, err := json.MarshalIndent(rec.Guide, "", "  ")
			if err != nil {
				return err
			}
			return sendText(w, fmt.Sprintf("huong-dan-cham-diem-%s-%d.json", owner.Code, year), "application/json", data)
		}
		page.Text, page.Example = buf.String(), rec.Guide.Example
	case errs.Is(err, errs.NotFound):
		page.Message = "Chưa có hướng dẫn năm " + strconv.Itoa(year) + ". Dán nội dung (YAML hoặc JSON) hoặc chọn tệp, rồi lưu."
	default:
		return err
	}
	return h.render(w, "evaluation_guide.html", page)
}

// evaluationGuideSave stores a guide typed in the editor or uploaded as
// a file, whole or not at all; a refused guide comes back with every bad
// field named.
func (h *Web) evaluationGuideSave(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	year, owner, err := h.evalPosted(r, s, access.JudgeEvaluation)
	if err != nil {
		return err
	}
	text := r.PostFormValue("guide")
	if r.MultipartForm != nil {
		if fs := r.MultipartForm.File["file"]; len(fs) > 0 {
			f, err := fs[0].Open()
			if err != nil {
				return err
			}
			data, err := io.ReadAll(io.LimitReader(f, evaluation.MaxGuideBytes+1))
			f.Close()
			if err != nil {
				return err
			}
			text = string(data)
		}
	}
	g, err := evaluation.ParseGuide(strings.NewReader(text))
	if err == nil && g.Year != year {
		err = errs.New(errs.Invalid, "Hướng dẫn ghi năm %d, trang này là năm %d.", g.Year, year)
	}
	if err == nil {
		prog, perr := h.Store.Program(ctx, g.Program)
		if perr != nil {
			err = perr
		} else {
			err = h.Store.WithTx(ctx, func(tx *store.Tx) error {
				_, err := evaluation.SaveGuide(ctx, tx, s.User.Actor(), owner, g, prog)
				return err
			})
		}
	}
	if e, ok := errs.As(err); ok && e.Code != errs.Internal {
		page := evaluationGuidePage{Base: h.base(s, "Hướng dẫn chấm điểm thi đua"), Owner: owner, Year: year, Text: text, Judge: true,
			Message: e.Message, Details: e.Details}
		page.Nav = "evaluation"
		return h.renderStatus(w, api.Status(e.Code), "evaluation_guide.html", page)
	}
	if err != nil {
		return err
	}
	evalDone(w, r, year, owner, "guide")
	return nil
}

// sendText sends a text file as a download.
func sendText(w http.ResponseWriter, name, typ string, data []byte) error {
	w.Header().Set("Content-Type", typ+"; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, asciiName(name)))
	_, err := w.Write(data)
	return err
}

// evalDate reads a day typed dd/mm/yyyy or yyyy-mm-dd; zero when empty.
func evalDate(label, s string) (calendar.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return calendar.Date{}, nil
	}
	d, err := casework.ParseDay(s)
	if err != nil {
		return d, errs.New(errs.Invalid, "%s: ngày %q phải có dạng dd/mm/yyyy.", label, s)
	}
	return d, nil
}
