package vn

import (
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
