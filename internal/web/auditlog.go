package web

import (
	"context"
	"encoding/json"
	"fmt"
	"mattran/internal/access"
	"mattran/internal/clock"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"mattran/internal/errs"
	"mattran/internal/sheet"
	"mattran/internal/store"
	"mattran/internal/submission"
	"mattran/internal/unit"
	"mattran/internal/user"
	"mattran/internal/vn"
)

// auditPageSize is how many entries a page of the audit log shows.
const auditPageSize = 50

// replacedShown caps the replaced values listed under one write of values.
const replacedShown = 20

func (h *Web) auditRoutes() []Route {
	return []Route{
		{"GET /audit", false, h.auditLog},
	}
}

type auditPage struct {
	Base
	// The filter as typed, for the form.
	// (Who, not User: Base.User is the signed-in user.)
	Who, Unit, Kind, Action, From, To string
	Errors                            map[string]string // field → message
	Kinds, Actions                    []option
	Scope                             string // whose entries are listed
	Rows                              []auditRow
	PageNo                            int
	Prev, Next                        string // links to the neighbouring pages
	XLSX                              string // the same list as an Excel file
}

// auditExportMax bounds the Excel download of the log: enough for a year
// of a province's changes, small enough to build in a request.
const auditExportMax = 20000

// table is the listed entries as an Excel table, one row per entry, its
// changes one per line in a cell.
func (p auditPage) table(generated string) sheet.TableSpec {
	t := sheet.TableSpec{
		Title:     "Nhật ký thay đổi — " + p.Scope,
		Subtitles: []string{"Xuất lúc " + generated},
		Header:    []string{"Thời điểm", "Người thực hiện", "Thao tác", "Đối tượng", "Mã", "Nội dung"},
	}
	for _, r := range p.Rows {
		t.Rows = append(t.Rows, []sheet.Cell{sheet.Text(r.At), sheet.Text(r.Actor), sheet.Text(r.Action), sheet.Text(r.Entity), sheet.Text(r.Key), sheet.Text(strings.Join(r.Lines, "\n"))})
	}
	return t
}

type option struct {
	Value, Label string
	Selected     bool
}

// auditRow is one entry as the page shows it.
type auditRow struct {
	At, Actor, Action, Entity, Key string
	Lines                          []string // what changed, "field: before → after"
}

// auditLog lists who changed what in the user's subtree, newest first,
// for admins and leaders. The scope is explained in store.AuditFilter:
// entries by the subtree's users, and entries about its users, units,
// period locks, programs and values.
func (h *Web) auditLog(w http.ResponseWriter, r *http.Request, s *Session) error {
	if err := access.ReadAudit(s.User, s.User.Unit); err != nil {
		return err
	}
	ctx := r.Context()
	q := r.URL.Query()
	page := auditPage{
		Base: h.base(s, "Nhật ký thay đổi"),
		Who:  strings.TrimSpace(q.Get("user")), Unit: strings.TrimSpace(q.Get("unit")),
		Kind: q.Get("kind"), Action: q.Get("action"), From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
		Errors: map[string]string{},
		PageNo: 1,
	}
	page.Nav = "audit"
	f := store.AuditFilter{Scope: s.User.Unit, Actor: strings.ToLower(page.Who), Entity: page.Kind, Action: page.Action, Limit: auditPageSize + 1}
	if page.Unit != "" {
		u, err := h.unitFor(r, s, page.Unit, "0001-01-01", "9999-12-31")
		switch {
		case err == nil:
			f.Scope = u
		case errs.CodeOf(err) == errs.NotFound:
			page.Errors["unit"] = "Không có đơn vị mã " + page.Unit + "."
		default:
			return err
		}
	}
	if page.From != "" {
		d, err := vn.ParseDate(page.From)
		if err != nil {
			page.Errors["from"] = upperFirst(err.Error()) + "."
		}
		f.From = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, clock.Zone)
	}
	if page.To != "" {
		d, err := vn.ParseDate(page.To)
		if err != nil {
			page.Errors["to"] = upperFirst(err.Error()) + "."
		}
		f.To = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, clock.Zone)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) && page.Errors["to"] == "" {
		page.Errors["to"] = "Ngày cuối phải từ ngày đầu trở đi."
	}
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 1 {
		page.PageNo = n
	}
	f.Offset = (page.PageNo - 1) * auditPageSize
	// The Excel download holds every entry the filter finds, up to a bound.
	xlsx := q.Get("format") == "xlsx"
	if xlsx {
		f.Offset, f.Limit = 0, auditExportMax
	}
	page.Scope = f.Scope.Name

	entities, actions, err := h.Store.AuditKinds(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(entities, store.ValuesEntity) {
		entities = append(entities, store.ValuesEntity)
	}
	if !slices.Contains(actions, "write") {
		actions = append(actions, "write")
	}
	for _, e := range entities {
		page.Kinds = append(page.Kinds, option{e, entityLabel(e), e == page.Kind})
	}
	for _, a := range actions {
		page.Actions = append(page.Actions, option{a, actionLabel(a), a == page.Action})
	}
	status := http.StatusOK
	if len(page.Errors) > 0 {
		status = http.StatusBadRequest
	} else {
		if f.Programs, err = h.programsOwnedIn(r, f.Scope); err != nil {
			return err
		}
		recs, err := h.Store.AuditLog(ctx, f)
		if err != nil {
			return err
		}
		if len(recs) > auditPageSize && !xlsx {
			recs = recs[:auditPageSize]
			page.Next = pageLink(q, page.PageNo+1)
		}
		if page.PageNo > 1 {
			page.Prev = pageLink(q, page.PageNo-1)
		}
		names, err := h.elementNames(ctx)
		if err != nil {
			return err
		}
		for _, rec := range recs {
			row := auditRow{At: vnTime(rec.At), Actor: rec.Actor, Action: actionLabel(rec.Action), Entity: entityLabel(rec.Entity), Key: readableKey(rec.EntityKey)}
			if rec.Entity == store.ValuesEntity {
				row.Key = "nguồn: " + rec.EntityKey
				row.Lines = []string{fmt.Sprintf("Cả lần ghi: %s giá trị mới, %s giá trị sửa, %s giữ nguyên.",
					vn.FormatInt(int64(rec.Imported)), vn.FormatInt(int64(rec.Updated)), vn.FormatInt(int64(rec.Ignored)))}
				if rec.Updated > 0 {
					vals, err := h.Store.ReplacedValues(ctx, rec.ID, f.Scope, replacedShown+1)
					if err != nil {
						return err
					}
					for i, v := range vals {
						if i == replacedShown {
							row.Lines = append(row.Lines, "…")
							break
						}
						row.Lines = append(row.Lines, fmt.Sprintf("%s, kỳ %s, %s (%s): %s → %s", names.of(v.Element), v.Period, v.UnitName, v.UnitCode,
							vn.FormatNumber(v.Before, -1), vn.FormatNumber(v.After, -1)))
					}
				}
			} else {
				row.Lines = changeLines(rec.Before, rec.After)
			}
			page.Rows = append(page.Rows, row)
		}
	}
	if xlsx && status == http.StatusOK {
		return sendTable(w, "nhat-ky-thay-doi.xlsx", page.table(vnTime(h.Now())))
	}
	xq := r.URL.Query()
	xq.Del("page")
	xq.Set("format", "xlsx")
	page.XLSX = "/audit?" + xq.Encode()
	return h.renderStatus(w, status, "audit.html", page)
}

