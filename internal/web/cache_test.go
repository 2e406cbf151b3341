package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
	"mattran/internal/web"
)

// Pages cache scorecards, but a write is visible on the next view: the
// cache is keyed by the store's data version, which every write raises.
func TestCachedScorecardSeesEveryWrite(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		h := newHarness(t, s)
		c := h.anonymous()
		for _, fund := range []string{"12000000000", "51000000000", "49000000000"} {
			if err := storetest.ImportCSV(s, "dataelement,period,orgunit,value\nCT2_QUY_VNN,2024,24,"+fund+"\n"); err != nil {
				t.Fatal(err)
			}
			_, page := c.get("/?period=2024")
			want := map[string]string{"12000000000": ">12 tỷ đồng<", "51000000000": ">51 tỷ đồng<", "49000000000": ">49 tỷ đồng<"}[fund]
			if row := rowOf(page, "T2.1"); !strings.Contains(row, want) {
				t.Errorf("after writing %s the page shows:\n%s", fund, row)
			}
		}
		// A figure written in a residential area shows on its commune's
		// page, cached before the write (the write raises the versions of
		// the area and its ancestors only).
		for _, done := range []string{"600", "900"} {
			if err := storetest.ImportCSV(s, "dataelement,period,orgunit,value\nCT2_HGD_TONG,2024,KDC-1,1000\nCT2_HGD_VANHOA,2024,KDC-1,"+done+"\n"); err != nil {
				t.Fatal(err)
			}
			_, page := c.get("/?unit=07201&period=2024")
			want := map[string]string{"600": ">60%<", "900": ">90%<"}[done]
			if row := rowOf(page, "T2.5"); !strings.Contains(row, want) {
				t.Errorf("after writing %s of 1.000 households the commune's page shows:\n%s", done, row)
			}
		}
	})
}

// Pages travel gzipped to browsers that accept it, and plain to others;
// an Excel download is sent as it is.
func TestPagesAreGzipped(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	c := h.login("lanhdao.tinh")
	for _, c2 := range []struct {
		path, accept, want string
	}{
		{"/home?unit=24&period=2024", "gzip, deflate", "gzip"},
		{"/home?unit=24&period=2024", "", ""},
		{"/home/children?unit=24&period=2024&format=xlsx", "gzip", ""},
	} {
		req, _ := http.NewRequest(http.MethodGet, h.URL+c2.path, nil)
		if c2.accept != "" {
			req.Header.Set("Accept-Encoding", c2.accept)
		}
		// A transport that leaves the encoding to us, as a browser's does.
		resp, err := (&http.Client{Jar: c.http.Jar, Transport: &http.Transport{DisableCompression: true}}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := resp.Header.Get("Content-Encoding"); got != c2.want || resp.StatusCode != 200 {
			t.Errorf("GET %s with Accept-Encoding %q: %d, Content-Encoding %q, want %q", c2.path, c2.accept, resp.StatusCode, got, c2.want)
			continue
		}
		if c2.want == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(zr)
			if !strings.Contains(string(page), "T2.1") || len(body)*3 > len(page) {
				t.Errorf("gzipped page: %d bytes for %d of HTML", len(body), len(page))
			}
		}
	}
}

// Fifty readers wait for one computation of a page; when the reader that
// started it goes away (a closed tab), the others still get the page, not
// its cancellation.
func TestCacheSurvivesACancelledComputation(t *testing.T) {
	s := storetest.SQLite(t)
	h := &web.Web{Store: s}
	first, cancel := context.WithCancel(context.Background())
	started := make(chan struct{})
	done := make(chan error)
	go func() {
		_, err := web.Cached(first, h, "page", func() (string, error) {
			close(started)
			<-first.Done()
			return "", first.Err()
		})
		done <- err
	}()
	<-started
	got := make(chan string)
	go func() {
		v, err := web.Cached(context.Background(), h, "page", func() (string, error) { return "trang", nil })
		if err != nil {
			t.Errorf("the waiting reader got %v", err)
		}
		got <- v
	}()
	time.Sleep(50 * time.Millisecond) // the second reader is waiting
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("the cancelled reader got %v", err)
	}
	if v := <-got; v != "trang" {
		t.Errorf("the waiting reader got %q", v)
	}
}

// The cache's memory is bounded by what its values hold, not only by the
// pages' HTML: large unit lists (a province's tree is thousands of units)
// fill it, and past its bound it starts over, so the first list is made
// again; a value of more than a quarter of the bound is never kept.
func TestCacheBoundsWhatItHolds(t *testing.T) {
	s := storetest.SQLite(t)
	h := &web.Web{Store: s}
	ctx := context.Background()
	made := map[string]int{}
	list := func(key string, n int) {
		_, err := web.Cached(ctx, h, key, func() ([]unit.Unit, error) {
			made[key]++
			return make([]unit.Unit, n), nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	list("a", 60_000)
	list("a", 60_000)
	if made["a"] != 1 {
		t.Fatalf("a list asked twice was made %d times", made["a"])
	}
	for _, k := range []string{"b", "c", "d", "e", "f"} {
		list(k, 60_000)
	}
	list("a", 60_000)
	if made["a"] != 2 {
		t.Errorf("after five more lists of 60,000 units, the first was made %d times: the cache kept them all", made["a"])
	}
	list("national", 200_000)
	list("national", 200_000)
	if made["national"] != 2 {
		t.Errorf("a list of 200,000 units asked twice was made %d times: kept, though over a quarter of the bound", made["national"])
	}
}
