package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"mattran/internal/access"
	"mattran/internal/calendar"
	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/submission"
	"mattran/internal/unit"
	"mattran/internal/user"
	"mattran/internal/value"
	"mattran/internal/web"
)

// The access table: every route × every harness user × the units around
// them. A user may act on their own unit's subtree only, as their role
// allows; everywhere else the answer is 403 (or 404), and nothing is
// written. A route added without a row here fails the test.

// relation is where the unit asked for lies, seen from the user's unit.
type relation string

const (
	ownUnit     relation = "own"     // the user's unit, or a unit below it
	siblingUnit relation = "sibling" // a unit beside it, under the same parent
	parentUnit  relation = "parent"  // the unit directly above it
	noUnit      relation = "self"    // routes about the user, not a unit
)

// around names, for each harness unit, its sibling, its parent and a unit
// directly below it. The province has no sibling in the fixture; above it
// is the root, the central committee (TW), where the harness has no users.
var around = map[string]struct{ sibling, parent, child string }{
	"TW":    {"", "", "24"},
	"24":    {"", "TW", "213"},
	"213":   {"215", "24", "07201"},
	"215":   {"213", "24", "07243"},
	"07201": {"07207", "213", "KDC-1"},
	"07207": {"07201", "213", "KDC-3"},
}

// programOf is each unit's program in the seed's family: the province owns
// the seed; the test derives the others' in setup.
var programOf = map[string]string{
	"24":    prog,
	"213":   program.DerivedCode(prog, "213"),
	"215":   program.DerivedCode(prog, "215"),
	"07201": program.DerivedCode(program.DerivedCode(prog, "213"), "07201"),
	"07207": program.DerivedCode(program.DerivedCode(prog, "213"), "07207"),
}

// Private markers: text only signed-in users of the right subtree may
// read. No public page may show them.
const (
	secretNarrative = "Nội dung nội bộ 7f3a"
	secretFullName  = "Họ tên riêng 9c1e"
)

type accessActor struct {
	name string
	role user.Role
	unit string
}

func (a accessActor) String() string { return fmt.Sprintf("%s (%s @%s)", a.name, a.role, a.unit) }

// accessReq is one request of a case, built for a user and a unit.
type accessReq struct {
	method, path string
	form         url.Values
	file         []byte  // an Excel upload: sent as multipart with form
	client       *client // another browser than the user's (sign-in, sign-out)
	after        func()  // restores what the request changed, for the next
}

// accessCase is one route: how to ask it about a unit, and who may.
type accessCase struct {
	route  string // the pattern, as Routes lists it
	public bool
	// unitless: the route acts on the user (or the user's own unit), so it
	// is tried once per user, as relation noUnit.
	unitless bool
	// below: the action is on a unit strictly below the user's (approval,
	// reminders), so "own" means a unit directly below theirs.
	below bool
	may   func(a accessActor, rel relation, target string) bool
	req   func(e *accessEnv, a accessActor, target string) accessReq
	// program: the route is about the target unit's program, so it is
	// tried only at units that have one.
	program bool
	// hides lists text the answer must not show the user: what lies
	// outside their subtree.
	hides func(a accessActor) []string
	// rule asks the access package the question the route asks; the test
	// checks that it answers as may does, so the pages and the one place
	// that holds the rules agree. stateful: the route also refuses for a
	// reason of state (a program that is not derived), so only "may ⇒
	// rule" holds.
	rule     func(e *accessEnv, u user.User, target unit.Unit) error
	stateful bool
}

// accessEnv holds the harness and its state across the table.
type accessEnv struct {
	t       *testing.T
	h       *harness
	s       *store.Store
	admin   *client // an admin of the province: fetches forms and templates
	clients map[string]*client
	seq     int
}

func (e *accessEnv) next() int { e.seq++; return e.seq }

func (e *accessEnv) unit(code string) unit.Unit {
	e.t.Helper()
	u, err := e.s.UnitAt(context.Background(), code, "2024-06-30")
	if err != nil {
		e.t.Fatalf("unit %s: %v", code, err)
	}
	return u
}

// user is a harness user as the store has them.
func (e *accessEnv) user(name string) user.User {
	e.t.Helper()
	u, err := e.s.UserByUsername(context.Background(), name)
	if err != nil {
		e.t.Fatalf("user %s: %v", name, err)
	}
	return u
}

func (e *accessEnv) exec(query string, args ...any) {
	e.t.Helper()
	if _, err := e.s.DB.Exec(query, args...); err != nil {
		e.t.Fatalf("%s: %v", query, err)
	}
}

