package imports

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"mattran/internal/errs"
	"mattran/internal/limits"
	"mattran/internal/value"
)

// Scan is what one quick pass over a dataValueSet finds before the file
// queues: how many values it holds (counted up to one past
// limits.ImportRows, where the pass stops) and the unit codes it names,
// each with where it is first named ("dòng 12", "giá trị thứ 5"). It
// reads the file as a stream and holds only the distinct codes, a few
// thousand at most.
type Scan struct {
	Rows  int
	Codes map[string]string
}

// ErrUnread says the pass could not follow the file: the value parser,
// run next, says what is wrong with it, where.
var ErrUnread = errors.New("imports: the scan could not read the file")

// ScanRows is the scan of rows already parsed.
func ScanRows(rows []value.Row) Scan {
	sc := Scan{Rows: len(rows), Codes: map[string]string{}}
	for _, r := range rows {
		if _, seen := sc.Codes[r.OrgUnit]; !seen && r.OrgUnit != "" && len(sc.Codes) < maxCodes {
			sc.Codes[r.OrgUnit] = errs.Where(errs.Detail{Row: r.Line, Index: r.Index})
		}
	}
	return sc
}

// ScanValues makes the pass over a DHIS2 dataValueSet, JSON (starting with
// '{') or CSV. It is no validation: a file it cannot follow returns
// ErrUnread, and the value parser then names the fault.
func ScanValues(r io.Reader) (Scan, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if head, _ := br.Peek(3); bytes.Equal(head, []byte("\ufeff")) {
		br.Discard(3)
	}
	for {
		b, err := br.Peek(1)
		if err != nil {
			return Scan{}, ErrUnread
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			br.Discard(1)
			continue
		case '{':
			return scanJSON(br)
		}
		return scanCSV(br)
	}
}

func scanCSV(br *bufio.Reader) (Scan, error) {
	sc := Scan{Codes: map[string]string{}}
	first, _ := br.Peek(min(br.Buffered(), 4096))
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	r := csv.NewReader(br)
	r.ReuseRecord, r.FieldsPerRecord = true, -1
	// The separator the value parser takes: the one the header uses most.
	r.Comma = ','
	most := bytes.Count(first, []byte{','})
	for _, c := range []rune{';', '\t'} {
		if n := bytes.Count(first, []byte(string(c))); n > most {
			r.Comma, most = c, n
		}
	}
	header, err := r.Read()
	if err != nil {
		return sc, ErrUnread
	}
	col := -1
	for i, h := range header {
		if strings.EqualFold(strings.TrimSpace(h), "orgunit") {
			col = i
		}
	}
	if col < 0 {
		return sc, ErrUnread
	}
	for sc.Rows <= limits.ImportRows {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return sc, ErrUnread
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		sc.Rows++
		if col < len(rec) {
			code := strings.TrimSpace(rec[col])
			if _, seen := sc.Codes[code]; !seen && code != "" && len(sc.Codes) < maxCodes {
				line, _ := r.FieldPos(0)
				sc.Codes[strings.Clone(code)] = fmt.Sprintf("dòng %d", line)
			}
		}
	}
	return sc, nil
}

// jsonText is a JSON string's text, or a number as written (the parser
// takes "orgUnit": 5 as the code "5"), trimmed.
func jsonText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(string(raw))
}

// maxCodes bounds the codes a scan keeps: more units than the country has
// is no file of ours, and the value parser will say so.
const maxCodes = 200_000

// scanJSON follows {"orgUnit": …, "dataValues": [{…}, …]}: the top-level
// orgUnit is each value's default, as DHIS2 reads it.
func scanJSON(br *bufio.Reader) (Scan, error) {
	sc := Scan{Codes: map[string]string{}}
	dec := json.NewDecoder(br)
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return sc, ErrUnread
	}
	deflt, defltUsed := "", false
	for dec.More() {
		t, err := dec.Token()
		key, ok := t.(string)
		if err != nil || !ok {
			return sc, ErrUnread
		}
		switch key {
		case "orgUnit":
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return sc, ErrUnread
			}
			deflt = jsonText(v)
		case "dataValues":
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return sc, ErrUnread
			}
			for dec.More() && sc.Rows <= limits.ImportRows {
				var item struct {
					OrgUnit json.RawMessage `json:"orgUnit"`
				}
				if err := dec.Decode(&item); err != nil {
					return sc, ErrUnread
				}
				sc.Rows++
				if len(item.OrgUnit) == 0 || string(item.OrgUnit) == "null" {
					defltUsed = true
					continue
				}
				code := jsonText(item.OrgUnit)
				if _, seen := sc.Codes[code]; !seen && code != "" && len(sc.Codes) < maxCodes {
					sc.Codes[code] = fmt.Sprintf("giá trị thứ %d", sc.Rows)
				}
			}
			if sc.Rows > limits.ImportRows {
				return sc, nil
			}
			if t, err := dec.Token(); err != nil || t != json.Delim(']') {
				return sc, ErrUnread
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return sc, ErrUnread
			}
		}
	}
	if defltUsed && deflt != "" {
		if _, seen := sc.Codes[deflt]; !seen {
			sc.Codes[deflt] = `trường "orgUnit" đầu tệp`
		}
	}
	return sc, nil
}
