package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"mattran/internal/api"
	"mattran/internal/audit"
	"mattran/internal/casework"
	"mattran/internal/errs"
	"mattran/internal/store"
	"mattran/internal/unit"
)

// The public petition page: a citizen files a petition to their commune's
// committee without signing in, and gets a tracking code; the tracking
// page shows the status and the published answer, and nothing personal.

// Public filing is limited per address: so many petitions an hour, counted
// in the database so every server counts the same.
const (
	publicPerHour = 5
	publicWindow  = time.Hour
)

type petitionPage struct {
	Base
	Communes []unit.Unit
	Kinds    []casework.KindInfo
	Fields   []struct{ Code, Label string }
	Form     url.Values
	Errors   map[string]string
	Message  string
	MaxMB    int
	MaxFiles int
}

func (h *Web) petitionModel(r *http.Request, s *Session, form url.Values) (*petitionPage, error) {
	communes, err := h.Store.UnitsOfKind(r.Context(), unit.Commune, h.today().String())
	if err != nil {
		return nil, err
	}
	p := &petitionPage{Base: h.base(s, "Gửi đơn kiến nghị, phản ánh đến Ủy ban Mặt trận Tổ quốc"), Communes: communes,
		Fields: casework.Fields, Form: form, Errors: map[string]string{}, MaxMB: casework.MaxFileSize >> 20, MaxFiles: casework.MaxFiles}
	for _, k := range casework.Kinds() {
		if k.Public && (!k.Protected || h.Sealer != nil) {
			p.Kinds = append(p.Kinds, k)
		}
	}
	p.Nav = "public"
	return p, nil
}

func (h *Web) petitionPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	p, err := h.petitionModel(r, s, url.Values{"kind": {string(casework.Recommendation)}})
	if err != nil {
		return err
	}
	return h.render(w, "public_petition.html", p)
}

// petitionFile takes a petition from the public page.
func (h *Web) petitionFile(w http.ResponseWriter, r *http.Request, s *Session) error {
	n, err := h.Store.PublicAttempt(r.Context(), clientAddress(r), publicWindow)
	if err != nil {
		return err
	}
	if n > publicPerHour {
		return errs.New(errs.TooMany, "Địa chỉ mạng của bạn đã gửi %d đơn trong một giờ qua. Xin gửi lại sau một giờ, hoặc nộp trực tiếp tại Ủy ban Mặt trận.", publicPerHour)
	}
	form := r.PostForm
	in, err := casework.ParseIntake(form)
	var u unit.Unit
	if err == nil {
		ki, _ := casework.Lookup(in.Kind)
		if !ki.Public {
			err = caseFieldError("kind", "loại đơn này không gửi trực tuyến được")
		}
		// Filed today, whatever the form says.
		in.Received, in.Channel = h.today(), casework.Online
	}
	if err == nil {
		u, err = h.Store.UnitAt(r.Context(), strings.TrimSpace(form.Get("unit")), h.today().String())
		if err != nil || u.Kind != unit.Commune {
			err = caseFieldError("unit", "chọn xã, phường nơi gửi đơn")
		}
	}
	if err == nil {
		in.Files, err = readAttachments(r)
	}
	var c casework.Case
	if err == nil {
		err = h.Store.WithTx(r.Context(), func(tx *store.Tx) error {
			var err error
			c, err = casework.Open(r.Context(), tx, publicActor, "", u, in, h.Sealer)
			return err
		})
	}
	if e, ok := errs.As(err); ok && e.Code != errs.Internal {
		p, perr := h.petitionModel(r, s, form)
		if perr != nil {
			return perr
		}
		p.Message, p.Errors = e.Message, formErrors(e)
		return h.renderStatus(w, api.Status(e.Code), "public_petition.html", p)
	}
	if err != nil {
		return err
	}
	return redirect(w, r, "/public/track?new=1&code="+url.QueryEscape(c.Code))
}

// trackPage shows a petition by its tracking code: kind, date, committee,
// status and the published answer; no name, no content.
type trackPage struct {
	Base
	Code                         string
	Found, New                   bool
	Kind, Received, Unit, Status string
	Due, Days                    string
	Answered                     bool
	AnsweredOn, Summary, Outcome string
	Agency                       string
	Message                      string
}

func (h *Web) trackPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	code := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("code")))
	p := trackPage{Base: h.base(s, "Tra cứu đơn"), Code: code, New: r.URL.Query().Get("new") != ""}
	p.Nav = "public"
	if code != "" {
		if len(code) > 20 {
			return errs.New(errs.Invalid, "Mã tra cứu có dạng DT-XXXX-XXXX.")
		}
		c, err := h.Store.CaseByCode(r.Context(), code)
		if e, ok := errs.As(err); ok && e.Code == errs.NotFound {
			p.Message = e.Message
			return h.renderStatus(w, http.StatusNotFound, "public_track.html", p)
		}
		if err != nil {
			return err
		}
		today := h.today()
		p.Found, p.Kind, p.Received, p.Unit, p.Status = true, c.Kind.Label(), c.Received.FormatVN(), c.UnitName, c.Status.Label()
		if !c.Due.IsZero() && c.Status.Open() {
			p.Due, p.Days = c.Due.FormatVN(), daysText(c, today)
		}
		if c.Status == casework.Sent || c.Status == casework.Answered {
			p.Agency = c.Agency
		}
		if c.Status == casework.Answered && c.Published {
			p.Answered, p.AnsweredOn, p.Summary, p.Outcome = true, c.AnsweredOn.FormatVN(), c.Summary, c.Outcome
		}
	}
	return h.render(w, "public_track.html", p)
}

// publicActor names a citizen filing online in the audit log, by nothing
// that identifies them: the name typed is not verified and may be a
// denouncer's, and an address would point at them.
var publicActor = audit.Actor{Name: "công dân (trực tuyến)"}