// programsOwnedIn lists the codes of the programs owned by a unit of the
// scope's subtree, and of their data elements.
func (h *Web) programsOwnedIn(r *http.Request, scope unit.Unit) ([]string, error) {
	progs, err := h.programs(r.Context())
	if err != nil {
		return nil, err
	}
	var codes []string
	for _, p := range progs {
		owner, err := h.Store.UnitDuring(r.Context(), p.OwnerUnit, fmt.Sprintf("%d-01-01", p.Term.From), fmt.Sprintf("%d-12-31", p.Term.To))
		if errs.CodeOf(err) == errs.NotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !unit.InSubtree(owner.Path, scope.Path) {
			continue
		}
		codes = append(codes, p.Code)
		for _, e := range p.DataElements {
			codes = append(codes, e.Code)
		}
	}
	return codes, nil
}

func pageLink(q url.Values, n int) string {
	v := url.Values{}
	for k, vs := range q {
		v[k] = vs
	}
	v.Set("page", strconv.Itoa(n))
	return "/audit?" + v.Encode()
}

// entityLabel and actionLabel name the audit log's words in Vietnamese;
// a word not listed shows as it is stored.
func entityLabel(e string) string {
	if l, ok := map[string]string{
		"user": "Người dùng", "api_token": "Mã truy cập API", "unit": "Đơn vị", "period": "Kỳ số liệu",
		"program": "Chương trình", "data_element": "Chỉ số", store.ValuesEntity: "Số liệu",
		"submission": "Báo cáo định kỳ", "form_deadline": "Hạn nộp báo cáo", "quota": "Chỉ tiêu giao",
		"calendar_day": "Lịch làm việc", "reassign_rule": "Quy tắc phân bổ", "unit_list": "Danh mục đơn vị",
	}[e]; ok {
		return l
	}
	return e
}

func actionLabel(a string) string {
	if l, ok := map[string]string{
		"create": "Tạo mới", "update": "Sửa", "close": "Hết hiệu lực", "link": "Liên kết kế thừa",
		"lock": "Khóa số liệu", "unlock": "Mở khóa số liệu", "set_password": "Đặt mật khẩu",
		"disable": "Khóa tài khoản", "enable": "Mở lại tài khoản", "write": "Ghi số liệu", "import": "Nhập",
		"save": "Lưu nháp", "submit": "Gửi báo cáo", "approve": "Duyệt", "return": "Trả lại",
		"reopen": "Mở khóa, trả lại để sửa", "remind": "Nhắc nhở", "set_deadline": "Đặt hạn nộp",
		"set": "Đặt", "delete": "Bỏ",
	}[a]; ok {
		return l
	}
	// A decision an admin took in the place of the level above.
	if base, ok := strings.CutSuffix(a, submission.OverrideSuffix); ok && base != a {
		return actionLabel(base) + " (quản trị viên quyết định thay cấp trên)"
	}
	return a
}

