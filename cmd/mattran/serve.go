package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"mattran/internal/api"
	"mattran/internal/casework"
	"mattran/internal/imports"
	"mattran/internal/jobs"
	"mattran/internal/notify"
	"mattran/internal/store"
	"mattran/internal/web"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "[--db …] [--addr 127.0.0.1:8080]",
		"Chạy máy chủ: trang web ở /, API JSON ở /api/v1, tài liệu API ở /api/openapi.json, kiểm tra sống ở /healthz.\n"+
			"Một CSDL SQLite chưa có sẽ được tạo (trống).\n"+
			"Nếu đặt biến MATTRAN_ADMIN_TOKEN, một quản trị viên cấp Trung ương sẽ có mã truy cập đó (cho tự động hóa).", stdout)
	db := fs.DB()
	addr := fs.String("addr", "MÁY:CỔNG", "127.0.0.1:8080", "địa chỉ lắng nghe")
	smtpAddr := fs.String("smtp", "MÁY:CỔNG", os.Getenv("MATTRAN_SMTP"), "máy chủ thư để gửi thông báo qua e-mail (biến MATTRAN_SMTP); bỏ trống: không gửi thư. Tài khoản đăng nhập máy chủ thư đặt bằng biến MATTRAN_SMTP_USER, MATTRAN_SMTP_PASSWORD")
	smtpFrom := fs.String("smtp-from", "ĐỊA-CHỈ", envOr("MATTRAN_SMTP_FROM", "mattran@localhost"), "địa chỉ người gửi thư thông báo (biến MATTRAN_SMTP_FROM)")
	site := fs.String("site-url", "URL", os.Getenv("MATTRAN_SITE_URL"), "địa chỉ trang web, để ghi đường dẫn đầy đủ trong thư (biến MATTRAN_SITE_URL)")
	defMB, err := envInt("MATTRAN_LEDGER_SEARCH_MB", store.DefaultLedgerSearchMB)
	if err != nil {
		return err
	}
	searchMB := fs.Int("ledger-search-mb", "MB", defMB,
		"bộ nhớ dành cho tìm kiếm sổ quỹ công khai (biến MATTRAN_LEDGER_SEARCH_MB; khoảng 110 MB cho một triệu bút toán); cuộc vận động lớn hơn được tìm bằng cách quét bảng, chậm hơn; -1: luôn quét")
	defLimit, err := envInt("MATTRAN_MEMORY_LIMIT_MB", store.DefaultMemoryLimitMB)
	if err != nil {
		return err
	}
	memMB := fs.Int("memory-limit-mb", "MB", defLimit,
		"giới hạn mềm bộ nhớ của máy chủ, không kể phần tìm kiếm sổ quỹ (biến MATTRAN_MEMORY_LIMIT_MB); bộ thu gom rác giữ bộ nhớ dưới mức này và trả lại hệ điều hành phần thừa; 0: không giới hạn; bỏ qua khi đã đặt GOMEMLIMIT")
	if _, err := fs.parse(args, ""); err != nil {
		return err
	}
	mailer := &notify.Mailer{Addr: *smtpAddr, From: *smtpFrom, Site: *site, Username: os.Getenv("MATTRAN_SMTP_USER"), Password: os.Getenv("MATTRAN_SMTP_PASSWORD")}
	if err := mailer.CheckConfig(); err != nil {
		return err
	}
	s, err := createStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	s.LedgerSearchMB = *searchMB
	go limitMemory(ctx, s, *memMB)
	return serveWith(ctx, s, *addr, stdout, stderr, nil, mailer)
}

