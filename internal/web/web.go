// Package web serves the HTML pages: plain server-rendered forms and
// tables, in Vietnamese, with no script or CDN, for old PCs on weak lines.
// Handlers parse the request, call the store or the domain, and render;
// every write is a POST carrying the session's CSRF token, answered by a
// redirect (post/redirect/get).
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"mattran/internal/api"
	"mattran/internal/casework"
	"mattran/internal/errs"
	"mattran/internal/imports"
	"mattran/internal/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

// Web holds what the pages need.
type Web struct {
	Store *store.Store
	Log   *slog.Logger
	// Imports is the server's import queue, shared with the API; nil gives
	// the pages one of their own.
	Imports *imports.Queue
	// Sealer opens and seals denouncers' identities (casework); nil: the
	// server has no key and records no denunciation's petitioner.
	Sealer *casework.Sealer
	// MailOn: the server e-mails notices (mattran serve --smtp); the
	// account page says whether an address will be used.
	MailOn    bool
	queueOnce sync.Once
	tmpl      *template.Template
	cache     cache
	// admit holds the slots of the admitted pages (admit.go);
	// admitSlots < 0: none, every page runs at once.
	admitOnce  sync.Once
	admit      chan struct{}
	admitSlots int
}

// Now reads the one clock, the store's, which tests fix.
func (h *Web) Now() time.Time { return h.Store.Now() }

// Route is one page or form action. Public routes need no sign-in; every
// other route needs a session, and checks the user's role and unit itself,
// since what is allowed depends on the unit asked for.
type Route struct {
	Pattern string
	Public  bool
	Handler func(w http.ResponseWriter, r *http.Request, s *Session) error
}

// Routes lists every route, for the mux and for the test that walks each
// route with each role.
func (h *Web) Routes() []Route {
	return slices.Concat(
		h.authRoutes(),
		h.publicRoutes(),
		h.homeRoutes(),
		h.programRoutes(),
		h.entryRoutes(),
		h.submissionRoutes(),
		h.excelRoutes(),
		h.excelQueueRoutes(),
		h.reportRoutes(),
		h.cascadeRoutes(),
		h.auditRoutes(),
		h.userRoutes(),
		h.tokenRoutes(),
		h.calendarRoutes(),
		h.reassignRoutes(),
		h.caseRoutes(),
		h.notifyRoutes(),
		h.userImportRoutes(),
		h.evaluationRoutes(),
		h.fundRoutes(),
	)
}