// fieldLabels name the fields of audited records.
var fieldLabels = map[string]string{
	"username": "Tên đăng nhập", "full_name": "Họ tên", "role": "Vai trò", "unit": "Đơn vị",
	"disabled": "Bị khóa", "label": "Nhãn", "code": "Mã", "name": "Tên", "kind": "Loại", "validFrom": "Hiệu lực từ", "validTo": "Hiệu lực đến",
	"period": "Kỳ", "officialType": "Loại hành chính", "from": "Từ", "to": "Sang", "ownerUnit": "Đơn vị ban hành",
	"status": "Trạng thái", "reason": "Lý do", "on_time": "Đúng hạn", "deadline": "Hạn nộp",
}

var fieldOrder = []string{"username", "code", "name", "full_name", "role", "unit", "kind", "disabled", "validFrom", "validTo", "period"}

// changeLines writes an entry's before and after as "field: value" lines:
// for a change, only the fields that changed, "field: before → after".
func changeLines(before, after string) []string {
	b, a := jsonFields(before), jsonFields(after)
	keys := map[string]bool{}
	for k := range b {
		keys[k] = true
	}
	for k := range a {
		keys[k] = true
	}
	delete(keys, "unit_valid_from") // which version of the unit: noise to a reader
	sorted := make([]string, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	// Fields the page names first, in the form's order; then the rest.
	slices.SortFunc(sorted, func(x, y string) int {
		ix, iy := slices.Index(fieldOrder, x), slices.Index(fieldOrder, y)
		if ix < 0 {
			ix = len(fieldOrder)
		}
		if iy < 0 {
			iy = len(fieldOrder)
		}
		if ix != iy {
			return ix - iy
		}
		return strings.Compare(x, y)
	})
	var lines []string
	for _, k := range sorted {
		bv, inB := b[k]
		av, inA := a[k]
		label := k
		if l, ok := fieldLabels[k]; ok {
			label = l
		}
		switch {
		case inB && inA:
			if bs, as := fieldText(k, bv), fieldText(k, av); bs != as {
				lines = append(lines, label+": "+bs+" → "+as)
			}
		case inA:
			lines = append(lines, label+": "+fieldText(k, av))
		default:
			lines = append(lines, label+" (trước): "+fieldText(k, bv))
		}
	}
	return lines
}

// jsonFields reads a JSON object; anything else is one field "giá trị".
func jsonFields(s string) map[string]any {
	if s == "" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err == nil {
		return m
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err == nil {
		return map[string]any{"giá trị": v}
	}
	return map[string]any{"giá trị": s}
}

// fieldText writes one field's value for a reader: a role by its name, a
// yes/no in words, a list by its length, a long text cut short.
func fieldText(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case bool:
		if x {
			return "có"
		}
		return "không"
	case float64:
		return vn.FormatNumber(x, -1)
	case string:
		if key == "role" {
			return user.Role(x).Label()
		}
		if key == "status" {
			return submission.Status(x).Label()
		}
		if len(x) == 10 && x[4] == '-' && x[7] == '-' {
			return vnDate(x)
		}
		return cut(x, 120)
	case []any:
		return fmt.Sprintf("(%d mục)", len(x))
	}
	b, _ := json.Marshal(v)
	return cut(string(b), 120)
}

func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// upperFirst starts a message with a capital: the validators' messages
// are written to go after a field's name.
func upperFirst(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// readableKey drops the version date of units valid since before our
// records ("07201@0001-01-01" is 07201 to a reader); a later version's
// date stays, since it tells two units with one code apart.
func readableKey(key string) string {
	return strings.ReplaceAll(key, "@"+unit.Beginning, "")
}

// elementNamer names data elements as people read them.
type elementNamer map[string]string

// of is the element's name with its code after it, for the log's lines:
// “Số cán bộ, cộng tác viên…” (mã CT1_CTV). An element no program names
// shows as its code.
func (n elementNamer) of(code string) string {
	if name, ok := n[code]; ok {
		return "“" + name + "” (mã " + code + ")"
	}
	return code
}

// elementNames reads the names of every program's data elements.
func (h *Web) elementNames(ctx context.Context) (elementNamer, error) {
	progs, err := h.programs(ctx)
	if err != nil {
		return nil, err
	}
	out := elementNamer{}
	for _, p := range progs {
		for _, e := range p.DataElements {
			out[e.Code] = e.Name
		}
	}
	return out, nil
}
