package errs

import (
	"encoding/csv"
	"errors"
)

// CSVDetail says where and why encoding/csv could not read a file, for
// every importer that reads CSV.
func CSVDetail(err error) Detail {
	var pe *csv.ParseError
	d := Detail{Code: CSVSyntax, Args: Args{Text: err.Error()}}
	if errors.As(err, &pe) {
		d.Row, d.Args.Number, d.Args.Text = pe.Line, float64(pe.Column), pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrQuote) || errors.Is(pe.Err, csv.ErrBareQuote) {
			d.Code, d.Args.Text = CSVQuote, ""
		}
	}
	return d
}
