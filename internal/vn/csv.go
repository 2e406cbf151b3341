package vn

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"io"
)

// NewCSVReader reads a CSV file as Vietnamese offices save them: Excel's
// "CSV UTF-8" starts with a byte-order mark, and Excel with Vietnamese
// regional settings separates cells with ';' (the comma is the decimal
// mark). The separator is whichever of ',', ';' or tab the first line uses
// most.
func NewCSVReader(data []byte) *csv.Reader {
	data = bytes.TrimPrefix(data, bom)
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = separator(data)
	r.FieldsPerRecord = -1
	return r
}

// NewCSVStream is NewCSVReader for a stream: it looks at the first line
// (within the first 64 KB) to choose the separator, drops a byte-order
// mark, and reads the rest as it comes.
func NewCSVStream(r io.Reader) *csv.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
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
