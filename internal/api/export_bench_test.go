package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"mattran/internal/api"
	"mattran/internal/demo"
	"mattran/internal/store"
	"mattran/internal/value"
)

// BenchmarkExportProvince: a viewer exports every value of the province
// (Bắc Giang of the demo: 10 districts, 195 communes, ~2,300 residential
// areas, 2020–2024) as CSV through the API, which streams a page of values
// at a time, against the baseline in the same iteration: the same values
// gathered in one slice and then written (what the API did before, and
// what peaked at 1.2 GB for 1.54 M values). peak-heap-MB is the live heap's
// peak above what it held before, sampled every millisecond.
//
//	go test -run XXX -bench ExportProvince -benchtime 3x ./internal/api/
//
// The demo database is built once into $MATTRAN_BENCH_DIR (default
// $TMPDIR/mattran-bench).
func BenchmarkExportProvince(b *testing.B) {
	ctx := context.Background()
	s, token := exportBenchStore(b)
	mux := http.NewServeMux()
	(&api.API{Store: s, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Register(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	province, err := s.UnitAt(ctx, demo.Province, "2024-12-31")
	if err != nil {
		b.Fatal(err)
	}
	var values int
	s.DB.QueryRow(`SELECT count(*) FROM data_values`).Scan(&values)
	var streamPeak, slicePeak uint64
	var streamTime, sliceTime time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		streamPeak = max(streamPeak, peakHeap(func() {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/dataValueSets?orgUnit="+demo.Province+"&children=true&format=csv", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != http.StatusOK {
				b.Fatalf("export: %v %v", err, resp)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}))
		streamTime += time.Since(start)
		b.StopTimer()
		start = time.Now()
		slicePeak = max(slicePeak, peakHeap(func() {
			all, err := s.ExportValues(ctx, store.ExportFilter{Unit: province, Children: true})
			if err != nil {
				b.Fatal(err)
			}
			value.WriteCSV(io.Discard, all)
		}))
		sliceTime += time.Since(start)
		b.StartTimer()
	}
	b.ReportMetric(float64(values), "values")
	b.ReportMetric(float64(streamPeak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(slicePeak)/(1<<20), "slice-peak-heap-MB")
	b.ReportMetric(float64(streamPeak)/float64(slicePeak), "x-slice-heap")
	b.ReportMetric(float64(sliceTime.Nanoseconds())/float64(b.N), "slice-ns/op")
}

// peakHeap runs fn and returns how far the live heap rose above where it
// stood before, sampled every millisecond.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	fn()
	close(stop)
	wg.Wait()
	if peak < base {
		return 0
	}
	return peak - base
}

// exportBenchStore opens the demo database, building it the first time.
func exportBenchStore(b *testing.B) (*store.Store, string) {
	b.Helper()
	ctx := context.Background()
	dir := os.Getenv("MATTRAN_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "mattran-bench")
	}
	os.MkdirAll(dir, 0o750)
	path := filepath.Join(dir, "export-demo-v1.db")
	tokenFile := path + ".token"
	if _, err := os.Stat(tokenFile); err != nil {
		os.Remove(path)
		s, err := store.Open(ctx, "sqlite:"+path)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		accounts, err := demo.Load(ctx, s, "")
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
		if err := os.WriteFile(tokenFile, []byte(accounts[0].Token), 0o600); err != nil {
			b.Fatal(err)
		}
	}
	token, _ := os.ReadFile(tokenFile)
	s, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s, string(token)
}
