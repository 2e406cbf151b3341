package value

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"mattran/internal/errs"
	"mattran/internal/vn"
)

// MaxFileBytes bounds one import: about 5 million values of CSV.
const MaxFileBytes = 256 << 20

// Parse reads a dataValueSet, JSON when it starts with '{', CSV otherwise.
func Parse(r io.Reader) ([]Row, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, errs.New(errs.Invalid, "không đọc được dữ liệu: %v", err)
	}
	if len(data) > MaxFileBytes {
		return nil, errs.New(errs.Invalid, "tệp số liệu quá lớn (tối đa %d MB); hãy chia nhỏ", MaxFileBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		return ParseJSON(data)
	}
	return ParseCSV(data)
}

// ParseJSON reads DHIS2's JSON dataValueSet:
//
//	{"period": "2024", "orgUnit": "24", "dataValues": [{"dataElement": "X", "period": "2024", "orgUnit": "24", "value": "12"}]}
//
// A period or orgUnit at the top applies to values that leave it out.
// Other DHIS2 fields (categoryOptionCombo, comment, …) are accepted and ignored.
func ParseJSON(data []byte) ([]Row, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	syntax := func(err error) error {
		return errs.New(errs.Invalid, "dòng %d: JSON không hợp lệ (%s)", lineAt(data, dec.InputOffset()), jsonReason(err))
	}
	if err := expectDelim(dec, '{'); err != nil {
		return nil, errs.New(errs.Invalid, `dữ liệu JSON phải là một đối tượng {"dataValues": [...]}`)
	}
	var rows []Row
	in := interner{}
	var topPeriod, topUnit string
	sawValues := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntax(err)
		}
		key, _ := tok.(string)
		switch key {
		case "dataValues":
			sawValues = true
			if err := expectDelim(dec, '['); err != nil {
				return nil, errs.New(errs.Invalid, `"dataValues" phải là một mảng`)
			}
			for dec.More() {
				line := lineAt(data, skipSpace(data, dec.InputOffset()))
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return nil, syntax(err)
				}
				r := Row{Line: line, Index: len(rows) + 1}
				var item map[string]any
				itemDec := json.NewDecoder(bytes.NewReader(raw))
				itemDec.UseNumber()
				if raw[0] != '{' || itemDec.Decode(&item) != nil {
					return nil, errs.WithDetails("dữ liệu JSON sai dạng; không có gì được ghi", []errs.Detail{{Row: line, Index: r.Index, Code: errs.ValueNotObject}})
				}
				var bad string
				if del, _ := item["deleted"].(bool); del {
					return nil, errs.WithDetails("dữ liệu JSON có giá trị cần xóa; không có gì được ghi", []errs.Detail{{Row: line, Index: r.Index, Field: "deleted", Code: errs.DeleteUnsupported}})
				}
				r.DataElement, bad = field(item, "dataElement", bad)
				r.Period, bad = field(item, "period", bad)
				r.OrgUnit, bad = field(item, "orgUnit", bad)
				r.Value, bad = field(item, "value", bad)
				r.DataElement, r.Period, r.OrgUnit = in.get(r.DataElement), in.get(r.Period), in.get(r.OrgUnit)
				if bad != "" {
					return nil, errs.WithDetails("dữ liệu JSON có giá trị sai kiểu; không có gì được ghi",
						[]errs.Detail{{Row: line, Index: r.Index, Field: bad, Code: errs.FieldNotText}})
				}
				rows = append(rows, r)
			}
			if _, err := dec.Token(); err != nil {
				return nil, syntax(err)
			}
		case "period", "orgUnit":
			var s string
			if err := dec.Decode(&s); err != nil {
				return nil, errs.New(errs.Invalid, "dòng %d: trường %q phải là chuỗi", lineAt(data, dec.InputOffset()), key)
			}
			if key == "period" {
				topPeriod = s
			} else {
				topUnit = s
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, syntax(err)
			}
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, syntax(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errs.New(errs.Invalid, "dòng %d: có nội dung thừa sau dấu } cuối cùng", lineAt(data, dec.InputOffset()))
	}
	if !sawValues {
		return nil, errs.New(errs.Invalid, `thiếu trường "dataValues"`)
	}
	for i := range rows {
		if rows[i].Period == "" {
			rows[i].Period = topPeriod
		}
		if rows[i].OrgUnit == "" {
			rows[i].OrgUnit = topUnit
		}
	}
	return rows, nil
}