// limitMemory keeps the Go runtime's soft memory limit at baseMB plus what
// the public ledger search holds (Store.MemoryLimit), which grows and
// shrinks as campaigns are read in and dropped, until ctx ends; read every
// second, so that a campaign being read in (about 3 s for a million
// entries) is not held to the limit of before for long. An operator's
// GOMEMLIMIT, or a base of 0 or less, leaves the runtime alone.
func limitMemory(ctx context.Context, s *store.Store, baseMB int) {
	if baseMB <= 0 || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		debug.SetMemoryLimit(s.MemoryLimit(baseMB))
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// envInt is the integer in the variable name, or def if it is unset.
func envInt(name string, def int) (int, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("biến %s = %q: cần một số nguyên", name, v)
	}
	return n, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// serve runs the HTTP server until ctx ends. ready, when given, is called
// with the listening address once the server accepts connections.
func serve(ctx context.Context, s *store.Store, addr string, stdout, stderr io.Writer, ready func(string)) error {
	return serveWith(ctx, s, addr, stdout, stderr, ready, nil)
}

// serveWith is serve that also e-mails notices through mailer, when it is
// set up (mattran serve --smtp).
func serveWith(ctx context.Context, s *store.Store, addr string, stdout, stderr io.Writer, ready func(string), mailer *notify.Mailer) error {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if token := os.Getenv("MATTRAN_ADMIN_TOKEN"); token != "" {
		admin, err := s.EnsureAdminToken(ctx, token)
		if err != nil {
			return fmt.Errorf("MATTRAN_ADMIN_TOKEN: %w", err)
		}
		log.Info("admin token ready", "user", admin.Username)
	}
	mux := http.NewServeMux()
	// One import queue for the API and the pages: one file written at a
	// time, whichever way it came.
	queue := &imports.Queue{Now: s.Now}
	// The key sealing denouncers' identities is read from the environment,
	// never the database; without one, no denunciation's petitioner is
	// recorded.
	sealer, err := casework.SealerFromEnv()
	if err != nil {
		return err
	}
	if sealer == nil {
		log.Warn("no " + casework.KeyEnv + " or " + casework.KeyFileEnv + ": denouncers' identities cannot be recorded")
	}
	(&api.API{Store: s, Log: log, Imports: queue, Sealer: sealer}).Register(mux)
	pages := &web.Web{Store: s, Log: log, Imports: queue, Sealer: sealer, MailOn: mailer.On()}
	pages.Register(mux)
	srv := &http.Server{
		Handler:           logRequests(log, mux),
		ReadHeaderTimeout: 10 * time.Second,
		// Commune officers upload files over slow lines: allow minutes.
		ReadTimeout:  5 * time.Minute,
		WriteTimeout: 5 * time.Minute,
		IdleTimeout:  2 * time.Minute,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("không mở được địa chỉ %s: %w", addr, err)
	}
	fmt.Fprintf(stdout, "Máy chủ đang chạy: http://%s/  (CSDL %s; dừng bằng Ctrl+C)\n", ln.Addr(), redactDSN(s.DSN()))
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	background := jobs.Standard(s)
	if mailer.On() {
		background = append(background, jobs.Mail(s, mailer))
		log.Info("notices are e-mailed", "smtp", mailer.Addr)
	}
	runner := &jobs.Runner{Store: s, Jobs: background, Log: log, Wake: s.EvalsWanted(), WakeJob: "evals"}
	go func() {
		// The kept target evaluations first (a fresh demo has none), so
		// the pages warmed next read them rather than the values; the
		// other jobs wait for them, seconds on a province's data.
		runner.RunNow(ctx, "evals")
		go runner.Run(ctx)
		start := time.Now()
		if err := pages.Warm(ctx); err != nil && ctx.Err() == nil {
			log.Warn("warming pages", "err", err)
			return
		}
		log.Info("pages warmed", "took", time.Since(start).Round(time.Millisecond))
		start = time.Now()
		if err := s.WarmLedgerSearch(ctx); err != nil && ctx.Err() == nil {
			log.Warn("reading the ledgers for the public search", "err", err)
			return
		}
		log.Info("ledger search ready", "took", time.Since(start).Round(time.Millisecond))
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "Đã dừng máy chủ.")
	return nil
}

// logRequests logs each request with its status and duration.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		next.ServeHTTP(rec, r)
		log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "ms", time.Since(start).Milliseconds())
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}
