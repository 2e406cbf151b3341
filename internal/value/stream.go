package value

import (
	"bufio"
	"encoding/json"
	"io"
	"time"

	"mattran/internal/csvsafe"
)

// A Writer writes exported values one at a time, as they are read, so an
// export of a whole province (1.5 million values) holds one value in
// memory, not all of them (1.2 GB). Close finishes the file.
type Writer interface {
	Write(v Exported) error
	Close() error
}

// NewCSVWriter writes a DHIS2 CSV dataValueSet. Codes and names that a
// spreadsheet would run as formulas are written as text (csvsafe).
func NewCSVWriter(w io.Writer) Writer {
	cw := csvsafe.NewWriter(w)
	cw.Write([]string{"dataelement", "period", "orgunit", "value", "storedby", "lastupdated"})
	return &csvWriter{cw: cw}
}

type csvWriter struct {
	cw  *csvsafe.Writer
	rec [6]string
}

func (c *csvWriter) Write(v Exported) error {
	c.rec = [6]string{v.DataElement, v.Period, v.OrgUnit, v.Value, v.StoredBy, v.LastUpdated.UTC().Format(time.RFC3339)}
	return c.cw.Write(c.rec[:])
}

func (c *csvWriter) Close() error {
	c.cw.Flush()
	return c.cw.Error()
}

// NewJSONWriter writes a DHIS2 JSON dataValueSet, laid out as
// json.Encoder with a one-space indent lays out {"dataValues": [...]}.
func NewJSONWriter(w io.Writer) Writer {
	return &jsonWriter{w: bufio.NewWriterSize(w, 32<<10)}
}

type jsonWriter struct {
	w     *bufio.Writer
	count int
	err   error
}

func (j *jsonWriter) Write(v Exported) error {
	if j.err != nil {
		return j.err
	}
	b, err := json.MarshalIndent(v, "  ", " ")
	if err != nil {
		j.err = err
		return err
	}
	sep := ",\n  "
	if j.count == 0 {
		sep = "{\n \"dataValues\": [\n  "
	}
	j.count++
	j.w.WriteString(sep)
	_, j.err = j.w.Write(b)
	return j.err
}

func (j *jsonWriter) Close() error {
	if j.err != nil {
		return j.err
	}
	if j.count == 0 {
		j.w.WriteString("{\n \"dataValues\": []\n}\n")
	} else {
		j.w.WriteString("\n ]\n}\n")
	}
	return j.w.Flush()
}

func writeAll(w Writer, values []Exported) error {
	for _, v := range values {
		if err := w.Write(v); err != nil {
			return err
		}
	}
	return w.Close()
}
