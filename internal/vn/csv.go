package vn

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
)

// NewCSVStream reads a CSV file as Vietnamese offices save them, as it
// comes: Excel's "CSV UTF-8" starts with a byte-order mark, and Excel with
// Vietnamese regional settings separates cells with ';' (the comma is the
// decimal mark). The separator is whichever of ',', ';' or tab the first
// line (within the first 64 KB) uses most. A record (a line, or the lines a
// quoted cell spans) longer than maxRecord bytes fails the read with a
// *RecordTooLong: encoding/csv would otherwise hold a whole file without a
// line break in memory.
func NewCSVStream(r io.Reader, maxRecord int) *csv.Reader {
	br := bufio.NewReaderSize(&recordLimit{r: r, max: maxRecord, line: 1}, 64<<10)
	head, _ := br.Peek(br.Size())
	if bytes.HasPrefix(head, bom) {
		br.Discard(len(bom))
		head = head[len(bom):]
	}
	r2 := csv.NewReader(br)
	r2.Comma = separator(head)
	r2.FieldsPerRecord = -1
	return r2
}

var bom = []byte("\ufeff")

// separator is whichever of ',', ';' or tab the first line uses most.
func separator(data []byte) rune {
	first := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		first = data[:i]
	}
	sep, most := ',', bytes.Count(first, []byte{','})
	for _, c := range []rune{';', '\t'} {
		if n := bytes.Count(first, []byte(string(c))); n > most {
			sep, most = c, n
		}
	}
	return sep
}

// recordLimit passes a CSV file through, failing as soon as one record
// grows past max bytes. A newline ends a record when the quotes before it
// are balanced; a doubled quote inside a quoted cell counts twice, so it
// keeps the balance.
type recordLimit struct {
	r        io.Reader
	max, run int
	line     int  // the line being read
	start    int  // the line the record began on
	quoted   bool // inside a quoted cell
}

// RecordTooLong is the error of a CSV record longer than allowed, from
// the line it starts on.
type RecordTooLong struct{ Line, Max int }

func (e *RecordTooLong) Error() string {
	return fmt.Sprintf("dòng %d dài hơn %d KB", e.Line, e.Max>>10)
}

func (l *recordLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	if l.start == 0 {
		l.start = l.line
	}
	for _, c := range p[:n] {
		switch c {
		case '"':
			l.quoted = !l.quoted
		case '\n':
			l.line++
			if !l.quoted {
				l.run, l.start = -1, l.line
			}
		}
		if l.run++; l.run > l.max {
			return 0, &RecordTooLong{Line: l.start, Max: l.max}
		}
	}
	return n, err
}
