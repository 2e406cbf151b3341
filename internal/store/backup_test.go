package store_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
)

// A backup taken while figures are being written is one consistent
// snapshot: restored into a new database it passes the integrity check
// and the roll-up verification (what `mattran check` runs) and holds a
// figure between the last write acknowledged before the backup began and
// the first after it ended. Restored with force into the live database, a
// store open on it reads the restored figure at once. On both engines
// (issue 8, backups).
func TestBackupAndRestoreWhileWriting(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		storetest.Fixture(t, s)
		if err := storetest.ImportCSV(s, households2024); err != nil {
			t.Fatal(err)
		}
		var acked atomic.Int64 // the last figure a write acknowledged
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int64(1); ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := storetest.ImportCSV(s, fmt.Sprintf("dataelement,period,orgunit,value\nCT1_CTV,2024,07201,%d\n", i)); err != nil {
					t.Errorf("write %d during the backup: %v", i, err)
					return
				}
				acked.Store(i)
			}
		}()
		for acked.Load() < 5 {
			time.Sleep(5 * time.Millisecond)
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "sao-luu.bak")
		low := acked.Load()
		info, err := s.Backup(ctx, path)
		high := acked.Load() + 1
		close(stop)
		wg.Wait()
		if err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 || info.Bytes == 0 {
			t.Errorf("the backup file: %v %v, %d bytes", st.Mode(), err, info.Bytes)
		}
		if _, err := s.Backup(ctx, path); err == nil {
			t.Error("a backup overwrote an older one")
		}

		// Into a new database.
		target := newTarget(t, s)
		if err := store.Restore(ctx, target, path, false); err != nil {
			t.Fatal(err)
		}
		r, err := store.Open(ctx, target)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if err := r.IntegrityCheck(ctx); err != nil {
			t.Error(err)
		}
		if err := r.VerifyRollups(ctx); err != nil {
			t.Error(err)
		}
		got := figureOf(t, r, "CT1_CTV", "07201")
		if got < float64(low) || got > float64(high) {
			t.Errorf("the restored figure is %v, want between %d (acknowledged before) and %d (after)", got, low, high)
		}
		if n := count(t, r, "data_values"); n != count(t, s, "data_values") {
			t.Errorf("the restored copy holds %d values, the database %d", n, count(t, s, "data_values"))
		}
		// A second restore onto it is refused without force.
		if err := store.Restore(ctx, target, path, false); err == nil || !strings.Contains(err.Error(), "--force") {
			t.Errorf("restoring over data without force: %v", err)
		}

		// Into the live database, with force: the open store reads it.
		if err := storetest.ImportCSV(s, "dataelement,period,orgunit,value\nCT1_CTV,2024,07201,999999\n"); err != nil {
			t.Fatal(err)
		}
		before, _ := s.DataVersion(ctx, storeUnit(t, s, "24"))
		if err := store.Restore(ctx, s.DSN(), path, true); err != nil {
			t.Fatal(err)
		}
		if now := figureOf(t, s, "CT1_CTV", "07201"); now != got {
			t.Errorf("after restoring over the live database, it reads %v, want the backup's %v", now, got)
		}
		after, _ := s.DataVersion(ctx, storeUnit(t, s, "24"))
		if after.Global <= before.Global {
			t.Errorf("the cache version went from %d to %d: servers would show pages of the replaced data", before.Global, after.Global)
		}
		if err := s.VerifyRollups(ctx); err != nil {
			t.Error(err)
		}
		t.Logf("backup of %d bytes in %v, taken while %d writes ran", info.Bytes, info.Took.Round(time.Millisecond), high-low)
	})
}

// newTarget is an empty database of the same engine as s: a file name
// for SQLite, a database of its own for PostgreSQL (the schema restored
// keeps its name), dropped at the end.
func newTarget(t *testing.T, s *store.Store) string {
	t.Helper()
	if s.Engine == store.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "phuc-hoi.db")
	}
	base := os.Getenv(storetest.PostgresEnv)
	b := make([]byte, 5)
	rand.Read(b)
	name := "restore_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", base); err == nil {
			db.Exec(`DROP DATABASE ` + name + ` WITH (FORCE)`)
			db.Close()
		}
	})
	u, _ := url.Parse(s.DSN())
	u.Path = "/" + name
	return u.String()
}

func figureOf(t *testing.T, s *store.Store, element, unitCode string) float64 {
	t.Helper()
	var v float64
	if err := s.DB.QueryRow(`SELECT v.value FROM data_values v JOIN data_elements e ON e.id = v.element_id JOIN units u ON u.id = v.unit_id
		WHERE e.code = $1 AND u.code = $2 AND v.period = '2024'`, element, unitCode).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func storeUnit(t *testing.T, s *store.Store, code string) unit.Unit {
	t.Helper()
	u, err := s.UnitAt(context.Background(), code, "2024-06-30")
	if err != nil {
		t.Fatal(err)
	}
	return u
}
