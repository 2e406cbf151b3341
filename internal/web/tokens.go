package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"mattran/internal/access"
	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/user"
)

// API tokens: a user lists, names, issues with an expiry and revokes
// their own at /account; an admin does the same for a user of their
// subtree on the user's page. A token is shown once, on the answer that
// issues it.
func (h *Web) tokenRoutes() []Route {
	return []Route{
		{"GET /account", false, h.accountPage},
		{"POST /account/tokens", false, h.accountIssueToken},
		{"POST /account/email", false, h.accountSetEmail},
		{"POST /account/tokens/{id}/revoke", false, h.accountRevokeToken},
		{"POST /users/{username}/tokens", false, h.userIssueToken},
		{"POST /users/{username}/tokens/{id}/revoke", false, h.userRevokeToken},
	}
}

// tokenRow is a token as the lists show it.
type tokenRow struct {
	ID                         int64
	Name, Hint, State          string
	Created, Expires, LastUsed string
	Active                     bool
	RevokedBy, RevokedAt       string
}

// newToken is a token just issued, shown once.
type newToken struct {
	Name, Token, Expires string
}

// tokenPanel is what the token section of a page needs.
type tokenPanel struct {
	Action   string // where the issue form posts: /account/tokens or /users/NAME/tokens
	CSRF     string
	Tokens   []tokenRow
	New      *newToken
	Error    string
	FormName string
	Expiries []option
}

// expiryChoices are the lifetimes offered, in days; 0 is "does not
// expire", for a machine that syncs every night.
var expiryChoices = []struct {
	days  int
	label string
}{{30, "30 ngày"}, {90, "90 ngày"}, {180, "180 ngày"}, {365, "1 năm"}, {0, "Không hết hạn"}}

func (h *Web) tokenPanel(r *http.Request, s *Session, owner user.User, action string) (tokenPanel, error) {
	p := tokenPanel{Action: action, CSRF: s.CSRF}
	list, err := h.Store.Tokens(r.Context(), owner.ID)
	if err != nil {
		return p, err
	}
	now := h.Now()
	for _, t := range list {
		row := tokenRow{ID: t.ID, Name: t.Name, Hint: t.Hint, State: t.State(now), Active: t.Active(now), Created: vnTime(t.Created), RevokedBy: t.RevokedBy}
		row.Expires = "không hết hạn"
		if !t.Expires.IsZero() {
			row.Expires = vnTime(t.Expires)
		}
		row.LastUsed = "chưa dùng"
		if !t.LastUsed.IsZero() {
			row.LastUsed = vnTime(t.LastUsed)
		}
		if !t.Revoked.IsZero() {
			row.RevokedAt = vnTime(t.Revoked)
		}
		p.Tokens = append(p.Tokens, row)
	}
	for _, e := range expiryChoices {
		p.Expiries = append(p.Expiries, option{strconv.Itoa(e.days), e.label, e.days == 90})
	}
	return p, nil
}

type accountPage struct {
	Base
	Tokens     tokenPanel
	Email      string // where notices are mailed ("": nowhere)
	EmailError string
	MailOn     bool // the server mails notices (serve --smtp)
}

func (h *Web) accountPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	return h.renderAccount(w, r, s, nil, "", "", http.StatusOK)
}

func (h *Web) renderAccount(w http.ResponseWriter, r *http.Request, s *Session, issued *newToken, formError, formName string, status int) error {
	panel, err := h.tokenPanel(r, s, s.User, "/account/tokens")
	if err != nil {
		return err
	}
	panel.New, panel.Error, panel.FormName = issued, formError, formName
	page := accountPage{Base: h.base(s, "Tài khoản"), Tokens: panel, MailOn: h.MailOn}
	if page.Email, err = h.Store.UserEmail(r.Context(), s.User.ID); err != nil {
		return err
	}
	if r.URL.Query().Get("email") != "" {
		page.Notice = "Đã lưu địa chỉ nhận thông báo qua thư."
	}
	if r.URL.Query().Get("revoked") != "" {
		page.Notice = "Đã thu hồi mã truy cập. Chương trình nào còn dùng nó sẽ không gọi được API nữa."
	}
	return h.renderStatus(w, status, "account.html", page)
}

