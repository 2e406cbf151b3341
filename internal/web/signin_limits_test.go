package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"mattran/internal/store/storetest"
)

// A stranger who has not signed in cannot fill the disk through the
// sign-in form (issue 8, item 3): a name longer than any account's is
// refused before anything is stored, and once the address is over the
// limit, further tries store nothing either.
func TestSignInStoresLittle(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	s := h.Store
	attempts := func() (rows, bytes int) {
		t.Helper()
		if err := s.DB.QueryRow(`SELECT count(*), COALESCE(sum(length(username)), 0) FROM login_attempts`).Scan(&rows, &bytes); err != nil {
			t.Fatal(err)
		}
		return rows, bytes
	}
	c := h.anonymous()
	huge := strings.Repeat("a", 1<<20) // 1 MB, under the form's 2 MB
	for range 5 {
		c.get("/login")
		status, body := c.post("/login", url.Values{"username": {huge}, "password": {"doan-bua-di"}})
		if status != http.StatusBadRequest || !strings.Contains(body, "không quá 64 ký tự") {
			t.Fatalf("a 1 MB user name = %d, want 400 and the limit named", status)
		}
		if strings.Contains(body, huge[:1000]) {
			t.Fatalf("the page repeats the 1 MB name")
		}
	}
	if rows, n := attempts(); rows != 0 || n != 0 {
		t.Errorf("after five 1 MB names, login_attempts holds %d rows, %d bytes of names; want nothing", rows, n)
	}
	// Forty wrong guesses from one address, under different names: the
	// first twenty are tried and stored, the rest refused and not stored.
	for i := range 40 {
		c.get("/login")
		c.post("/login", url.Values{"username": {"khach." + strings.Repeat("x", i%50+3)}, "password": {"doan-bua-di"}})
	}
	if rows, n := attempts(); rows > 20 || n > 20*64 {
		t.Errorf("after 40 tries from one address, login_attempts holds %d rows (%d bytes); the limit is 20 per address", rows, n)
	}
}
