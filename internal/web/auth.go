package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"mattran/internal/errs"
	"mattran/internal/limits"
	"mattran/internal/user"
)

// Sign-in limits: five wrong passwords for one name, or twenty from one
// address, in fifteen minutes, and the next try waits. A commune office
// behind one address has a few officers, who do not mistype twenty times.
const (
	loginWindow     = 15 * time.Minute
	maxFailsPerName = 5
	maxFailsPerAddr = 20
	sessionTTL      = 12 * time.Hour // a working day, with the evening's report
	loginCookie     = "mattran_login"
)

func (h *Web) authRoutes() []Route {
	return []Route{
		{"GET /login", true, h.loginPage},
		{"POST /login", true, h.login},
		{"POST /logout", false, h.logout},
		{"GET /account/password", false, h.passwordPage},
		{"POST /account/password", false, h.changePassword},
	}
}

type loginPage struct {
	Base
	Next, Username string
	LoginCSRF      string
	Error          string
}

// loginPage shows the sign-in form. The form carries a token also set as
// a cookie, so another site cannot sign a browser in to an account of its
// choosing.
func (h *Web) loginPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	if s != nil {
		return redirect(w, r, safeNext(r.URL.Query().Get("next")))
	}
	return h.renderLogin(w, r, loginPage{Next: r.URL.Query().Get("next")}, http.StatusOK)
}

func (h *Web) renderLogin(w http.ResponseWriter, r *http.Request, p loginPage, status int) error {
	token, _, err := user.NewToken()
	if err != nil {
		return err
	}
	setCookie(w, r, loginCookie, token, 3600)
	p.Base = h.base(nil, "Đăng nhập")
	p.LoginCSRF = token
	return h.renderStatus(w, status, "login.html", p)
}

func (h *Web) login(w http.ResponseWriter, r *http.Request, _ *Session) error {
	ctx := r.Context()
	name := strings.ToLower(strings.TrimSpace(r.PostFormValue("username")))
	password := r.PostFormValue("password")
	page := loginPage{Next: r.PostFormValue("next"), Username: name}
	c, err := r.Cookie(loginCookie)
	if err != nil || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) != 1 {
		page.Error = "Trang đăng nhập đã hết hạn. Hãy nhập lại tên và mật khẩu."
		return h.renderLogin(w, r, page, http.StatusForbidden)
	}
	// No account has a longer name (user.ValidateUsername): refuse it
	// before anything is written, so a name the size of the form cannot
	// fill the disk.
	if len(name) > limits.Username {
		page.Username = ""
		page.Error = "Tên đăng nhập không quá 64 ký tự. Hãy nhập lại tên và mật khẩu."
		return h.renderLogin(w, r, page, http.StatusBadRequest)
	}
	addr := clientAddress(r)
	attempt, refused, err := h.tryPassword(ctx, name, addr)
	if err != nil {
		return err
	}
	if refused {
		page.Error = "Đăng nhập sai quá nhiều lần. Hãy đợi 15 phút rồi thử lại, hoặc nhờ quản trị viên đặt lại mật khẩu."
		return h.renderLogin(w, r, page, http.StatusTooManyRequests)
	}
	u, err := h.Store.Authenticate(ctx, name, password)
	if err == nil {
		err = h.Store.LoginSucceeded(ctx, attempt)
	}
	if errs.CodeOf(err) == errs.Unauthorized {
		page.Error = "Tên đăng nhập hoặc mật khẩu không đúng."
		return h.renderLogin(w, r, page, http.StatusUnauthorized)
	}
	if err != nil {
		return err
	}
	token, _, err := h.Store.CreateSession(ctx, u, addr, sessionTTL)
	if err != nil {
		return err
	}
	setCookie(w, r, sessionCookie, token, int(sessionTTL.Seconds()))
	setCookie(w, r, loginCookie, "", -1)
	return redirect(w, r, safeNext(page.Next))
}