// field reads a string-ish field, remembering the first field of a wrong type.
func field(item map[string]any, name, bad string) (string, string) {
	switch v := item[name].(type) {
	case nil:
		return "", bad
	case string:
		return v, bad
	case json.Number:
		return v.String(), bad
	case bool:
		return strconv.FormatBool(v), bad
	}
	if bad == "" {
		bad = name
	}
	return "", bad
}

// jsonReason says in Vietnamese why JSON did not parse.
func jsonReason(err error) string {
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return "dữ liệu bị cắt ngang: thiếu dấu đóng } hoặc ]"
	case errors.As(err, &se):
		return "sai cú pháp ở ký tự thứ " + strconv.FormatInt(se.Offset, 10)
	}
	return "sai cấu trúc"
}

func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if got, ok := tok.(json.Delim); !ok || got != d {
		return fmt.Errorf("expected %v", d)
	}
	return nil
}

func skipSpace(data []byte, off int64) int64 {
	for off < int64(len(data)) && strings.IndexByte(" \t\r\n,", data[off]) >= 0 {
		off++
	}
	return off
}

func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte{'\n'}) + 1
}

// ParseCSV reads DHIS2's CSV dataValueSet. The first line names the
// columns; dataelement, period, orgunit and value are required (any case),
// the others (categoryoptioncombo, storedby, comment, …) are ignored.
func ParseCSV(data []byte) ([]Row, error) {
	r := vn.NewCSVReader(data)
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		return nil, errs.New(errs.Invalid, "không có dữ liệu: tệp hoặc nội dung gửi lên rỗng")
	}
	if err != nil {
		return nil, errs.New(errs.Invalid, "dòng 1: %s", vn.CSVError(err))
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	width := len(header)
	need := []string{"dataelement", "period", "orgunit", "value"}
	idx := make([]int, len(need))
	for i, n := range need {
		j, ok := col[n]
		if !ok {
			return nil, errs.New(errs.Invalid, "dòng 1: thiếu cột %q (cần các cột dataelement, period, orgunit, value)", n)
		}
		idx[i] = j
	}
	var rows []Row
	in := interner{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// The line comes from the error: FieldPos panics on a record
			// that failed to parse.
			return nil, errs.New(errs.Invalid, "%s", vn.CSVError(err))
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) > width {
			// Most often a number typed with a decimal comma in a
			// comma-separated file: "1.234,5" splits into two cells.
			return nil, errs.WithDetails("tệp CSV có dòng nhiều cột hơn dòng tiêu đề; không có gì được ghi", []errs.Detail{{Row: line,
				Code: errs.TooManyCells, Args: errs.Args{Number: float64(len(rec)), Max: float64(width)}}})
		}
		get := func(i int) string {
			if idx[i] < len(rec) {
				return strings.TrimSpace(rec[idx[i]])
			}
			return ""
		}
		rows = append(rows, Row{DataElement: in.get(get(0)), Period: in.get(get(1)), OrgUnit: in.get(get(2)), Value: get(3), Line: line})
	}
	return rows, nil
}

// Exported is a stored value as written out.
type Exported struct {
	DataElement string    `json:"dataElement"`
	Period      string    `json:"period"`
	OrgUnit     string    `json:"orgUnit"`
	Value       string    `json:"value"`
	StoredBy    string    `json:"storedBy,omitempty"`
	LastUpdated time.Time `json:"lastUpdated"`
}

// FormatNumber writes a value the way the exchange format expects: no
// thousands separators, a dot for decimals, no trailing zeros.
func FormatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// WriteJSON writes values as a DHIS2 JSON dataValueSet.
func WriteJSON(w io.Writer, values []Exported) error {
	if values == nil {
		values = []Exported{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(map[string]any{"dataValues": values})
}

// WriteCSV writes values as a DHIS2 CSV dataValueSet.
func WriteCSV(w io.Writer, values []Exported) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"dataelement", "period", "orgunit", "value", "storedby", "lastupdated"})
	for _, v := range values {
		cw.Write([]string{v.DataElement, v.Period, v.OrgUnit, v.Value, v.StoredBy, v.LastUpdated.UTC().Format(time.RFC3339)})
	}
	cw.Flush()
	return cw.Error()
}

// interner shares one copy of each repeated string (element codes, periods,
// unit codes repeat across a file), which keeps a million-row file's rows
// small in memory.
type interner map[string]string

func (in interner) get(s string) string {
	if v, ok := in[s]; ok {
		return v
	}
	s = strings.Clone(s)
	in[s] = s
	return s
}