// Register adds the pages to mux.
func (h *Web) Register(mux *http.ServeMux) {
	h.tmpl = template.Must(template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/*.html"))
	for _, rt := range h.Routes() {
		mux.Handle(rt.Pattern, h.handle(rt))
	}
	// Any other address: a page in Vietnamese, with the menu, rather than
	// Go's bare "404 page not found"; under /api/, the API's JSON error.
	mux.Handle("/", h.handle(Route{Pattern: "/", Public: true, Handler: h.notFound}))
}

func (h *Web) notFound(w http.ResponseWriter, r *http.Request, _ *Session) error {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, err := fmt.Fprintf(w, `{"error":{"code":"not_found","message":"không có địa chỉ %s trong API; xem /api/openapi.json"}}`+"\n", strings.ReplaceAll(r.URL.Path, `"`, ""))
		return err
	}
	return errs.New(errs.NotFound, "Không có trang %s. Hãy dùng trình đơn phía trên, hoặc về trang chủ.", r.URL.Path)
}

// handle resolves the session, enforces sign-in and CSRF, and renders a
// handler's error as a page with the message and the status its code maps
// to; internal errors are logged, not shown.
func (h *Web) handle(rt Route) http.Handler {
	admit := admittedRoutes[rt.Pattern]
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if admit {
			// Held to the end, compression included: the whole answer
			// is the work that waits its turn.
			release, ok := h.admitted(r)
			if !ok {
				return
			}
			defer release()
		}
		setPageHeaders(w, r)
		if acceptsGzip(r) {
			g := &gzipResponse{ResponseWriter: w}
			defer g.close()
			w = g
		}
		var err error
		upload := strings.HasSuffix(rt.Pattern, "/upload")
		if r.Method == http.MethodPost && upload {
			// A slot for reading an import's body, held until the file is
			// queued (uploadQueued) or the answer is sent.
			var release func()
			if release, err = h.importQueue().Receive(); err == nil {
				defer release()
				r = r.WithContext(context.WithValue(r.Context(), receivingKey{}, release))
			}
		}
		if err == nil && r.Method == http.MethodPost {
			// Read before the CSRF check, which needs the form: a body over
			// its limit is answered 413 with the limit, not as a form
			// without its token.
			err = readForm(w, r, upload, attachRoutes[rt.Pattern])
		}
		var s *Session
		if err == nil {
			s, err = h.session(r)
		}
		if err == nil && s == nil && !rt.Public {
			err = errs.New(errs.Unauthorized, "Hãy đăng nhập để xem trang này.")
		}
		// A public form (sign-in) carries a token of its own, checked by its
		// handler: a signed-in user may sign in again from another tab.
		if err == nil && r.Method == http.MethodPost && s != nil && !rt.Public {
			err = checkCSRF(r, s)
		}
		if err == nil {
			err = validText(r)
		}
		if err == nil {
			err = rt.Handler(w, r, s)
		}
		if err != nil {
			h.fail(w, r, s, err)
		}
	})
}

// fail renders err. A visitor without a session who opens a page is sent
// to sign in, and back afterwards.
func (h *Web) fail(w http.ResponseWriter, r *http.Request, s *Session, err error) {
	if r.Context().Err() != nil {
		// The browser went away (a closed tab, a second click): nobody is
		// left to read an answer, and nothing failed on our side.
		h.Log.Info("request cancelled", "path", r.URL.Path)
		return
	}
	e, ok := errs.As(err)
	if u := store.Unavailable(err); (!ok || e.Code == errs.Internal) && u != nil {
		h.Log.Warn("database unavailable", "path", r.URL.Path, "err", err)
		e, ok = u, true
	}
	if !ok || e.Code == errs.Internal {
		h.Log.Error("page failed", "path", r.URL.Path, "err", err)
		e = &errs.Error{Code: errs.Internal, Message: "Lỗi hệ thống. Chi tiết đã được ghi vào nhật ký máy chủ."}
	}
	if e.Code == errs.Unauthorized && s == nil && r.Method == http.MethodGet {
		http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	status := api.Status(e.Code)
	if status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "60")
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	page := errorPage{Base: h.base(s, "Không thực hiện được"), Error: e, Back: sameSiteReferer(r)}
	if err := h.tmpl.ExecuteTemplate(w, "error.html", page); err != nil {
		h.Log.Error("error page failed", "err", err)
	}
}

type errorPage struct {
	Base
	Error *errs.Error
	Back  string // the page the user came from, on this site: where to correct the input
}

// sameSiteReferer is the path of the page that sent the request, if it is
// one of ours; "" otherwise.
func sameSiteReferer(r *http.Request) string {
	u, err := url.Parse(r.Referer())
	if err != nil || u.Host != r.Host || !strings.HasPrefix(u.Path, "/") || u.RequestURI() == r.URL.RequestURI() {
		return ""
	}
	return u.RequestURI()
}

func (h *Web) render(w http.ResponseWriter, name string, data any) error {
	return h.renderStatus(w, http.StatusOK, name, data)
}

// renderStatus renders a page with a status other than 200: a form shown
// again with its errors is a 400, so tests and proxies see the failure.
// The page is made whole before anything is sent: a template that fails
// half-way is an error page and a logged failure, not a truncated page
// with a 200.
func (h *Web) renderStatus(w http.ResponseWriter, status int, name string, data any) error {
	var buf bytes.Buffer
	if err := h.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("template %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// redirect ends a successful POST: the browser loads the result with a GET,
// so a reload does not post the form again.
func redirect(w http.ResponseWriter, r *http.Request, to string) error {
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// Body limits. A form is a few KB; only an Excel upload is larger, and
// the sheet reader refuses a workbook over 50 MB itself (sheet.Parse), so
// its form may hold 50 MB and the rest of the form.
// A petition's form carries its attached scans (casework.MaxFiles of at
// most casework.MaxFileSize each), so its routes (attachRoutes) read up to
// 4 MB.
const (
	maxFormBytes       = 2 << 20
	maxAttachFormBytes = 4 << 20
	maxUploadBytes     = 55 << 20
)

// attachRoutes are the routes whose forms may carry a petition's files.
var attachRoutes = map[string]bool{"POST /cases": true, "POST /public/petition": true}

// readForm reads a POST's form, refusing a body over its limit with the
// limit named: at once when the request says its length, else when the
// reading passes it.
func readForm(w http.ResponseWriter, r *http.Request, upload, attach bool) error {
	limit, what := int64(maxFormBytes), "Biểu mẫu gửi lên quá lớn, giới hạn là 2 MB."
	if attach {
		limit, what = maxAttachFormBytes, fmt.Sprintf("Đơn gửi lên quá lớn, giới hạn là 4 MB: gửi kèm nhiều nhất %d tệp, mỗi tệp tối đa %d MB.", casework.MaxFiles, casework.MaxFileSize>>20)
	}
	if upload {
		limit, what = maxUploadBytes, "Tệp tải lên quá lớn, giới hạn là 50 MB. Hãy xóa các trang tính, hình ảnh không cần trong tệp, hoặc chia thành nhiều tệp."
	}
	if r.ContentLength > limit {
		return errs.New(errs.Oversized, "%s", what)
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	var err error
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		// Parts beyond 32 MB wait in temporary files, not in memory.
		err = r.ParseMultipartForm(32 << 20)
	} else {
		err = r.ParseForm()
	}
	if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
		return errs.New(errs.Oversized, "%s", what)
	}
	if err != nil {
		return errs.New(errs.Invalid, "Biểu mẫu gửi lên không đọc được: đường truyền bị ngắt, hoặc dữ liệu hỏng. Hãy tải lại trang và gửi lại.")
	}
	return nil
}

// validText refuses a request whose address or form fields are not UTF-8
// text: nothing a user types is, and messages quoting such bytes would
// read "\xff".
func validText(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return errs.New(errs.Invalid, "Địa chỉ hoặc biểu mẫu gửi lên không đọc được.")
	}
	for _, vs := range r.Form {
		for _, v := range vs {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				return errs.New(errs.Invalid, "Địa chỉ hoặc biểu mẫu có ký tự không hợp lệ. Hãy gõ lại bằng bàn phím tiếng Việt (Unicode).")
			}
		}
	}
	return nil
}
