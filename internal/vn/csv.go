package vn

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
)

// CSVError says in Vietnamese where and why a CSV file is malformed, for
// every importer that reads CSV.
func CSVError(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("dòng %d, cột %d: CSV không hợp lệ (%s)", pe.Line, pe.Column, csvReason(pe.Err))
	}
	return "CSV không hợp lệ: " + csvReason(err)
}

func csvReason(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote), errors.Is(err, csv.ErrBareQuote):
		return "dấu ngoặc kép \" không đúng chỗ"
	case errors.Is(err, csv.ErrFieldCount):
		return "số cột sai"
	}
	return err.Error()
}

// NewCSVReader reads a CSV file as Vietnamese offices save them: Excel's
// "CSV UTF-8" starts with a byte-order mark, and Excel with Vietnamese
// regional settings separates cells with ';' (the comma is the decimal
// mark). The separator is whichever of ',', ';' or tab the first line uses
// most.
func NewCSVReader(data []byte) *csv.Reader {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
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
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = sep
	r.FieldsPerRecord = -1
	return r
}