func (e *accessEnv) count(table string) int {
	e.t.Helper()
	var n int
	if err := e.s.DB.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// writes is how much the store has written: audit entries and changes of
// values. A refused request must leave both as they were.
func (e *accessEnv) writes() [2]int { return [2]int{e.count("audit_log"), e.count("value_changes")} }

// The reports the approval cases act on: the monthly report of 10/2024,
// overdue on 10/12/2024.
const (
	decideForm   = "THANG"
	decidePeriod = "202410"
)

// reportState makes the target's monthly report of 10/2024 stand in st,
// with every report directly below it approved (a report is approved only
// after its children's) and nothing above it approved, no period locked.
func (e *accessEnv) reportState(target string, st submission.Status) {
	e.t.Helper()
	ctx := context.Background()
	e.exec(`DELETE FROM submissions WHERE program = $1 AND form = $2 AND period = $3`, prog, decideForm, decidePeriod)
	e.exec(`DELETE FROM period_locks WHERE period = $1`, decidePeriod)
	if st == submission.None {
		return
	}
	p, err := e.s.Program(ctx, prog)
	if err != nil {
		e.t.Fatal(err)
	}
	per, _ := period.Parse(decidePeriod)
	at := time.Date(2024, 11, 3, 2, 0, 0, 0, time.UTC)
	report := func(u unit.Unit, st submission.Status) submission.Submission {
		sub := submission.Submission{Program: prog, Form: decideForm, Unit: u, Period: per, Status: st,
			Narrative: "Tình hình ổn định.", Deadline: "2024-11-05", SubmittedAt: at, SubmittedBy: "canbo", OnTime: true}
		if st == submission.Approved {
			sub.DecidedAt, sub.DecidedBy = at, "lanhdao"
		}
		return sub
	}
	u := e.unit(target)
	if !form.Submits(u.Kind) {
		return // the central committee: it sends no report to anyone
	}
	subs := []submission.Submission{report(u, st)}
	kids, err := e.s.Children(ctx, u, "2024-10-31")
	if err != nil {
		e.t.Fatal(err)
	}
	for _, k := range kids {
		if k.Kind != unit.ResidentialArea {
			subs = append(subs, report(k, submission.Approved))
		}
	}
	if err := e.s.ImportSubmissions(ctx, storetest.Actor, p, subs); err != nil {
		e.t.Fatal(err)
	}
}

// dropProgram deletes a derived program nothing derives from.
func (e *accessEnv) dropProgram(code string) {
	e.exec(`DELETE FROM program_thresholds WHERE program = $1`, code)
	e.exec(`DELETE FROM derived_programs WHERE code = $1`, code)
	e.exec(`DELETE FROM programs WHERE code = $1`, code)
}

// derivePrograms derives, where missing, the programs of 213, 215 and of
// 213's communes 07201 and 07207.
func (e *accessEnv) derivePrograms() {
	e.t.Helper()
	ctx := context.Background()
	for _, code := range []string{"213", "215", "07201", "07207"} {
		if _, err := e.s.Program(ctx, programOf[code]); err == nil {
			continue
		}
		u := e.unit(code)
		if _, err := e.s.DeriveProgram(ctx, storetest.Actor, programOf[around[code].parent], u, "Ủy ban MTTQ "+u.Name); err != nil {
			e.t.Fatal(err)
		}
	}
}

// send makes the request in the user's browser.
func (e *accessEnv) send(c *client, r accessReq) (int, string) {
	e.t.Helper()
	switch {
	case r.method == http.MethodGet:
		return c.get(r.path)
	case r.file != nil:
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		form := r.form
		if form.Get("csrf") == "" {
			form.Set("csrf", c.csrf)
		}
		for k, vs := range form {
			for _, v := range vs {
				mw.WriteField(k, v)
			}
		}
		fw, _ := mw.CreateFormFile("file", "bieu.xlsx")
		fw.Write(r.file)
		mw.Close()
		req, err := http.NewRequest(http.MethodPost, e.h.URL+r.path, &buf)
		if err != nil {
			e.t.Fatal(err)
		}
		req.Header.Set("Content-Type", mw.FormDataContentType())
		return c.do(req)
	}
	return c.post(r.path, r.form)
}

// Who may: rel is own and the role is one of roles.
func roles(rs ...user.Role) func(accessActor, relation, string) bool {
	return func(a accessActor, rel relation, _ string) bool {
		return (rel == ownUnit || rel == noUnit) && slices.Contains(rs, a.role)
	}
}

var (
	everyone   = roles(user.Admin, user.Leader, user.Officer, user.Viewer)
	writers    = roles(user.Admin, user.Officer)
	approvers  = roles(user.Admin, user.Leader)
	adminsOnly = roles(user.Admin)
	public     = func(accessActor, relation, string) bool { return true }
)

func get(path string) func(*accessEnv, accessActor, string) accessReq {
	return func(_ *accessEnv, _ accessActor, target string) accessReq {
		return accessReq{method: http.MethodGet, path: strings.ReplaceAll(path, "UNIT", target)}
	}
}

func post(path string, form url.Values) func(*accessEnv, accessActor, string) accessReq {
	return func(_ *accessEnv, _ accessActor, target string) accessReq {
		f := url.Values{}
		for k, vs := range form {
			for _, v := range vs {
				f.Add(k, strings.ReplaceAll(v, "UNIT", target))
			}
		}
		return accessReq{method: http.MethodPost, path: strings.ReplaceAll(path, "UNIT", target), form: f}
	}
}

// decision is an approver's action on the target's monthly report, in the
// state the action needs.
func decision(action string, st submission.Status) func(*accessEnv, accessActor, string) accessReq {
	return func(e *accessEnv, _ accessActor, target string) accessReq {
		e.reportState(target, st)
		return accessReq{method: http.MethodPost, path: decidePath(decideForm, target, decidePeriod, action),
			form: url.Values{"reason": {"Bổ sung số liệu tháng"}}}
	}
}

// mayDecide: a leader or admin above the unit (submission.CanApprove; the
// seed's owner, the province, approves its own report).
func mayDecide(a accessActor, rel relation, target string) bool {
	return rel == ownUnit && (a.role == user.Admin || a.role == user.Leader) && (a.unit != target || target == "24")
}

// targetUser is the account at a unit that the user pages act on.
func targetUser(code string) string { return "nguoi." + strings.ToLower(code) }

// outsideUsers are the target accounts outside the user's subtree.
func outsideUsers(a accessActor) []string {
	var out []string
	for code := range around {
		if !inSubtreeOf(code, a.unit) {
			out = append(out, targetUser(code))
		}
	}
	return out
}

func inSubtreeOf(code, root string) bool {
	for x := code; x != ""; x = around[x].parent {
		if x == root {
			return true
		}
	}
	return false
}

var valueField = regexp.MustCompile(`^v:CT1_CTV:`)

// Rules of the access package, as the routes ask them.
var (
	seeRule    = access.See
	enterRule  = access.EnterValues
	decideRule = func(u user.User, x unit.Unit) error { _, err := access.DecideReport(u, x, "24"); return err }
	usersRule  = func(u user.User, _ unit.Unit) error { return access.ManageUsers(u, unit.Unit{}) }
	noRule     = func(user.User, unit.Unit) error { return nil }
)

// The program rules: whether a visitor reads the target's program, and
// whether a user reads a derived one.
var (
	publicProgramRule = func(e *accessEnv, _ user.User, target unit.Unit) error {
		code := programOf[target.Code]
		if code == "" {
			code = prog
		}
		return access.PublicProgram(e.program(code))
	}
	readDerivedRule = func(e *accessEnv, u user.User, target unit.Unit) error {
		return access.ReadProgramOf(u, e.program(programOf[target.Code]), target)
	}
)

// program is a stored program.
func (e *accessEnv) program(code string) *program.Program {
	e.t.Helper()
	p, err := e.s.Program(context.Background(), code)
	if err != nil {
		e.t.Fatalf("program %s: %v", code, err)
	}
	return p
}

// tokensRule: an admin, managing the tokens of the target's user.
var tokensRule = func(e *accessEnv, u user.User, x unit.Unit) error {
	if err := access.ManageUsers(u, unit.Unit{}); err != nil {
		return err
	}
	return access.ManageTokens(u, e.user(targetUser(x.Code)))
}

// token issues a token to the named user and returns its id.
func (e *accessEnv) token(name string) int64 {
	e.t.Helper()
	_, t, err := e.s.IssueToken(context.Background(), storetest.Actor, e.user(name), fmt.Sprintf("Thử %d", e.next()), time.Time{})
	if err != nil {
		e.t.Fatal(err)
	}
	return t.ID
}

var calendarRule = func(u user.User, _ unit.Unit) error { return access.EditCalendar(u) }

var reassignRule = func(u user.User, _ unit.Unit) error { return access.EditReassignRules(u) }

// calendarEditors: the province's admin (the harness has none at the centre).
func calendarEditors(a accessActor, rel relation, target string) bool {
	return rel == noUnit && a.role == user.Admin && a.unit == "24"
}

// r is a rule that needs nothing of the test's state.
func r(f func(user.User, unit.Unit) error) func(*accessEnv, user.User, unit.Unit) error {
	return func(_ *accessEnv, u user.User, x unit.Unit) error { return f(u, x) }
}

func accessCases() []accessCase {
	programPath := func(target string) string { return "/cascade/programs/" + url.PathEscape(programOf[target]) }
	mayEditProgram := func(a accessActor, rel relation, target string) bool {
		// The unit's own leaders and admins; the seed (the province's) is
		// not a derived program and is edited by import only.
		return approvers(a, rel, target) && target == a.unit && target != "24"
	}
	return append([]accessCase{
		// Public pages.
		{route: "GET /{$}", rule: r(noRule), public: true, may: public, req: get("/?unit=UNIT")},
		{route: "GET /login", rule: r(noRule), public: true, unitless: true, may: public, req: get("/login")},
		{route: "POST /login", rule: r(noRule), public: true, unitless: true, may: public, req: func(e *accessEnv, a accessActor, _ string) accessReq {
			c := e.h.anonymous()
			c.get("/login")
			name := a.name
			if name == "" {
				name = "admin.tinh"
			}
			return accessReq{method: http.MethodPost, path: "/login", client: c, form: url.Values{"username": {name}, "password": {testPassword}}}
		}},

		{route: "GET /public/children", rule: r(noRule), public: true, may: public, req: get("/public/children?unit=UNIT"),
			// The public table leaves out residential areas.
			hides: func(accessActor) []string { return []string{"Tổ dân phố"} }},
		{route: "GET /public/program", rule: r(noRule), public: true, may: public, req: get("/public/program?unit=UNIT")},
		// The published (root) program only: a unit's derived program is
		// its committee's working document, not public (access.PublicProgram).
		{route: "GET /public/program/{code}", rule: publicProgramRule, public: true, may: func(_ accessActor, _ relation, target string) bool {
			return programOf[target] == "" || programOf[target] == prog
		}, req: func(_ *accessEnv, _ accessActor, target string) accessReq {
			code := programOf[target]
			if code == "" {
				code = prog
			}
			return accessReq{method: http.MethodGet, path: "/public/program/" + url.PathEscape(code) + "?unit=" + target}
		}},
		{route: "GET /{$}", rule: publicProgramRule, public: true, may: func(_ accessActor, _ relation, target string) bool {
			return programOf[target] == "" || programOf[target] == prog
		}, req: func(_ *accessEnv, _ accessActor, target string) accessReq {
			code := programOf[target]
			if code == "" {
				code = prog
			}
			return accessReq{method: http.MethodGet, path: "/?program=" + url.PathEscape(code)}
		}},

		// A unit's home page, its children table, the program with the
		// unit's figures.
		{route: "GET /home", rule: r(seeRule), may: everyone, req: get("/home?unit=UNIT")},
		{route: "GET /home/children", rule: r(seeRule), may: everyone, req: get("/home/children?unit=UNIT")},
		{route: "GET /program", rule: r(seeRule), may: everyone, req: get("/program?unit=UNIT")},
		{route: "GET /program/{code}", rule: r(seeRule), may: everyone, req: get("/program/" + prog + "?unit=UNIT")},
		// A unit's derived program, read as at /cascade/programs/{code}: by
		// its owner's subtree and the levels above (access.ReadProgramOf).
		{route: "GET /program/{code}", rule: readDerivedRule, program: true, may: func(a accessActor, rel relation, target string) bool {
			return rel == ownUnit || rel == parentUnit
		}, req: func(_ *accessEnv, a accessActor, target string) accessReq {
			return accessReq{method: http.MethodGet, path: "/program/" + url.PathEscape(programOf[target]) + "?unit=" + a.unit}
		}},
		{route: "GET /home", rule: readDerivedRule, program: true, may: func(a accessActor, rel relation, target string) bool {
			return rel == ownUnit || rel == parentUnit
		}, req: func(_ *accessEnv, a accessActor, target string) accessReq {
			return accessReq{method: http.MethodGet, path: "/home?program=" + url.PathEscape(programOf[target]) + "&unit=" + a.unit}
		}},

		// The user's own account.
		{route: "POST /logout", rule: r(noRule), unitless: true, may: everyone, req: func(e *accessEnv, a accessActor, _ string) accessReq {
			r := accessReq{method: http.MethodPost, path: "/logout"}
			if a.name != "" {
				r.client = e.h.login(a.name)
			}
			return r
		}},
		{route: "GET /account/password", rule: r(noRule), unitless: true, may: everyone, req: get("/account/password")},
		{route: "POST /account/password", rule: r(noRule), unitless: true, may: everyone, req: post("/account/password",
			url.Values{"current": {testPassword}, "password": {testPassword}, "confirm": {testPassword}})},

		// Data entry.
		{route: "GET /entry", rule: r(seeRule), unitless: true, may: everyone, req: get("/entry")},
		{route: "GET /entry/{program}/{form}/{unit}/{period}", rule: r(seeRule), may: everyone, req: get(formPath("NAM", "UNIT", "2024"))},
		{route: "POST /entry/{program}/{form}/{unit}/{period}", rule: r(enterRule), may: writers, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			path := formPath("NAM", target, "2023")
			_, page := e.admin.get(path)
			form := formValues(page, nil)
			form.Set("v:CT1_CTV:"+target, strconv.Itoa(e.next()))
			form.Set("action", "save")
			return accessReq{method: http.MethodPost, path: path, form: form}
		}},
		// Sending a report: its own unit's officers and leaders, an admin
		// for any unit of their subtree (submission.CanSubmit).
		{route: "POST /entry/{program}/{form}/{unit}/{period}", rule: r(access.SendReport), may: func(a accessActor, rel relation, target string) bool {
			return rel == ownUnit && (a.role == user.Admin || (a.role == user.Officer || a.role == user.Leader) && a.unit == target)
		}, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			// An officer wrote the report; a leader sends it as it is.
			const text = "Tình hình nhân dân ổn định."
			e.exec(`DELETE FROM submissions WHERE program = $1 AND form = 'THANG' AND period = '202411' AND unit_id = $2`, prog, e.unit(target).ID)
			p, err := e.s.Program(context.Background(), prog)
			if err != nil {
				e.t.Fatal(err)
			}
			nov, _ := period.Parse("202411")
			if err := e.s.ImportSubmissions(context.Background(), storetest.Actor, p, []submission.Submission{{Program: prog, Form: "THANG",
				Unit: e.unit(target), Period: nov, Status: submission.Draft, Narrative: text}}); err != nil {
				e.t.Fatal(err)
			}
			return accessReq{method: http.MethodPost, path: formPath("THANG", target, "202411"),
				form: url.Values{"narrative": {text}, "narrative_loaded": {text}, "action": {"submit"}}}
		}},

		// Approval, level by level.
		{route: "GET /submissions", rule: r(seeRule), may: everyone, req: get("/submissions?form=THANG&period=202410&unit=UNIT")},
		{route: "POST /submissions/{program}/{form}/{unit}/{period}/approve", rule: r(decideRule), below: true, may: mayDecide, req: decision("approve", submission.Submitted)},
		{route: "POST /submissions/{program}/{form}/{unit}/{period}/return", rule: r(decideRule), below: true, may: mayDecide, req: decision("return", submission.Submitted)},
		{route: "POST /submissions/{program}/{form}/{unit}/{period}/reopen", rule: r(decideRule), below: true, may: mayDecide, req: decision("reopen", submission.Approved)},
		// Several reports at once: the same rule as one, for each ticked.
		{route: "POST /submissions/approve-selected", rule: r(decideRule), below: true, may: mayDecide, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			e.reportState(target, submission.Submitted)
			return accessReq{method: http.MethodPost, path: "/submissions/approve-selected",
				form: url.Values{"form": {decideForm}, "period": {decidePeriod}, "unit": {target}, "pick": {target}, "reason": {"Thay cấp trên"}}}
		}},
		// Late and missing units: whoever sees the unit.
		{route: "GET /submissions/late", rule: r(seeRule), may: everyone, req: get("/submissions/late?form=THANG&period=202410&unit=UNIT")},
		// Reminders: anyone but a viewer, to a unit strictly below.
		{route: "POST /submissions/{program}/{form}/{unit}/{period}/remind", rule: r(access.Remind), below: true, may: func(a accessActor, rel relation, target string) bool {
			return rel == ownUnit && a.role != user.Viewer && a.unit != target
		}, req: decision("remind", submission.None)},
		{route: "POST /submissions/remind-overdue", rule: r(func(u user.User, x unit.Unit) error {
			if u.Role == user.Viewer {
				return access.Remind(u, x)
			}
			return access.See(u, x)
		}), may: roles(user.Admin, user.Leader, user.Officer), req: func(e *accessEnv, a accessActor, target string) accessReq {
			e.reportState(target, submission.None) // every unit is overdue
			return post("/submissions/remind-overdue", url.Values{"form": {decideForm}, "period": {decidePeriod}, "unit": {"UNIT"}})(e, a, target)
		}},
		// Deadlines: the admins above the program's owner (the province).
		{route: "POST /submissions/deadline", rule: func(e *accessEnv, u user.User, x unit.Unit) error {
			if err := access.See(u, x); err != nil {
				return err
			}
			return access.SetDeadline(u, e.unit("24")) // the program's owner
		}, may: func(a accessActor, rel relation, target string) bool {
			return adminsOnly(a, rel, target) && a.unit == "24"
		}, req: post("/submissions/deadline", url.Values{"form": {decideForm}, "period": {"202412"}, "unit": {"UNIT"}, "kind": {"commune"}, "deadline": {"06/01/2025"}})},

		// Excel.
		{route: "GET /excel", rule: r(seeRule), may: everyone, req: get("/excel?form=NAM&period=2023&unit=UNIT")},
		{route: "GET /excel/template", rule: r(seeRule), may: everyone, req: get("/excel/template?form=NAM&period=2023&unit=UNIT")},
		{route: "POST /excel/upload", rule: r(enterRule), may: writers, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			q := "form=NAM&period=2023&unit=" + target
			status, body := e.admin.get("/excel/template?" + q)
			if status != http.StatusOK {
				body = "không phải tệp Excel" // the central committee's: no one here may read it
			}
			form, _ := url.ParseQuery(q)
			return accessReq{method: http.MethodPost, path: "/excel/upload", form: form, file: []byte(body)}
		}},

		// A file waiting in the import queue: its sender's alone.
		{route: "GET /excel/imports/{id}", rule: r(noRule), unitless: true, may: everyone, req: func(e *accessEnv, a accessActor, _ string) accessReq {
			owner := int64(-1)
			if a.name != "" {
				owner = e.user(a.name).ID
			}
			job, err := e.h.Import.Submit(context.Background(), owner, "Excel thu.xlsx", "/excel?form=NAM&period=2023&unit=24", func(context.Context) (value.Summary, error) {
				return value.Summary{Imported: 1}, nil
			})
			if err != nil {
				e.t.Fatal(err)
			}
			<-job.Done()
			return accessReq{method: http.MethodGet, path: "/excel/imports/" + job.ID}
		}},

		// The consolidated report.
		{route: "GET /report", rule: r(seeRule), may: everyone, req: get("/report?period=2023&unit=UNIT")},
		// Writing a report's assessment, number and signer: its own unit's
		// officers and leaders, an admin for any unit of their subtree.
		{route: "POST /report/texts", rule: r(access.WriteReport), may: func(a accessActor, rel relation, target string) bool {
			return rel == ownUnit && (a.role == user.Admin || (a.role == user.Officer || a.role == user.Leader) && a.unit == target)
		}, req: post("/report/texts", url.Values{"unit": {"UNIT"}, "period": {"2023"}, "highlights": {"Kết quả nổi bật"}})},

		// Programs of the lower levels. A program is read by its owner's
		// subtree and by the units below the owner, which derive from it.
		{route: "GET /cascade", rule: r(seeRule), may: everyone, req: get("/cascade?unit=UNIT")},
		// The province's leaders may too, but theirs is the root: nothing
		// above to derive from (400).
		{route: "POST /cascade/derive", rule: r(func(u user.User, _ unit.Unit) error { return access.DeriveProgram(u, u.Unit) }), unitless: true, may: approvers, req: func(e *accessEnv, a accessActor, _ string) accessReq {
			r := accessReq{method: http.MethodPost, path: "/cascade/derive", form: url.Values{"program": {prog}}}
			if a.unit == "07201" { // a leaf: derive it afresh, and restore it afterwards
				e.dropProgram(programOf["07201"])
				r.after = e.derivePrograms
			}
			return r
		}},
		{route: "GET /cascade/programs/{code}", rule: r(access.ReadProgram), program: true, may: func(a accessActor, rel relation, target string) bool {
			return rel == ownUnit || rel == parentUnit
		}, req: func(_ *accessEnv, _ accessActor, target string) accessReq {
			return accessReq{method: http.MethodGet, path: programPath(target)}
		}},
		{route: "POST /cascade/programs/{code}", rule: r(access.EditProgram), stateful: true, program: true, may: mayEditProgram, req: func(_ *accessEnv, _ accessActor, target string) accessReq {
			return accessReq{method: http.MethodPost, path: programPath(target), form: url.Values{"name": {"Chương trình hành động của đơn vị " + target}}}
		}},
		{route: "POST /cascade/programs/{code}/tasks", rule: r(access.EditProgram), stateful: true, program: true, may: mayEditProgram, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			return accessReq{method: http.MethodPost, path: programPath(target) + "/tasks",
				form: url.Values{"subprogram": {"CT1"}, "text": {fmt.Sprintf("Nhiệm vụ riêng số %d", e.next())}}}
		}},
		{route: "POST /cascade/programs/{code}/tasks/delete", rule: r(access.EditProgram), stateful: true, program: true, may: mayEditProgram, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			text := fmt.Sprintf("Nhiệm vụ để xóa số %d", e.next())
			index := 0
			if target != "24" {
				err := e.s.UpdateProgram(context.Background(), storetest.Actor, programOf[target], func(p *program.Program) error {
					p.Tasks = append(p.Tasks, program.OwnTask{Subprogram: "CT1", Text: text})
					index = len(p.Tasks) - 1
					return nil
				})
				if err != nil {
					e.t.Fatal(err)
				}
			}
			return accessReq{method: http.MethodPost, path: programPath(target) + "/tasks/delete", form: url.Values{"index": {strconv.Itoa(index)}, "text": {text}}}
		}},
		{route: "GET /cascade/quotas", rule: r(seeRule), may: everyone, req: get("/cascade/quotas?target=T2.1&period=2024&unit=UNIT")},
		{route: "POST /cascade/quotas", rule: r(access.SetQuotas), may: approvers, req: func(e *accessEnv, a accessActor, target string) accessReq {
			r := post("/cascade/quotas", url.Values{"program": {prog}, "target": {"T2.1"}, "period": {"2024"}, "unit": {"UNIT"}})(e, a, target)
			if kid := around[target].child; kid != "" && !strings.HasPrefix(kid, "KDC") {
				r.form.Set("q-"+kid, strconv.Itoa(1_000_000_000+e.next()))
			}
			return r
		}},

		// The audit log: admins and leaders, of their subtree.
		{route: "GET /audit", rule: r(access.ReadAudit), may: approvers, req: get("/audit?unit=UNIT"), hides: outsideUsers},

		// The working-day calendar: everyone reads; a province's admin
		// (or the centre's) enters the Government's decisions.
		{route: "GET /calendar", unitless: true, rule: r(noRule), may: everyone, req: get("/calendar?year=2025")},
		{route: "POST /calendar", unitless: true, rule: r(calendarRule), may: calendarEditors, req: post("/calendar",
			url.Values{"date": {"26/04/2025"}, "kind": {"work"}, "name": {"Làm bù cho ngày 02/5/2025"}})},
		{route: "POST /calendar/delete", unitless: true, rule: r(calendarRule), may: calendarEditors, req: func(e *accessEnv, _ accessActor, _ string) accessReq {
			d := calendar.MustParseDate("2025-05-02")
			if err := e.s.SetCalendarDay(context.Background(), storetest.Actor, calendar.Override{Date: d, Kind: calendar.DayOff, Name: "Nghỉ bù"}); err != nil {
				e.t.Fatal(err)
			}
			return accessReq{method: http.MethodPost, path: "/calendar/delete", form: url.Values{"date": {"2025-05-02"}},
				after: func() { e.exec(`DELETE FROM calendar_days WHERE day = '2025-05-02'`) }}
		}},

		// The rules by which a split unit's figures are shared out:
		// everyone reads; a province's admin declares (national, like the
		// elements).
		{route: "GET /reassign", unitless: true, rule: r(noRule), may: everyone, req: get("/reassign")},
		{route: "POST /reassign", unitless: true, rule: r(reassignRule), may: calendarEditors, req: func(e *accessEnv, _ accessActor, _ string) accessReq {
			return accessReq{method: http.MethodPost, path: "/reassign", form: url.Values{"element": {"CT2_QUY_VNN"}, "rule": {"largest"}},
				after: func() { e.exec(`DELETE FROM reassign_rules`) }}
		}},

		// Users: the admins of a subtree manage its users.
		{route: "GET /users", rule: r(usersRule), unitless: true, may: adminsOnly, req: get("/users"), hides: outsideUsers},
		{route: "GET /users/new", rule: r(usersRule), unitless: true, may: adminsOnly, req: get("/users/new")},
		{route: "POST /users", rule: r(access.ManageUsers), may: adminsOnly, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			return accessReq{method: http.MethodPost, path: "/users", form: url.Values{"username": {fmt.Sprintf("moi.%d", e.next())},
				"full_name": {"Người mới"}, "role": {"viewer"}, "unit": {target}}}
		}},
		{route: "GET /users/{username}", rule: r(access.ManageUsers), may: adminsOnly, req: func(_ *accessEnv, _ accessActor, target string) accessReq {
			return accessReq{method: http.MethodGet, path: "/users/" + targetUser(target)}
		}},
		{route: "POST /users/{username}", rule: r(access.ManageUsers), may: adminsOnly, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			return accessReq{method: http.MethodPost, path: "/users/" + targetUser(target),
				form: url.Values{"full_name": {fmt.Sprintf("%s %s (%d)", secretFullName, target, e.next())}, "role": {"viewer"}, "unit": {target}}}
		}},
		{route: "POST /users/{username}/disable", rule: r(access.ManageUsers), may: adminsOnly, req: func(_ *accessEnv, _ accessActor, target string) accessReq {
			return accessReq{method: http.MethodPost, path: "/users/" + targetUser(target) + "/disable"}
		}},
		{route: "POST /users/{username}/enable", rule: r(access.ManageUsers), may: adminsOnly, req: func(_ *accessEnv, _ accessActor, target string) accessReq {
			return accessReq{method: http.MethodPost, path: "/users/" + targetUser(target) + "/enable"}
		}},
		{route: "POST /users/{username}/password", rule: r(access.ManageUsers), may: adminsOnly, req: func(_ *accessEnv, _ accessActor, target string) accessReq {
			return accessReq{method: http.MethodPost, path: "/users/" + targetUser(target) + "/password", form: url.Values{"revoke_tokens": {"1"}}}
		}},

		// API tokens: everyone their own (/account); an admin those of the
		// users of their subtree.
		{route: "GET /account", rule: r(noRule), unitless: true, may: everyone, req: get("/account")},
		{route: "POST /account/tokens", rule: r(noRule), unitless: true, may: everyone, req: post("/account/tokens", url.Values{"name": {"Đồng bộ"}, "days": {"30"}})},
		{route: "POST /account/tokens/{id}/revoke", rule: r(noRule), unitless: true, may: everyone, req: func(e *accessEnv, a accessActor, _ string) accessReq {
			name := a.name
			if name == "" {
				name = "admin.tinh" // a visitor tries to revoke someone's token
			}
			return accessReq{method: http.MethodPost, path: fmt.Sprintf("/account/tokens/%d/revoke", e.token(name))}
		}},
		{route: "POST /users/{username}/tokens", rule: tokensRule, may: adminsOnly, req: func(_ *accessEnv, _ accessActor, target string) accessReq {
			return accessReq{method: http.MethodPost, path: "/users/" + targetUser(target) + "/tokens", form: url.Values{"name": {"Máy chủ DHIS2"}, "days": {"0"}}}
		}},
		{route: "POST /users/{username}/tokens/{id}/revoke", rule: tokensRule, may: adminsOnly, req: func(e *accessEnv, _ accessActor, target string) accessReq {
			return accessReq{method: http.MethodPost, path: fmt.Sprintf("/users/%s/tokens/%d/revoke", targetUser(target), e.token(targetUser(target)))}
		}},
	}, slices.Concat(caseAccessCases(), evaluationAccessCases(), fundAccessCases())...)
}