// issueToken reads the issue form and issues the token.
func (h *Web) issueToken(r *http.Request, s *Session, owner user.User) (*newToken, string, error) {
	name := r.PostFormValue("name")
	days, err := strconv.Atoi(r.PostFormValue("days"))
	if err != nil || days < 0 || days > 3660 {
		return nil, "Hãy chọn thời hạn của mã truy cập.", nil
	}
	var expires time.Time
	if days > 0 {
		// The end of the day, days from today, as people count days.
		y, m, d := h.Now().In(clock.Zone).Date()
		expires = time.Date(y, m, d+days, 23, 59, 59, 0, clock.Zone)
	}
	token, t, err := h.Store.IssueToken(r.Context(), s.User.Actor(), owner, name, expires)
	if errs.CodeOf(err) == errs.Invalid {
		e, _ := errs.As(err)
		return nil, e.Message, nil
	}
	if err != nil {
		return nil, "", err
	}
	issued := &newToken{Name: t.Name, Token: token, Expires: "không hết hạn"}
	if !expires.IsZero() {
		issued.Expires = vnTime(expires)
	}
	return issued, "", nil
}

func (h *Web) accountIssueToken(w http.ResponseWriter, r *http.Request, s *Session) error {
	issued, msg, err := h.issueToken(r, s, s.User)
	if err != nil {
		return err
	}
	if msg != "" {
		return h.renderAccount(w, r, s, nil, msg, r.PostFormValue("name"), http.StatusBadRequest)
	}
	return h.renderAccount(w, r, s, issued, "", "", http.StatusOK)
}

func (h *Web) accountRevokeToken(w http.ResponseWriter, r *http.Request, s *Session) error {
	if err := h.revokeToken(r, s, s.User); err != nil {
		return err
	}
	return redirect(w, r, "/account?revoked=1")
}

// revokeToken revokes the token the path names, one of owner's.
func (h *Web) revokeToken(r *http.Request, s *Session, owner user.User) error {
	if err := access.ManageTokens(s.User, owner); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errs.New(errs.NotFound, "Không có mã truy cập số %s.", r.PathValue("id"))
	}
	return h.Store.RevokeToken(r.Context(), s.User.Actor(), owner, id)
}

// tokenOwner is the user a /users/{username}/tokens route names, if the
// admin may manage their tokens.
func (h *Web) tokenOwner(r *http.Request, s *Session) (user.User, error) {
	if err := canManageUsers(s); err != nil {
		return user.User{}, err
	}
	u, err := h.Store.UserByUsername(r.Context(), r.PathValue("username"))
	if err != nil {
		return u, err
	}
	return u, access.ManageTokens(s.User, u)
}

func (h *Web) userIssueToken(w http.ResponseWriter, r *http.Request, s *Session) error {
	u, err := h.tokenOwner(r, s)
	if err != nil {
		return err
	}
	issued, msg, err := h.issueToken(r, s, u)
	if err != nil {
		return err
	}
	page := userFormPage{Form: formOf(u), Self: u.ID == s.User.ID, Disabled: u.Disabled}
	status := http.StatusOK
	if msg != "" {
		status = http.StatusBadRequest
	}
	return h.renderUserPage(w, r, s, page, func(p *tokenPanel) { p.New, p.Error, p.FormName = issued, msg, r.PostFormValue("name") }, status)
}

func (h *Web) userRevokeToken(w http.ResponseWriter, r *http.Request, s *Session) error {
	u, err := h.tokenOwner(r, s)
	if err != nil {
		return err
	}
	if err := h.revokeToken(r, s, u); err != nil {
		return err
	}
	return redirect(w, r, "/users/"+url.PathEscape(u.Username)+"?revoked=1")
}

// accountSetEmail sets the address the user's own notices are mailed to.
func (h *Web) accountSetEmail(w http.ResponseWriter, r *http.Request, s *Session) error {
	email := strings.TrimSpace(r.PostFormValue("email"))
	if err := h.Store.SetEmail(r.Context(), s.User.Actor(), s.User, email); err != nil {
		e, ok := errs.As(err)
		if !ok || e.Code != errs.Invalid {
			return err
		}
		panel, perr := h.tokenPanel(r, s, s.User, "/account/tokens")
		if perr != nil {
			return perr
		}
		page := accountPage{Base: h.base(s, "Tài khoản"), Tokens: panel, Email: email, EmailError: e.Message, MailOn: h.MailOn}
		return h.renderStatus(w, http.StatusBadRequest, "account.html", page)
	}
	return redirect(w, r, "/account?email=1")
}
