// Package web serves the HTML pages: plain server-rendered forms and
// tables, in Vietnamese, with no script or CDN, for old PCs on weak lines.
package web

import (
	"embed"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"mattran/internal/errs"
	"mattran/internal/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

// Web holds what the pages need.
type Web struct {
	Store *store.Store
	Log   *slog.Logger
	Now   func() time.Time
	tmpl  *template.Template
}

// Register adds the pages to mux.
func (h *Web) Register(mux *http.ServeMux) {
	if h.Now == nil {
		h.Now = time.Now
	}
	h.tmpl = template.Must(template.New("").Funcs(funcs).ParseFS(templateFiles, "templates/*.html"))
	mux.Handle("GET /{$}", h.handle(h.scorecard))
}

// handle renders a handler's error as a page with the message and the
// status its code maps to; internal errors are logged, not shown.
func (h *Web) handle(fn func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := fn(w, r)
		if err == nil {
			return
		}
		e, ok := errs.As(err)
		if !ok || e.Code == errs.Internal {
			h.Log.Error("page failed", "path", r.URL.Path, "err", err)
			e = &errs.Error{Code: errs.Internal, Message: "Lỗi hệ thống. Chi tiết đã được ghi vào nhật ký máy chủ."}
		}
		status := map[errs.Code]int{errs.Invalid: 400, errs.NotFound: 404, errs.Conflict: 409, errs.Forbidden: 403, errs.Unauthorized: 401}[e.Code]
		if status == 0 {
			status = 500
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		h.tmpl.ExecuteTemplate(w, "error.html", map[string]any{"Title": "Không xem được trang", "Error": e})
	})
}

func (h *Web) render(w http.ResponseWriter, name string, data any) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	return h.tmpl.ExecuteTemplate(w, name, data)
}