// TestAccess walks every route with every harness user at their own unit,
// a sibling and the parent: allowed exactly where the unit is in the
// user's subtree and the role may; refused with 403 (or 404) and nothing
// written everywhere else; a visitor who has not signed in is sent to the
// sign-in page.
func TestAccess(t *testing.T) {
	storetest.ForEach(t, testAccess)
}

func testAccess(t *testing.T, s *store.Store) {
	h := newHarness(t, s)
	e := &accessEnv{t: t, h: h, s: s, clients: map[string]*client{}}
	ctx := context.Background()
	e.derivePrograms()
	for code := range around {
		if _, err := s.CreateUser(ctx, storetest.Actor, store.NewUser{Username: targetUser(code), FullName: secretFullName + " " + code,
			Role: user.Viewer, Unit: e.unit(code), Password: testPassword}); err != nil {
			t.Fatal(err)
		}
	}
	// A private report text, which no public page may show.
	p, err := s.Program(ctx, prog)
	if err != nil {
		t.Fatal(err)
	}
	sep, _ := period.Parse("202409")
	if err := s.ImportSubmissions(ctx, storetest.Actor, p, []submission.Submission{{Program: prog, Form: "THANG", Unit: e.unit("07201"), Period: sep,
		Status: submission.Submitted, Narrative: secretNarrative, Deadline: "2024-10-05", SubmittedAt: h.now, SubmittedBy: "canbo.xa"}}); err != nil {
		t.Fatal(err)
	}
	var actors []accessActor
	for _, u := range harnessUsers {
		actors = append(actors, accessActor{u.name, u.role, u.unit})
		e.clients[u.name] = h.login(u.name)
	}
	// The test's own eyes: an admin of the province who is none of the
	// actors, so that no case signs them out.
	if _, err := s.CreateUser(ctx, storetest.Actor, store.NewUser{Username: "soat.tinh", FullName: "Kiểm tra", Role: user.Admin, Unit: e.unit("24"), Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	e.admin = h.login("soat.tinh")

	cases := accessCases()
	covered := map[string]bool{}
	for _, c := range cases {
		covered[c.route] = true
	}
	for _, rt := range (&web.Web{}).Routes() {
		if !covered[rt.Pattern] {
			t.Errorf("route %s has no access case: add one to accessCases", rt.Pattern)
		}
		if covered[rt.Pattern] && slices.ContainsFunc(cases, func(c accessCase) bool { return c.route == rt.Pattern && c.public != rt.Public }) {
			t.Errorf("route %s: the table says public=%v, the route %v", rt.Pattern, !rt.Public, rt.Public)
		}
	}

	start := time.Now()
	checked := 0
	for _, c := range cases {
		for _, a := range actors {
			type place struct {
				rel    relation
				target string
			}
			var places []place
			if c.unitless {
				places = []place{{noUnit, a.unit}}
			} else {
				own := a.unit
				if c.below && !strings.HasPrefix(around[a.unit].child, "KDC") {
					own = around[a.unit].child
				}
				places = append(places, place{ownUnit, own})
				if x := around[a.unit].sibling; x != "" {
					places = append(places, place{siblingUnit, x})
				}
				if x := around[a.unit].parent; x != "" {
					places = append(places, place{parentUnit, x})
				}
				if c.program {
					places = slices.DeleteFunc(places, func(p place) bool { return programOf[p.target] == "" })
				}
			}
			for _, pl := range places {
				checked++
				r := c.req(e, a, pl.target)
				cl := e.clients[a.name]
				if r.client != nil {
					cl = r.client
				}
				before := e.writes()
				status, body := e.send(cl, r)
				what := fmt.Sprintf("%s %s %s on %s %s", a, r.method, r.path, pl.rel, pl.target)
				if c.rule == nil {
					t.Errorf("route %s has no access rule in the table", c.route)
				} else if ruled, may := c.rule(e, e.user(a.name), e.unit(pl.target)) == nil, c.may(a, pl.rel, pl.target); ruled != may && (!c.stateful || may) {
					t.Errorf("%s: the access package says allowed=%v, the table %v", what, ruled, may)
				}
				switch allowed := c.may(a, pl.rel, pl.target); {
				case allowed && (status == 401 || status == 403 || status == 404 || status >= 500):
					t.Errorf("%s: got %d, want it allowed\n%s", what, status, excerpt(body))
				case !allowed && status != 403 && status != 404:
					t.Errorf("%s: got %d, want 403\n%s", what, status, excerpt(body))
				case !allowed && r.method == http.MethodPost && e.writes() != before:
					t.Errorf("%s: refused with %d, yet the store wrote (audit entries, value changes) %v → %v", what, status, before, e.writes())
				}
				if c.hides != nil && status == http.StatusOK {
					for _, x := range c.hides(a) {
						if strings.Contains(body, x) {
							t.Errorf("%s: the page shows %q, outside the user's subtree", what, x)
						}
					}
				}
				if r.after != nil {
					r.after()
				}
				if c.public && (strings.Contains(body, secretNarrative) || strings.Contains(body, secretFullName)) {
					t.Errorf("%s: a public page shows private data", what)
				}
			}
		}

		// A visitor who has not signed in.
		checked++
		target := "24"
		if c.below {
			target = "213"
		}
		r := c.req(e, accessActor{unit: "24"}, target)
		cl := h.anonymous()
		if r.client != nil {
			cl = r.client
		}
		before := e.writes()
		status, body := e.send(cl, r)
		what := fmt.Sprintf("a visitor (not signed in) %s %s", r.method, r.path)
		switch {
		case c.public && status != http.StatusOK && status != http.StatusSeeOther:
			t.Errorf("%s: got %d, want 200 or 303\n%s", what, status, excerpt(body))
		case c.public:
			if strings.Contains(body, secretNarrative) || strings.Contains(body, secretFullName) {
				t.Errorf("%s: a public page shows private data", what)
			}
		case r.method == http.MethodGet && (status != http.StatusSeeOther || !strings.Contains(body, `href="/login?next=`)):
			t.Errorf("%s: got %d, want 303 to /login\n%s", what, status, excerpt(body))
		case r.method == http.MethodPost && status != http.StatusUnauthorized && status != http.StatusForbidden:
			t.Errorf("%s: got %d, want 401 or 403\n%s", what, status, excerpt(body))
		case r.method == http.MethodPost && e.writes() != before:
			t.Errorf("%s: refused, yet the store wrote", what)
		}
		if r.after != nil {
			r.after()
		}

		// A form posted from another site: the province's admin's browser,
		// without the session's CSRF token.
		if c.public || r.method != http.MethodPost {
			continue
		}
		checked++
		r = c.req(e, accessActor{"admin.tinh", user.Admin, "24"}, target)
		if r.form == nil {
			r.form = url.Values{}
		}
		r.form.Set("csrf", "gia-mao")
		cl = e.clients["admin.tinh"]
		if r.client != nil {
			cl = r.client
		}
		before = e.writes()
		if status, body := e.send(cl, r); status != http.StatusForbidden || e.writes() != before {
			t.Errorf("admin.tinh %s %s with a forged CSRF token: got %d (writes %v → %v), want 403 and nothing written\n%s", r.method, r.path, status, before, e.writes(), excerpt(body))
		}
		if r.after != nil {
			r.after()
		}
	}

	// Quotas at a unit without a program of the family (commune 07210 of
	// district 213): a role that may not assign is refused as such.
	for _, who := range []string{"xem.tinh", "canbo.huyen"} {
		before := e.writes()
		status, body := e.clients[who].post("/cascade/quotas", url.Values{"program": {prog}, "target": {"T2.1"}, "period": {"2024"}, "unit": {"07210"}})
		if status != http.StatusForbidden || e.writes() != before {
			t.Errorf("%s POST /cascade/quotas at 07210 (no program): got %d, want 403\n%s", who, status, excerpt(body))
		}
	}
	t.Logf("%d cases (%d routes) × %d users × own/sibling/parent, and a visitor: %d requests in %v", len(cases), len(covered), len(actors), checked, time.Since(start).Round(time.Millisecond))
}
