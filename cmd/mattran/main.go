// Command mattran runs the Fatherland Front's action programs: the server,
// the demo, and the import and export commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"os/user"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/store"
	"mattran/internal/vn"
)

// runFunc runs one command with the arguments after its name.
type runFunc func(ctx context.Context, args []string, stdout, stderr io.Writer) error

// command is a command of mattran, or a group of subcommands (units,
// program, values, user) when subs is set.
type command struct {
	name    string
	args    string // what the overview shows after the name
	summary string
	run     runFunc
	subs    []command
}

// commands lists every command in the order the overview shows them.
func commands() []command {
	return []command{
		{name: "demo", summary: "tạo CSDL mẫu (Bắc Giang, Bắc Ninh trước và sau 1/7/2025) và chạy máy chủ", run: cmdDemo},
		{name: "serve", summary: "chạy máy chủ web và API", run: cmdServe},
		{name: "migrate", summary: "tạo hoặc nâng cấp cấu trúc CSDL", run: cmdMigrate},
		{name: "units", summary: "danh mục đơn vị", subs: []command{
			{name: "import", args: "TỆP", summary: "nhập danh mục đơn vị (danh sách chính thức, tệp sáp nhập 2025, hoặc CSV)", run: cmdUnitsImport},
			{name: "export", summary: "xuất danh mục đơn vị ra CSV", run: cmdUnitsExport},
			{name: "history", args: "MÃ", summary: "lịch sử một mã đơn vị: các phiên bản, đơn vị trước và sau, ngày và kiểu kế thừa", run: cmdUnitsHistory},
		}},
		{name: "program", summary: "chương trình hành động", subs: []command{
			{name: "import", args: "TỆP", summary: "nhập chương trình hành động (YAML hoặc JSON)", run: cmdProgramImport},
			{name: "export", args: "MÃ", summary: "xuất chương trình ra YAML", run: cmdProgramExport},
		}},
		{name: "values", summary: "số liệu", subs: []command{
			{name: "import", args: "TỆP", summary: "nhập số liệu (dataValueSets của DHIS2, JSON hoặc CSV)", run: cmdValuesImport},
			{name: "export", summary: "xuất số liệu", run: cmdValuesExport},
			{name: "lock", summary: "khóa số liệu một kỳ của một đơn vị (đã duyệt)", run: cmdValuesLock},
			{name: "unlock", summary: "mở khóa một kỳ đã duyệt để sửa số liệu (ghi vào nhật ký)", run: cmdValuesUnlock},
		}},
		{name: "user", summary: "người dùng", subs: []command{
			{name: "add", summary: "tạo người dùng (và mã truy cập API)", run: cmdUserAdd},
		}},
		{name: "token", summary: "mã truy cập API", subs: []command{
			{name: "list", summary: "liệt kê mã truy cập API của một người dùng", run: cmdTokenList},
			{name: "add", summary: "cấp mã truy cập API (đặt tên, thời hạn)", run: cmdTokenAdd},
			{name: "revoke", summary: "thu hồi một hoặc mọi mã truy cập API của một người dùng", run: cmdTokenRevoke},
		}},
		{name: "evals", summary: "đánh giá chỉ tiêu giữ sẵn", subs: []command{
			{name: "build", summary: "đánh giá và giữ sẵn kết quả của một chương trình cho các kỳ", run: cmdEvalsBuild},
		}},
		{name: "ledger", summary: "sổ quỹ Vì người nghèo và cứu trợ", subs: []command{
			{name: "verify", summary: "tính lại chuỗi mã băm và số dư; nêu bút toán đầu tiên không khớp", run: cmdLedgerVerify},
		}},
		{name: "check", summary: "kiểm tra toàn vẹn CSDL, số tổng hợp và đánh giá giữ sẵn", run: cmdCheck},
		{name: "backup", args: "TỆP", summary: "sao lưu CSDL khi máy chủ đang chạy", run: cmdBackup},
		{name: "restore", args: "TỆP", summary: "phục hồi CSDL từ bản sao lưu, rồi kiểm tra", run: cmdRestore},
		{name: "version", summary: "in phiên bản", run: cmdVersion},
	}
}

