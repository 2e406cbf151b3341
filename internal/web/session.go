package web

import (
	"crypto/subtle"
	"mattran/internal/access"
	"net"
	"net/http"
	"net/url"

	"mattran/internal/errs"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/user"
)

// sessionCookie holds the session's token; the database keeps its hash.
const sessionCookie = "mattran_session"

// Session is the signed-in user of a request, with the token of their
// cookie (for signing out) and the CSRF token their forms carry.
type Session struct {
	store.Session
	Token  string
	Unread int // the user's notices not yet read: the header's count
}

// session returns the request's session, or nil when it has none. A
// stale cookie is no error: the visitor is simply not signed in.
func (h *Web) session(r *http.Request) (*Session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	s, err := h.Store.SessionByToken(r.Context(), c.Value)
	if errs.CodeOf(err) == errs.Unauthorized {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	unread, err := h.Store.UnreadNotifications(r.Context(), s.User)
	if err != nil {
		return nil, err
	}
	return &Session{Session: s, Token: c.Value, Unread: unread}, nil
}

// checkCSRF: a signed-in POST must carry the session's token, which a page
// on another site cannot read, so it cannot post forms in the user's name.
func checkCSRF(r *http.Request, s *Session) error {
	// The form, multipart (an Excel upload) or not, is read (readForm).
	got := r.PostFormValue("csrf")
	if subtle.ConstantTimeCompare([]byte(got), []byte(s.CSRF)) != 1 {
		return errs.New(errs.Forbidden, "Biểu mẫu đã hết hạn hoặc không gửi từ trang này. Hãy tải lại trang và thử lại.")
	}
	return nil
}

// setCookie sets an HttpOnly, SameSite cookie, Secure when the request came
// over TLS (directly or through a proxy that says so).
func setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: overTLS(r),
	})
}

// clientAddress is the address sign-in attempts are counted by. A
// forwarded-for header is not trusted: anyone can write one.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// Base is what every page's layout needs: the title, the signed-in user
// and their CSRF token, and the committee the header speaks for.
type Base struct {
	Title     string
	Committee string
	User      *user.User
	CSRF      string
	Nav       string // the menu item to mark as current
	Notice    string // a one-line confirmation after a POST ("Đã lưu.")
	Refresh   int    // reload the page after so many seconds (a file waiting its turn); 0: never
	Unread    int    // the user's notices not yet read, counted in the header
	// The menu's items that depend on the user's rights (package access).
	CanAudit, CanUsers bool
}

func (h *Web) base(s *Session, title string) Base {
	b := Base{Title: title}
	if s != nil {
		b.User, b.CSRF, b.Unread = &s.User, s.CSRF, s.Unread
		b.Committee = committee(s.User.Unit)
		b.CanAudit = access.ReadAudit(s.User, s.User.Unit) == nil
		b.CanUsers = access.ManageUsers(s.User, unit.Unit{}) == nil
	}
	return b
}

// unitFor returns the unit with the code during [from, to], if the user
// may see it: their own unit or one below it.
func (h *Web) unitFor(r *http.Request, s *Session, code, from, to string) (unit.Unit, error) {
	u, err := h.Store.UnitDuring(r.Context(), code, from, to)
	if err != nil {
		return u, err
	}
	return u, access.See(s.User, u)
}

// need returns Forbidden with msg unless ok.
func need(ok bool, msg string) error {
	if !ok {
		return errs.New(errs.Forbidden, "%s", msg)
	}
	return nil
}
