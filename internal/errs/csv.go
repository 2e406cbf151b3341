package errs

import (
	"encoding/csv"
	"errors"

	"mattran/internal/vn"
)

// CSVDetail says where and why encoding/csv (read through
// vn.NewCSVStream) could not read a file, for every importer that reads
// CSV.
func CSVDetail(err error) Detail {
	var pe *csv.ParseError
	var long *vn.RecordTooLong
	d := Detail{Code: CSVSyntax, Args: Args{Text: err.Error()}}
	if errors.As(err, &long) {
		return Detail{Row: long.Line, Code: LineTooLong, Args: Args{Max: float64(long.Max)}}
	}
	if errors.As(err, &pe) {
		d.Row, d.Args.Number, d.Args.Text = pe.Line, float64(pe.Column), pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
			d.Code, d.Args.Text = CSVQuote, ""
		}
	}
	return d
}