// overview is what "mattran --help" prints.
func overview() string {
	var lines [][2]string
	for _, c := range commands() {
		if c.subs == nil {
			lines = append(lines, [2]string{join(c.name, c.args), c.summary})
		}
		for _, s := range c.subs {
			lines = append(lines, [2]string{join(c.name, s.name, s.args), s.summary})
		}
	}
	return "mattran — theo dõi chương trình hành động của Ủy ban MTTQ các cấp\n\n" +
		"Cách dùng:\n  mattran <lệnh> [tùy chọn]\n\n" +
		"Các lệnh:\n" + columns(lines) + "\n" +
		"Mỗi lệnh có --help. CSDL chọn bằng --db hoặc biến môi trường MATTRAN_DB\n" +
		"(mặc định sqlite:mattran.db; PostgreSQL: postgres://người_dùng@máy/csdl).\n"
}

// join joins the non-empty words with spaces.
func join(words ...string) string {
	return strings.Join(slices.DeleteFunc(words, func(w string) bool { return w == "" }), " ")
}

// columns lays out two-column lines, indented, the second column aligned.
func columns(lines [][2]string) string {
	width := 0
	for _, l := range lines {
		width = max(width, utf8.RuneCountInString(l[0]))
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString("  " + l[0] + strings.Repeat(" ", width-utf8.RuneCountInString(l[0])) + "   " + l[1] + "\n")
	}
	return b.String()
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command and returns the process exit code. A failure
// prints one line saying why (and, for a rejected file, each bad row); a
// wrong command line exits 2.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdout, stderr)
	var usage *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage):
		fmt.Fprintln(stderr, usage.Error())
		return 2
	}
	fmt.Fprintln(stderr, "mattran: "+oneLine(err))
	if e, ok := errs.As(err); ok {
		for _, d := range e.Details {
			fmt.Fprintln(stderr, "  "+d.String())
		}
	}
	return 1
}

// oneLine is the error's message on one line. A domain error's own message
// is one line already; its rows are printed after it. Other errors, such as
// the PostgreSQL driver's, may spread the reason over several lines, some
// repeated (one per address tried): they are joined, once each.
func oneLine(err error) string {
	if e, ok := errs.As(err); ok {
		return e.Message
	}
	var out string
	seen := map[string]bool{}
	for _, line := range strings.Split(err.Error(), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || seen[line] {
			continue
		}
		seen[line] = true
		switch {
		case out == "":
			out = line
		case strings.HasSuffix(out, ":"):
			out += " " + line
		default:
			out += "; " + line
		}
	}
	return out
}

// isHelp reports whether arg asks for help.
func isHelp(arg string) bool {
	return arg == "-h" || arg == "--help" || arg == "-help" || arg == "help"
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || isHelp(args[0]) && len(args) == 1 {
		fmt.Fprint(stdout, overview())
		return nil
	}
	if isHelp(args[0]) { // mattran help units import = mattran units import --help
		return dispatch(ctx, append(args[1:len(args):len(args)], "--help"), stdout, stderr)
	}
	if args[0] == "--version" || args[0] == "-version" {
		args = append([]string{"version"}, args[1:]...)
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		if c.subs == nil {
			return c.run(ctx, args[1:], stdout, stderr)
		}
		return runGroup(ctx, c, args[1:], stdout, stderr)
	}
	return &usageError{reason: fmt.Sprintf("không có lệnh %q", args[0])}
}

// runGroup runs a subcommand of a group such as "units"; "units --help"
// lists the subcommands.
func runGroup(ctx context.Context, g command, args []string, stdout, stderr io.Writer) error {
	subs := slices.Clone(g.subs)
	slices.SortFunc(subs, func(a, b command) int { return strings.Compare(a.name, b.name) })
	names := make([]string, len(subs))
	for i, s := range subs {
		names[i] = s.name
	}
	if len(args) == 0 {
		return &usageError{cmd: g.name, reason: "cần một lệnh con: " + strings.Join(names, ", ")}
	}
	if isHelp(args[0]) {
		lines := make([][2]string, len(subs))
		for i, s := range subs {
			lines[i] = [2]string{join(s.name, s.args), s.summary}
		}
		fmt.Fprintf(stdout, "Cách dùng: mattran %s <lệnh con> [tùy chọn]\n\nCác lệnh con (%s):\n%s\nMỗi lệnh con có --help, ví dụ: mattran %s %s --help\n",
			g.name, g.summary, columns(lines), g.name, subs[0].name)
		return nil
	}
	for _, s := range subs {
		if s.name == args[0] {
			return s.run(ctx, args[1:], stdout, stderr)
		}
	}
	return &usageError{cmd: g.name, reason: fmt.Sprintf("không có lệnh con %q; có: %s", args[0], strings.Join(names, ", "))}
}

func cmdVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", "", "In phiên bản của mattran: mã commit mà chương trình được dựng từ đó.", stdout)
	if _, err := fs.parse(args, ""); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "mattran "+version())
	return nil
}

// version is the commit the binary was built from, as Go records it:
// the short revision, with "-dirty" when the tree had uncommitted changes,
// or "(devel)" when the build has no VCS information (go run, go test).
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	var revision string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if revision == "" {
		return "(devel)"
	}
	if len(revision) > 12 {
		revision = revision[:12]
	}
	if dirty {
		revision += "-dirty"
	}
	return revision
}

// openStore opens and migrates an existing database. A SQLite file that is
// not there is refused: opening it would quietly create an empty database,
// and a typo in --db would look like a database with nothing in it. Only
// migrate, serve and demo create one (createStore).
func openStore(ctx context.Context, dsn string) (*store.Store, error) {
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok && path != "" {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, errs.New(errs.NotFound, "CSDL %s chưa có; tạo bằng: mattran migrate --db %s", dsn, dsn)
		}
	}
	return createStore(ctx, dsn)
}

// createStore opens and migrates the database, creating a SQLite file (and
// its directory) that is not there yet.
func createStore(ctx context.Context, dsn string) (*store.Store, error) {
	s, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("nâng cấp CSDL: %w", err)
	}
	return s, nil
}

// redactDSN hides a PostgreSQL password, in the URL's user part or in a
// password parameter, so it can be printed.
func redactDSN(dsn string) string {
	if strings.HasPrefix(dsn, "sqlite:") {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		// Unreadable: show only the scheme rather than risk the password.
		scheme, _, _ := strings.Cut(dsn, ":")
		return scheme + "://…"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// seconds formats a duration as Vietnamese seconds: "0,3".
func seconds(d time.Duration) string { return vn.FormatNumber(d.Seconds(), 1) }

// cliActor names the operating-system user in the audit log.
func cliActor() audit.Actor {
	name := "cli"
	if u, err := user.Current(); err == nil {
		name = "cli:" + u.Username
	}
	return audit.Actor{Name: name}
}

// openInput opens a file to read.
func openInput(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError("không mở được tệp", path, err)
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("không mở được tệp %s: đây là thư mục", path)
	}
	return f, nil
}

// readInput reads a whole file.
func readInput(path string) ([]byte, error) {
	f, err := openInput(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// openOutput opens -o FILE, or stdout for "" and "-".
func openOutput(path string, stdout io.Writer) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, fileError("không tạo được tệp", path, err)
	}
	return f, f.Close, nil
}

// fileError says why a file could not be opened, in Vietnamese for the
// common reasons; any other error is kept as it is.
func fileError(what, path string, err error) error {
	switch {
	case errors.Is(err, os.ErrNotExist) && strings.HasPrefix(what, "không tạo"):
		return fmt.Errorf("%s %s: không có thư mục chứa nó", what, path)
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("%s %s: không có tệp này", what, path)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("%s %s: không có quyền", what, path)
	}
	return err
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", "[--db …]", "Tạo hoặc nâng cấp cấu trúc cơ sở dữ liệu. Chạy lại nhiều lần không sao.", stdout)
	db := fs.DB()
	if _, err := fs.parse(args, ""); err != nil {
		return err
	}
	verb := "Đã nâng cấp"
	if path, ok := strings.CutPrefix(*db, "sqlite:"); ok {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			verb = "Đã tạo"
		}
	}
	s, err := createStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintf(stdout, "%s CSDL %s (%s).\n", verb, redactDSN(*db), s.Engine)
	return nil
}

func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", "[--db …]", "Kiểm tra toàn vẹn CSDL (SQLite: PRAGMA integrity_check), tính lại mọi số tổng hợp và mọi đánh giá\nchỉ tiêu giữ sẵn (mattran evals build) để so với số đã lưu.", stdout)
	db := fs.DB()
	if _, err := fs.parse(args, ""); err != nil {
		return err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.IntegrityCheck(ctx); err != nil {
		return err
	}
	if err := s.VerifyRollups(ctx); err != nil {
		return err
	}
	if err := s.VerifyEvals(ctx); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "CSDL toàn vẹn; số tổng hợp và đánh giá giữ sẵn khớp với số liệu.")
	return nil
}