// tryPassword records one try of a password for name from addr, unless
// the sign-in limits refuse it. The limits are checked before anything is
// written, so that refused tries write nothing (thirty of them with
// 2 MB names grew the database by 100 MB), and again after, counting this
// try, so that tries made in parallel count each other. The store stamps
// attempts with the same clock the window is read from.
func (h *Web) tryPassword(ctx context.Context, name, addr string) (attempt int64, refused bool, err error) {
	since := h.Now().Add(-loginWindow)
	byName, byAddr, err := h.Store.FailedLogins(ctx, name, addr, since)
	if err != nil || byName >= maxFailsPerName || byAddr >= maxFailsPerAddr {
		return 0, err == nil, err
	}
	if attempt, err = h.Store.RecordLogin(ctx, name, addr); err != nil {
		return 0, false, err
	}
	if byName, byAddr, err = h.Store.FailedLogins(ctx, name, addr, since); err != nil {
		return 0, false, err
	}
	return attempt, byName > maxFailsPerName || byAddr > maxFailsPerAddr, nil
}

// safeNext keeps a redirect after sign-in on this site: a path, never
// another host ("//evil.example", "https://…", or "/\t/evil.example",
// which browsers read as "//evil.example" once they drop the tab).
func safeNext(next string) string {
	const home = "/home"
	for _, c := range next {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return home
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || u.Path == "/login" {
		return home
	}
	return u.RequestURI()
}

func (h *Web) logout(w http.ResponseWriter, r *http.Request, s *Session) error {
	if err := h.Store.DeleteSession(r.Context(), s.Token); err != nil {
		return err
	}
	setCookie(w, r, sessionCookie, "", -1)
	return redirect(w, r, "/login")
}

type passwordPage struct {
	Base
	Error string
}

func (h *Web) passwordPage(w http.ResponseWriter, r *http.Request, s *Session) error {
	p := passwordPage{Base: h.base(s, "Đổi mật khẩu")}
	if r.URL.Query().Get("done") != "" {
		p.Notice = "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã bị đăng xuất."
		if n := r.URL.Query().Get("revoked"); n != "" && n != "0" {
			p.Notice += " Đã thu hồi " + n + " mã truy cập API."
		}
	}
	return h.render(w, "password.html", p)
}

// changePassword asks for the current password again: a session left open
// on a shared office PC must not be enough to take the account over.
func (h *Web) changePassword(w http.ResponseWriter, r *http.Request, s *Session) error {
	ctx := r.Context()
	p := passwordPage{Base: h.base(s, "Đổi mật khẩu")}
	fail := func(msg string) error {
		p.Error = msg
		return h.renderStatus(w, http.StatusBadRequest, "password.html", p)
	}
	// The current password is checked under the sign-in limit: an open
	// session is no licence to guess it.
	attempt, refused, err := h.tryPassword(ctx, s.User.Username, clientAddress(r))
	if err != nil {
		return err
	}
	if refused {
		p.Error = "Nhập sai mật khẩu quá nhiều lần. Hãy đợi 15 phút rồi thử lại."
		return h.renderStatus(w, http.StatusTooManyRequests, "password.html", p)
	}
	if _, err := h.Store.Authenticate(ctx, s.User.Username, r.PostFormValue("current")); err != nil {
		if errs.CodeOf(err) == errs.Unauthorized {
			return fail("Mật khẩu hiện tại không đúng.")
		}
		return err
	}
	if err := h.Store.LoginSucceeded(ctx, attempt); err != nil {
		return err
	}
	next := r.PostFormValue("password")
	if next != r.PostFormValue("confirm") {
		return fail("Hai lần nhập mật khẩu mới không khớp nhau.")
	}
	if err := user.ValidatePassword(next); err != nil {
		return fail("Mật khẩu mới: " + err.Error() + ".")
	}
	done := "/account/password?done=1"
	if r.PostFormValue("revoke_tokens") != "" {
		n, err := h.Store.RevokeTokens(ctx, s.User.Actor(), s.User)
		if err != nil {
			return err
		}
		done += "&revoked=" + strconv.Itoa(n)
	}
	if err := h.Store.SetPassword(ctx, s.User.Actor(), s.User, next, s.Token); err != nil {
		return err
	}
	return redirect(w, r, done)
}
