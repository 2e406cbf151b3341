package web

import (
	"compress/gzip"
	"net/http"
	"strings"
	"sync"
)

// Pages are gzipped for browsers that accept it: a province's home page is
// 51 KB of HTML and 8 KB gzipped, which matters on a commune's weak line.
// Downloads (XLSX is already compressed) pass through as they are.

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// gzipResponse compresses what a handler writes when its Content-Type is
// text; it decides at the first write, once the handler has set headers.
type gzipResponse struct {
	http.ResponseWriter
	gz      *gzip.Writer
	decided bool
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		if strings.TrimSpace(strings.SplitN(part, ";", 2)[0]) == "gzip" {
			return true
		}
	}
	return false
}

func (g *gzipResponse) decide() {
	if g.decided {
		return
	}
	g.decided = true
	h := g.Header()
	if !strings.HasPrefix(h.Get("Content-Type"), "text/") || h.Get("Content-Encoding") != "" {
		return
	}
	h.Del("Content-Length")
	h.Set("Content-Encoding", "gzip")
	h.Add("Vary", "Accept-Encoding")
	g.gz = gzipWriters.Get().(*gzip.Writer)
	g.gz.Reset(g.ResponseWriter)
}

func (g *gzipResponse) WriteHeader(status int) {
	g.decide()
	g.ResponseWriter.WriteHeader(status)
}

func (g *gzipResponse) Write(b []byte) (int, error) {
	g.decide()
	if g.gz != nil {
		return g.gz.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

// close flushes the compressed stream and returns the writer to the pool.
func (g *gzipResponse) close() {
	if g.gz != nil {
		g.gz.Close()
		gzipWriters.Put(g.gz)
		g.gz = nil
	}
}
