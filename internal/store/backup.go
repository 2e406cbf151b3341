package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite"

	"mattran/internal/errs"
)

// Backups. A backup is taken while the server runs, from one consistent
// snapshot, and a restore rebuilds a database that `mattran check` passes:
//
//   - SQLite: VACUUM INTO writes the snapshot as a compact database file.
//     Restoring copies it in place of a new or empty database, or, with
//     force, into the live one through SQLite's online backup API, under
//     its write lock, so a server running on it sees the restored data at
//     once and never a half-written file.
//   - PostgreSQL: pg_dump's custom format, restored by pg_restore in one
//     transaction (Debian's postgresql-client has both). With force, it
//     replaces the live tables in that one transaction: a server running
//     on the database waits out the swap and goes on.
//
// A backup file holds personal data and password hashes: it is written
// for its owner only, under a temporary name renamed once complete.

// BackupInfo says what a backup wrote.
type BackupInfo struct {
	Path  string
	Bytes int64
	Took  time.Duration
}

// Backup writes a consistent copy of the whole database to path, which
// must not exist yet.
func (s *Store) Backup(ctx context.Context, path string) (BackupInfo, error) {
	start := time.Now()
	info := BackupInfo{Path: path}
	if _, err := os.Stat(path); err == nil {
		return info, errs.New(errs.Conflict, "tệp %s đã có; hãy chọn tên khác (bản sao lưu không ghi đè bản cũ)", path)
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".dang-ghi")
	os.Remove(tmp)
	var err error
	switch s.Engine {
	case SQLite:
		_, err = s.DB.ExecContext(ctx, `VACUUM INTO $1`, tmp)
	case Postgres:
		err = pgTool(ctx, "pg_dump", s.dsn, "--format=custom", "--no-owner", "--no-privileges", "--file="+tmp)
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err == nil {
		err = syncFile(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return info, err
	}
	if st, err := os.Stat(path); err == nil {
		info.Bytes = st.Size()
	}
	info.Took = time.Since(start)
	return info, nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// backupKind tells a backup file's engine from its first bytes.
func backupKind(path string) (Engine, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", errs.New(errs.NotFound, "không có tệp sao lưu %s", path)
	}
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := io.ReadFull(f, head)
	switch {
	case bytes.HasPrefix(head[:n], []byte("SQLite format 3\x00")):
		return SQLite, nil
	case bytes.HasPrefix(head[:n], []byte("PGDMP")):
		return Postgres, nil
	}
	return "", errs.New(errs.Invalid, "tệp %s không phải bản sao lưu của mattran (SQLite hoặc pg_dump dạng custom)", path)
}

// Restore rebuilds the database dsn names from the backup at path. The
// target must be new or empty unless force is set; with force, its data
// are replaced, whether a server runs on it or not. The restored database
// is migrated to this version's schema; the caller checks it (IntegrityCheck,
// VerifyRollups).
func Restore(ctx context.Context, dsn, path string, force bool) error {
	kind, err := backupKind(path)
	if err != nil {
		return err
	}
	var want Engine = Postgres
	if strings.HasPrefix(dsn, "sqlite:") {
		want = SQLite
	}
	if kind != want {
		return errs.New(errs.Invalid, "bản sao lưu %s là của %s, CSDL đích là %s: không phục hồi chéo được", path, kind, want)
	}
	if kind == SQLite {
		if err := checkSQLiteBackup(ctx, path); err != nil {
			return err
		}
		if target := strings.TrimPrefix(dsn, "sqlite:"); !hasData(ctx, dsn) {
			return copyInPlace(path, target)
		}
	}
	s, err := Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	has, err := s.hasTables(ctx)
	if err != nil {
		return err
	}
	if has && !force {
		return errs.New(errs.Conflict, "CSDL đích đã có dữ liệu; thêm --force để thay bằng bản sao lưu (một máy chủ đang chạy trên nó sẽ thấy ngay dữ liệu phục hồi)")
	}
	before, err := s.versionsBefore(ctx, has)
	if err != nil {
		return err
	}
	switch kind {
	case SQLite:
		err = s.restoreSQLite(ctx, path)
	case Postgres:
		args := []string{"--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"}
		if has {
			args = append(args, "--clean", "--if-exists")
		}
		// The ledger's search index uses pg_trgm, which lives in public
		// (migration 0071): a dump of one schema does not hold it, so a new
		// database gets it first. Where it cannot be created the restore
		// fails at that index, naming it.
		_, _ = s.DB.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public`)
		err = pgTool(ctx, "pg_restore", dsn, append(args, path)...)
	}
	if err != nil {
		return err
	}
	if err := s.Migrate(ctx); err != nil {
		return fmt.Errorf("nâng cấp CSDL đã phục hồi: %w", err)
	}
	return s.raiseVersions(ctx, before)
}

// checkSQLiteBackup opens a backup read-only and checks it whole.
func checkSQLiteBackup(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&res); err != nil {
		return errs.New(errs.Invalid, "không đọc được bản sao lưu %s: %v", path, err)
	}
	if res != "ok" {
		return errs.New(errs.Invalid, "bản sao lưu %s bị hỏng: %s", path, res)
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n == 0 {
		return errs.New(errs.Invalid, "tệp %s không phải bản sao lưu của mattran", path)
	}
	return nil
}

// hasData reports whether a SQLite target already holds a database with
// tables; a missing or empty file holds none.
func hasData(ctx context.Context, dsn string) bool {
	path := strings.TrimPrefix(dsn, "sqlite:")
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		return false
	}
	s, err := Open(ctx, dsn)
	if err != nil {
		return true // let Restore's own open say what is wrong
	}
	defer s.Close()
	has, err := s.hasTables(ctx)
	return err != nil || has
}

// copyInPlace puts a SQLite backup where a new database goes.
func copyInPlace(from, to string) error {
	if dir := filepath.Dir(to); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
	}
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	tmp := to + ".dang-phuc-hoi"
	dst, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, src)
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	for _, side := range []string{"-wal", "-shm"} {
		os.Remove(to + side) // an empty database's leftovers
	}
	if err == nil {
		err = os.Rename(tmp, to)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// restoreSQLite copies a backup into the open database page by page,
// through SQLite's backup API, retrying while a writer holds the lock.
func (s *Store) restoreSQLite(ctx context.Context, path string) error {
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		r, ok := dc.(interface {
			NewRestore(string) (*sqlite.Backup, error)
		})
		if !ok {
			return errors.New("the SQLite driver offers no backup API")
		}
		b, err := r.NewRestore("file:" + path + "?mode=ro")
		if err != nil {
			return err
		}
		for tries := 0; ; tries++ {
			more, err := b.Step(-1)
			if err == nil && !more {
				break
			}
			if err != nil && (Unavailable(err) != busy || tries > 300) {
				b.Finish()
				return err
			}
			time.Sleep(100 * time.Millisecond)
		}
		return b.Finish()
	})
}

// hasTables reports whether the database holds mattran's tables.
func (s *Store) hasTables(ctx context.Context) (bool, error) {
	var n int
	var err error
	if s.Engine == SQLite {
		err = s.DB.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&n)
	} else {
		err = s.DB.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'`).Scan(&n)
	}
	return n > 0, err
}

// pageVersions are the cache counters a server reads (version.go).
type pageVersions struct{ global, groups int64 }

// versionsBefore reads the counters of a database about to be replaced.
func (s *Store) versionsBefore(ctx context.Context, has bool) (pageVersions, error) {
	var v pageVersions
	if !has {
		return v, nil
	}
	err := s.DB.QueryRowContext(ctx, `SELECT COALESCE((SELECT n FROM data_version WHERE id = 1), 0), COALESCE((SELECT max(n) FROM page_versions), 0)`).Scan(&v.global, &v.groups)
	return v, err
}

// raiseVersions sets the restored database's cache counters past any value
// the replaced one had: a server that cached pages of the old data sees
// every counter change, and computes them again from the restored data.
func (s *Store) raiseVersions(ctx context.Context, before pageVersions) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.exec(ctx, `UPDATE data_version SET n = n + $1 WHERE id = 1`, before.global+1); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `UPDATE page_versions SET n = n + $1`, before.groups+1)
		return err
	})
}

// pgTool runs pg_dump or pg_restore on the database dsn names. The
// password goes in the environment, not on the command line (where ps
// shows it), and a search_path (a schema of our own) becomes --schema.
func pgTool(ctx context.Context, tool, dsn string, args ...string) error {
	bin, err := exec.LookPath(tool)
	if err != nil {
		return errs.New(errs.Invalid, "không tìm thấy %s: hãy cài gói postgresql-client (apt-get install postgresql-client), cùng phiên bản với máy chủ PostgreSQL", tool)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return err
	}
	env := os.Environ()
	if pw, ok := u.User.Password(); ok {
		env = append(env, "PGPASSWORD="+pw)
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if schema := q.Get("search_path"); schema != "" {
		// pg_dump takes that schema alone; pg_restore restores what the
		// file holds, the schema included.
		if tool == "pg_dump" {
			args = append([]string{"--schema=" + schema}, args...)
		}
		q.Del("search_path")
	}
	u.RawQuery = q.Encode()
	cmd := exec.CommandContext(ctx, bin, append([]string{"--dbname=" + u.String()}, args...)...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i > 0 {
			msg = msg[:i]
		}
		return fmt.Errorf("%s: %v: %s", tool, err, msg)
	}
	return nil
}
