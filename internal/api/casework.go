package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"mattran/internal/access"
	"mattran/internal/calendar"
	"mattran/internal/casework"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// Casework's API: take in a case, read one, list a subtree's (overdue
// ones first when asked), and one call per action: forward, answer,
// remind, escalate.

const maxCaseBody = 1 << 20

type petitionerJSON struct {
	Name      string `json:"name"`
	IDNumber  string `json:"idNumber,omitempty"`
	Address   string `json:"address,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Group     bool   `json:"group,omitempty"`
	Members   int    `json:"members,omitempty"`
	Anonymous bool   `json:"anonymous,omitempty"`
}

type caseIn struct {
	Kind        string           `json:"kind"`
	Unit        string           `json:"unit"`
	Received    string           `json:"received"`
	Channel     string           `json:"channel"`
	Field       string           `json:"field"`
	Title       string           `json:"title"`
	Content     string           `json:"content"`
	Complex     bool             `json:"complex"`
	Remote      bool             `json:"remote"`
	Petitioners []petitionerJSON `json:"petitioners"`
}

// fields writes the case as the intake form's fields, so the API and the
// pages go through one validation (casework.ParseIntake).
func (c caseIn) fields() url.Values {
	v := url.Values{"kind": {c.Kind}, "unit": {c.Unit}, "received": {c.Received}, "channel": {c.Channel}, "field": {c.Field},
		"title": {c.Title}, "content": {c.Content}}
	if c.Complex {
		v.Set("complex", "1")
	}
	if c.Remote {
		v.Set("remote", "1")
	}
	for i, p := range c.Petitioners {
		n := strconv.Itoa(i + 1)
		v.Set("name_"+n, p.Name)
		v.Set("id_"+n, p.IDNumber)
		v.Set("address_"+n, p.Address)
		v.Set("phone_"+n, p.Phone)
		if p.Group {
			v.Set("group_"+n, "1")
		}
		if p.Members > 0 {
			v.Set("members_"+n, strconv.Itoa(p.Members))
		}
		if p.Anonymous {
			v.Set("anonymous_"+n, "1")
		}
	}
	return v
}

type caseOut struct {
	ID          int64                 `json:"id"`
	Code        string                `json:"code"`
	Kind        string                `json:"kind"`
	KindName    string                `json:"kindName"`
	Unit        string                `json:"unit"`
	UnitName    string                `json:"unitName"`
	Received    string                `json:"received"`
	Channel     string                `json:"channel"`
	Field       string                `json:"field"`
	Title       string                `json:"title"`
	Content     string                `json:"content"`
	Status      string                `json:"status"`
	Due         string                `json:"due,omitempty"`
	DaysLeft    *int                  `json:"daysLeft,omitempty"`
	Overdue     bool                  `json:"overdue"`
	Agency      string                `json:"agency,omitempty"`
	DispatchNo  string                `json:"dispatchNo,omitempty"`
	SentOn      string                `json:"sentOn,omitempty"`
	AnsweredOn  string                `json:"answeredOn,omitempty"`
	InWriting   bool                  `json:"inWriting"`
	Summary     string                `json:"summary,omitempty"`
	Outcome     string                `json:"outcome,omitempty"`
	Published   bool                  `json:"published"`
	Reminders   int                   `json:"reminders"`
	Handler     string                `json:"handler,omitempty"`
	Petitioners []casework.Petitioner `json:"petitioners"`
}

func dayOut(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// caseJSON is a case as u may read it: a protected identity is never
// sent (the API reveals none), and other petitioners' personal data only
// to users of the handling unit's subtree.
func caseJSON(c casework.Case, code string, u user.User, at unit.Unit, today calendar.Date) caseOut {
	o := caseOut{ID: c.ID, Code: c.Code, Kind: string(c.Kind), KindName: c.Kind.Label(), Unit: code, UnitName: c.UnitName,
		Received: c.Received.String(), Channel: string(c.Channel), Field: c.Field, Title: c.Title, Content: c.Content,
		Status: string(c.Status), Due: dayOut(c.Due), Overdue: c.Overdue(today), Agency: c.Agency, DispatchNo: c.DispatchNo,
		SentOn: dayOut(c.SentOn), AnsweredOn: dayOut(c.AnsweredOn), InWriting: c.InWriting, Summary: c.Summary, Outcome: c.Outcome,
		Published: c.Published, Reminders: c.Reminders, Handler: c.Handler, Petitioners: []casework.Petitioner{}}
	if n, ok := c.DaysLeft(today); ok {
		o.DaysLeft = &n
	}
	switch {
	case c.Info().Protected && c.Sealed != nil:
		o.Petitioners = []casework.Petitioner{{Name: casework.Secret}}
	case access.SeePersonal(u, at):
		o.Petitioners = append(o.Petitioners, c.Petitioners...)
	default:
		o.Petitioners = casework.Hidden(c.Petitioners)
	}
	return o
}

func (a *API) today() calendar.Date { return calendar.DateOf(clock.InVietnam(a.Now())) }

func (a *API) createCase(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	var in caseIn
	if err := decodeCaseJSON(w, r, &in, "một vụ việc"); err != nil {
		return err
	}
	at := u.Unit
	if in.Unit != "" {
		var err error
		if at, err = a.Store.UnitAt(r.Context(), in.Unit, a.today().String()); err != nil {
			return err
		}
	}
	if err := access.RecordCase(u, at); err != nil {
		return err
	}
	intake, err := casework.ParseIntake(in.fields())
	if err != nil {
		return err
	}
	var c casework.Case
	err = a.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		var err error
		c, err = casework.Open(r.Context(), tx, u.Actor(), u.Username, at, intake, a.Sealer)
		return err
	})
	if err != nil {
		return err
	}
	c, err = a.Store.Case(r.Context(), c.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, caseJSON(c, at.Code, u, at, a.today()))
}

// caseOf reads the case of the path and its unit, if the user sees it.
func (a *API) caseOf(r *http.Request) (casework.Case, unit.Unit, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return casework.Case{}, unit.Unit{}, errs.New(errs.NotFound, "không có vụ việc %q", r.PathValue("id"))
	}
	c, at, err := a.Store.CaseAt(r.Context(), id)
	if err != nil {
		return c, at, err
	}
	return c, at, access.SeeCases(currentUser(r), at)
}

func (a *API) getCase(w http.ResponseWriter, r *http.Request) error {
	c, at, err := a.caseOf(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, caseJSON(c, at.Code, currentUser(r), at, a.today()))
}

func (a *API) listCases(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	q := r.URL.Query()
	at := u.Unit
	if code := q.Get("unit"); code != "" {
		var err error
		if at, err = a.Store.UnitAt(r.Context(), code, a.today().String()); err != nil {
			return err
		}
	}
	if err := access.SeeCases(u, at); err != nil {
		return err
	}
	f := store.CaseFilter{Path: at.Path, Status: casework.Status(q.Get("status")), Kind: casework.Kind(q.Get("kind")),
		Overdue: q.Get("overdue") == "true" || q.Get("overdue") == "1", Today: a.today()}
	if f.Status != "" && !slicesContains(casework.Statuses, f.Status) {
		return errs.New(errs.Invalid, "status %q không hợp lệ (received, forwarded, answered, guided, filed)", f.Status)
	}
	for k, dst := range map[string]*int{"year": &f.Year, "limit": &f.Limit, "offset": &f.Offset} {
		if v := q.Get(k); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return errs.New(errs.Invalid, "%s %q không hợp lệ", k, v)
			}
			*dst = n
		}
	}
	cs, err := a.Store.Cases(r.Context(), f)
	if err != nil {
		return err
	}
	total, err := a.Store.CountCases(r.Context(), f)
	if err != nil {
		return err
	}
	out := struct {
		Total int       `json:"total"`
		Cases []caseOut `json:"cases"`
	}{Total: total, Cases: []caseOut{}}
	today := a.today()
	ids := make([]int64, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	petitioners, err := a.Store.PetitionersOf(r.Context(), ids)
	if err != nil {
		return err
	}
	units := map[int64]unit.Unit{}
	for _, c := range cs {
		c.Petitioners = petitioners[c.ID]
		cu, ok := units[c.UnitID]
		if !ok {
			if cu, err = a.Store.UnitByID(r.Context(), c.UnitID); err != nil {
				return err
			}
			units[c.UnitID] = cu
		}
		out.Cases = append(out.Cases, caseJSON(c, cu.Code, u, cu, today))
	}
	return writeJSON(w, http.StatusOK, out)
}

func slicesContains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

type actionIn struct {
	On         string `json:"on"`
	Agency     string `json:"agency"`
	DispatchNo string `json:"dispatchNo"`
	InWriting  bool   `json:"inWriting"`
	Summary    string `json:"summary"`
	Outcome    string `json:"outcome"`
	Published  bool   `json:"published"`
	Note       string `json:"note"`
}

// actCase: POST /api/v1/cases/{id}/{action}, action one of forward,
// answer, remind, escalate.
func (a *API) actCase(w http.ResponseWriter, r *http.Request) error {
	name := casework.ActionName(r.PathValue("action"))
	switch name {
	case casework.Forward, casework.Answer, casework.Remind, casework.Escalate:
	default:
		return errs.New(errs.NotFound, "không có thao tác %q (forward, answer, remind, escalate)", name)
	}
	u := currentUser(r)
	c, at, err := a.caseOf(r)
	if err != nil {
		return err
	}
	if err := access.HandleCase(u, at); err != nil {
		return err
	}
	var in actionIn
	if err := decodeCaseJSON(w, r, &in, "một thao tác"); err != nil {
		return err
	}
	act := casework.Action{Name: name, Agency: in.Agency, DispatchNo: in.DispatchNo, InWriting: in.InWriting, Summary: in.Summary,
		Outcome: in.Outcome, Published: in.Published, Note: in.Note}
	if in.On != "" {
		if act.On, err = calendar.ParseDate(in.On); err != nil {
			return errs.New(errs.Invalid, "on %q: ngày phải có dạng YYYY-MM-DD", in.On)
		}
	}
	if name == casework.Escalate && at.ParentID != 0 {
		if act.ToUnit, err = a.Store.UnitByID(r.Context(), at.ParentID); err != nil {
			return err
		}
	}
	err = a.Store.WithTx(r.Context(), func(tx *store.Tx) error {
		_, err := casework.Act(r.Context(), tx, u.Actor(), c.ID, act)
		return err
	})
	if err != nil {
		return err
	}
	c, err = a.Store.Case(r.Context(), c.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, caseJSON(c, at.Code, u, at, a.today()))
}

// decodeCaseJSON reads a request's JSON body (at most 1 MB, no unknown
// field) into v; what names what the body should hold, for the message.
func decodeCaseJSON(w http.ResponseWriter, r *http.Request, v any, what string) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxCaseBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errs.New(errs.Invalid, "thân yêu cầu không phải JSON của %s: %v", what, err)
	}
	return nil
}
