package rollup

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"mattran/internal/program"
)

// The kept evaluations (store/evals.go) store a reading per target and
// unit, and pages decode thousands of them: encoding/json's reflection
// was half of a cold children table's reading time. This compact text
// form is read by hand. It is exact: numbers in the shortest form that
// parses back to the same float64, labels quoted, nil and empty kept
// apart. A line per reading and per part, fields separated by tabs:
//
//	R <status> <value>  <number of parts, or - for none>
//	P <label> <percent> <value> <numerator> <denominator> <previous> <comparator> <threshold> <own> <status>
//
// A nil number is "-". DecodeReading also reads the JSON of rows kept
// before (a document starting with "{").

// EncodeReading is r in the compact form.
func EncodeReading(r Reading) []byte {
	b := make([]byte, 0, 16+96*len(r.Parts))
	b = append(b, "R\t"...)
	b = append(b, r.Status...)
	b = append(b, '\t')
	b = appendNum(b, r.Value)
	b = append(b, '\t')
	if r.Parts == nil {
		b = append(b, '-')
	} else {
		b = strconv.AppendInt(b, int64(len(r.Parts)), 10)
	}
	for _, p := range r.Parts {
		b = append(b, "\nP\t"...)
		b = strconv.AppendQuote(b, p.Label)
		b = append(b, '\t')
		b = appendBool(b, p.Percent)
		for _, x := range []*float64{p.Value, p.Numerator, p.Denominator, p.Previous} {
			b = append(b, '\t')
			b = appendNum(b, x)
		}
		b = append(b, '\t')
		b = strconv.AppendQuote(b, string(p.Comparator))
		b = append(b, '\t')
		b = appendNum(b, p.Threshold)
		b = append(b, '\t')
		b = appendBool(b, p.OwnThreshold)
		b = append(b, '\t')
		b = append(b, p.Status...)
	}
	return b
}

func appendNum(b []byte, x *float64) []byte {
	if x == nil {
		return append(b, '-')
	}
	return strconv.AppendFloat(b, *x, 'g', -1, 64)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, '1')
	}
	return append(b, '0')
}

var errCodec = errors.New("reading: not in the compact form")

// DecodeReading reads what EncodeReading (or json.Marshal) wrote.
func DecodeReading(doc string) (Reading, error) {
	var r Reading
	if strings.HasPrefix(doc, "{") {
		err := json.Unmarshal([]byte(doc), &r)
		return r, err
	}
	line, rest, _ := strings.Cut(doc, "\n")
	var f [11]string
	if fields(line, f[:4]) != 4 || f[0] != "R" {
		return r, errCodec
	}
	r.Status = Status(f[1])
	var nums [1]float64
	var err error
	if r.Value, err = readNum(f[2], &nums[0]); err != nil {
		return r, err
	}
	if f[3] == "-" {
		if rest != "" {
			return r, errCodec
		}
		return r, nil
	}
	n, err := strconv.Atoi(f[3])
	if err != nil || n < 0 || n > strings.Count(rest, "\n")+1 {
		return r, errCodec
	}
	r.Parts = make([]Part, n)
	// One array holds every number of the parts: one allocation, not one
	// per number.
	partNums := make([]float64, 5*n)
	for i := range r.Parts {
		line, rest, _ = strings.Cut(rest, "\n")
		if fields(line, f[:]) != 11 || f[0] != "P" {
			return r, errCodec
		}
		p := &r.Parts[i]
		if p.Label, err = strconv.Unquote(f[1]); err != nil {
			return r, err
		}
		p.Percent = f[2] == "1"
		x := partNums[5*i : 5*i+5]
		for j, dst := range []**float64{&p.Value, &p.Numerator, &p.Denominator, &p.Previous} {
			if *dst, err = readNum(f[3+j], &x[j]); err != nil {
				return r, err
			}
		}
		c, err := strconv.Unquote(f[7])
		if err != nil {
			return r, err
		}
		p.Comparator = program.Comparator(c)
		if p.Threshold, err = readNum(f[8], &x[4]); err != nil {
			return r, err
		}
		p.OwnThreshold = f[9] == "1"
		p.Status = Status(f[10])
	}
	if rest != "" {
		return r, fmt.Errorf("reading: %d parts and more lines", len(r.Parts))
	}
	return r, nil
}

// fields cuts line at tabs into f and returns how many fields it has
// (len(f)+1 when it has more than f holds).
func fields(line string, f []string) int {
	for i := range f {
		var ok bool
		f[i], line, ok = strings.Cut(line, "\t")
		if !ok {
			return i + 1
		}
	}
	return len(f) + 1
}

// readNum reads a number into *into, or nil for "-".
func readNum(s string, into *float64) (*float64, error) {
	if s == "-" {
		return nil, nil
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, err
	}
	*into = x
	return into, nil
}
