// Package api serves the JSON API under /api/v1 and its OpenAPI document.
// Handlers parse the request, call the store or the roll-up, and render;
// errors come out as {"error":{"code","message","details"}} in Vietnamese.
package api

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"mattran/internal/casework"
	"mattran/internal/errs"
	"mattran/internal/imports"
	"mattran/internal/store"
	"mattran/internal/user"
)

//go:embed openapi.json
var openAPI []byte

// API holds what the handlers need.
type API struct {
	Store *store.Store
	Log   *slog.Logger
	// Imports is the server's import queue, shared with the pages; nil
	// gives the API one of its own.
	Imports *imports.Queue
	// Sealer seals denouncers' identities (casework); nil: none recorded.
	Sealer    *casework.Sealer
	queueOnce sync.Once
}

// Now reads the one clock, the store's, which tests fix.
func (a *API) Now() time.Time { return a.Store.Now() }

// Routes lists every route the API serves, for the mux and for the test
// that checks each is documented and guarded.
func (a *API) Routes() []Route {
	return []Route{
		{"GET /healthz", a.health, false},
		{"GET /api/openapi.json", a.openAPI, false},
		{"GET /api/v1/me", a.me, true},
		{"GET /api/v1/units/{code}", a.getUnit, true},
		{"GET /api/v1/units/{code}/children", a.getChildren, true},
		{"GET /api/v1/programs", a.listPrograms, true},
		{"GET /api/v1/programs/{id}", a.getProgram, true},
		{"GET /api/v1/dataElements", a.listElements, true},
		{"GET /api/v1/scorecard", a.scorecard, true},
		{"GET /api/v1/analytics", a.analytics, true},
		{"GET /api/v1/dataValueSets", a.exportValues, true},
		{"POST /api/v1/dataValueSets", a.importValues, true},
		{"GET /api/v1/imports/{id}", a.getImport, true},
		{"POST /api/v1/cases", a.createCase, true},
		{"GET /api/v1/cases", a.listCases, true},
		{"GET /api/v1/cases/{id}", a.getCase, true},
		{"POST /api/v1/cases/{id}/{action}", a.actCase, true},
		{"GET /api/v1/evaluation", a.evaluation, true},
		{"GET /api/v1/evaluation/guide", a.evaluationGuide, true},
		{"POST /api/v1/evaluation/guide", a.importEvaluationGuide, true},
		{"GET /api/v1/public/fund/campaigns", a.publicCampaigns, false},
		{"GET /api/v1/public/fund/campaigns/{code}/entries", a.publicEntries, false},
	}
}

// Route is one pattern and its handler; Auth says it needs a signed-in user.
type Route struct {
	Pattern string
	Handler func(w http.ResponseWriter, r *http.Request) error
	Auth    bool
}

// Register adds the API's routes to mux.
func (a *API) Register(mux *http.ServeMux) {
	for _, rt := range a.Routes() {
		h := rt.Handler
		if rt.Auth {
			h = a.authenticated(h)
		}
		mux.Handle(rt.Pattern, a.handle(h))
	}
}

type ctxKey struct{}

// authenticated resolves the bearer token to a user, or answers 401.
func (a *API) authenticated(next func(http.ResponseWriter, *http.Request) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		h := r.Header.Get("Authorization")
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || token == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="mattran"`)
			return errs.New(errs.Unauthorized, "cần mã truy cập: gửi tiêu đề Authorization: Bearer <token>")
		}
		u, err := a.Store.UserByToken(r.Context(), strings.TrimSpace(token))
		if err != nil {
			return err
		}
		return next(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, u)))
	}
}

// currentUser is the user the request authenticated as.
func currentUser(r *http.Request) user.User {
	u, _ := r.Context().Value(ctxKey{}).(user.User)
	return u
}

// handle turns a handler's error into the one error shape, with the HTTP
// status its code maps to. Only the domain errors' messages reach the user;
// anything else is logged and answered "lỗi hệ thống".
func (a *API) handle(h func(http.ResponseWriter, *http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setHeaders(w, r)
		err := h(w, r)
		if err == nil {
			return
		}
		if tooLarge := (*http.MaxBytesError)(nil); errors.As(err, &tooLarge) {
			err = errs.New(errs.Oversized, "nội dung gửi lên quá lớn, giới hạn là %d MB", tooLarge.Limit>>20)
		}
		e, ok := errs.As(err)
		if u := store.Unavailable(err); (!ok || e.Code == errs.Internal) && u != nil {
			a.Log.Warn("database unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
			e, ok = u, true
		}
		if ok && (e.Code == errs.Unavailable || e.Code == errs.TooMany) {
			w.Header().Set("Retry-After", "60")
		}
		if !ok || e.Code == errs.Internal {
			a.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
			e = &errs.Error{Code: errs.Internal, Message: "lỗi hệ thống; chi tiết đã được ghi vào nhật ký máy chủ"}
		}
		body := map[string]any{"code": e.Code, "message": e.Message}
		if len(e.Details) > 0 {
			body["details"] = details(e.Details)
		}
		writeJSON(w, Status(e.Code), map[string]any{"error": body})
	})
}

// detail is a refused row as the API sends it: where (row, index, cell,
// field), why (code and args, for a program to act on) and the message a
// person reads, in the exchange style the request was written in.
type detail struct {
	errs.Detail
	Message string `json:"message"`
}

func details(ds []errs.Detail) []detail {
	out := make([]detail, len(ds))
	for i, d := range ds {
		out[i] = detail{Detail: d, Message: errs.Line(d, errs.Exchange)}
	}
	return out
}

// Status maps a domain error code to an HTTP status, for the API and the
// pages alike.
func Status(c errs.Code) int {
	switch c {
	case errs.Invalid:
		return http.StatusBadRequest
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict:
		return http.StatusConflict
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Unauthorized:
		return http.StatusUnauthorized
	case errs.TooMany:
		return http.StatusTooManyRequests
	case errs.Oversized:
		return http.StatusRequestEntityTooLarge
	case errs.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(v)
}

func (a *API) health(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := a.Store.DB.PingContext(ctx); err != nil {
		a.Log.Error("health check", "err", err)
		return writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": string(a.Store.Engine)})
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": string(a.Store.Engine)})
}

func (a *API) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(openAPI)
	return err
}

func (a *API) me(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r)
	return writeJSON(w, http.StatusOK, map[string]any{
		"username": u.Username, "fullName": u.FullName, "role": u.Role, "roleLabel": u.Role.Label(), "unit": unitJSON(u.Unit),
	})
}
