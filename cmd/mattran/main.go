// Command mattran runs the Fatherland Front's action programs: the server,
// the demo, and the import and export commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"os/user"
	"strings"
	"syscall"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/store"
)

const usage = `mattran — theo dõi chương trình hành động của Ủy ban MTTQ các cấp

Cách dùng:
  mattran <lệnh> [tùy chọn]

Các lệnh:
  demo                 tạo CSDL mẫu (tỉnh Bắc Giang 2020–2024) và chạy máy chủ
  serve                chạy máy chủ web và API
  migrate              tạo hoặc nâng cấp cấu trúc CSDL
  units import TỆP     nhập danh mục đơn vị (danh sách chính thức, tệp sáp nhập 2025, hoặc CSV)
  units export         xuất danh mục đơn vị ra CSV
  program import TỆP   nhập chương trình hành động (YAML hoặc JSON)
  program export MÃ    xuất chương trình ra YAML
  values import TỆP    nhập số liệu (dataValueSets của DHIS2, JSON hoặc CSV)
  values export        xuất số liệu
  values lock          khóa số liệu một kỳ của một đơn vị (đã duyệt)
  user add             tạo người dùng (và mã truy cập API)
  check                kiểm tra toàn vẹn CSDL và số tổng hợp

Mỗi lệnh có --help. CSDL chọn bằng --db hoặc biến môi trường MATTRAN_DB
(mặc định sqlite:mattran.db; PostgreSQL: postgres://người_dùng@máy/csdl).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command and returns the process exit code. A failure
// prints one line saying why (and, for a rejected file, each bad row).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	err := dispatch(ctx, args, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintln(stderr, "mattran: "+firstLine(err))
	if e, ok := errs.As(err); ok {
		for _, d := range e.Details {
			fmt.Fprintln(stderr, "  "+d.String())
		}
	}
	return 1
}

var errUsage = errors.New("usage")

func firstLine(err error) string {
	s := err.Error()
	if e, ok := errs.As(err); ok {
		s = e.Message
	}
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd, rest := args[0], args[1:]
	two := func(sub map[string]func(context.Context, []string, io.Writer, io.Writer) error) error {
		if len(rest) == 0 || sub[rest[0]] == nil {
			fmt.Fprintf(stderr, "mattran %s: cần một lệnh con (", cmd)
			first := true
			for name := range sub {
				if !first {
					fmt.Fprint(stderr, ", ")
				}
				fmt.Fprint(stderr, name)
				first = false
			}
			fmt.Fprintln(stderr, ")")
			return errUsage
		}
		return sub[rest[0]](ctx, rest[1:], stdout, stderr)
	}
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "demo":
		return cmdDemo(ctx, rest, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, stdout, stderr)
	case "check":
		return cmdCheck(ctx, rest, stdout, stderr)
	case "units":
		return two(map[string]func(context.Context, []string, io.Writer, io.Writer) error{"import": cmdUnitsImport, "export": cmdUnitsExport})
	case "program":
		return two(map[string]func(context.Context, []string, io.Writer, io.Writer) error{"import": cmdProgramImport, "export": cmdProgramExport})
	case "values":
		return two(map[string]func(context.Context, []string, io.Writer, io.Writer) error{"import": cmdValuesImport, "export": cmdValuesExport, "lock": cmdValuesLock})
	case "user":
		return two(map[string]func(context.Context, []string, io.Writer, io.Writer) error{"add": cmdUserAdd})
	}
	fmt.Fprintf(stderr, "mattran: không có lệnh %q\n\n%s", cmd, usage)
	return errUsage
}

// newFlags makes a flag set for a command, with its Vietnamese help.
func newFlags(name, help string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Cách dùng: mattran %s\n\n%s\n\nTùy chọn:\n", name, help)
		fs.PrintDefaults()
	}
	return fs
}

// dbFlag adds --db, defaulting to $MATTRAN_DB or sqlite:mattran.db.
func dbFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("MATTRAN_DB")
	if def == "" {
		def = "sqlite:mattran.db"
	}
	return fs.String("db", def, "cơ sở dữ liệu: sqlite:ĐƯỜNG_DẪN hoặc postgres://… (biến MATTRAN_DB)")
}

// parse parses flags; with positional, it requires exactly that many
// arguments after the flags, in any order with them.
func parse(fs *flag.FlagSet, args []string, positional int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) != positional {
		fs.Usage()
		return nil, errUsage
	}
	return pos, nil
}

// openStore opens and migrates the database.
func openStore(ctx context.Context, dsn string) (*store.Store, error) {
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

// cliActor names the operating-system user in the audit log.
func cliActor() audit.Actor {
	name := "cli"
	if u, err := user.Current(); err == nil {
		name = "cli:" + u.Username
	}
	return audit.Actor{Name: name}
}

// openOutput opens -o FILE, or stdout for "" and "-".
func openOutput(path string, stdout io.Writer) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate [--db …]", "Tạo hoặc nâng cấp cấu trúc cơ sở dữ liệu. Chạy lại nhiều lần không sao.", stderr)
	db := dbFlag(fs)
	if _, err := parse(fs, args, 0); err != nil {
		return err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintf(stdout, "Đã nâng cấp CSDL %s (%s).\n", *db, s.Engine)
	return nil
}

func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check [--db …]", "Kiểm tra toàn vẹn CSDL (SQLite: PRAGMA integrity_check) và tính lại mọi số tổng hợp để so với số đã lưu.", stderr)
	db := dbFlag(fs)
	if _, err := parse(fs, args, 0); err != nil {
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
	fmt.Fprintln(stdout, "CSDL toàn vẹn; số tổng hợp khớp với số liệu.")
	return nil
}
