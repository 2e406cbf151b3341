package unit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"mattran/internal/csvsafe"
	"mattran/internal/errs"
	"mattran/internal/vn"
)

// Record is one unit as an import file describes it.
type Record struct {
	Code         string
	Name         string
	Kind         Kind
	OfficialType string
	ParentCode   string // empty: under the root
	Synthetic    bool
	ValidFrom    string // optional (CSV): overrides the import's date
	ValidTo      string // optional (CSV)
	Merges       []Merge
	Line         int // the file line it starts on, for error messages
}

// Merge names an old unit that a new unit was made from (merge-mapping files).
type Merge struct {
	OldCode string
	OldName string
	Kind    Succession
}

// Format is the layout of a units file.
type Format string

const (
	FormatOfficial Format = "official" // dvhcvn list: provinces → districts → communes
	FormatMerges   Format = "merges"   // 2025 merge mapping: new provinces → new communes, each with its old units
	FormatCSV      Format = "csv"      // code,name,kind,parent_code[,official_type,synthetic,valid_from,valid_to,merges]
)

// File is a parsed units file. Records are ordered parents first.
type File struct {
	Format Format
	Date   string // the date the list describes, when the file says (official list's data_date)
	// Versioned: the CSV has a valid_from column, so each record is one
	// version of a unit (as units export writes them), and a code may
	// appear once per version.
	Versioned bool
	Records   []Record
}

// maxFileBytes bounds what an importer reads: the national list is 2 MB.
const maxFileBytes = 64 << 20

// maxRecord bounds one CSV record: a unit's line is a hundred bytes.
const maxRecord = 64 << 10

// A unit's code and name are short: official codes have 2 to 5 digits, the
// longest commune name a few dozen letters.
const (
	maxCode = 32
	maxName = 200 // bytes
)

// Parse reads a units file, detecting its format: JSON whose second level
// carries "merges" is a merge mapping, other JSON is the official list,
// anything else is CSV. It rejects the whole file on the first structural
// problem and lists every bad record otherwise.
func Parse(r io.Reader) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, errs.New(errs.Invalid, "không đọc được tệp đơn vị: %v", err)
	}
	if len(data) > maxFileBytes {
		return nil, errs.New(errs.Invalid, "tệp đơn vị quá lớn (tối đa %d MB)", maxFileBytes>>20)
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return parseJSON(trimmed)
	}
	return parseCSV(data)
}

type officialJSON struct {
	DataDate string `json:"data_date"`
	Data     []struct {
		ID      string      `json:"level1_id"`
		Name    string      `json:"name"`
		Type    string      `json:"type"`
		Merges  []mergeJSON `json:"merges"`
		Level2s []struct {
			ID      string      `json:"level2_id"`
			Name    string      `json:"name"`
			Type    string      `json:"type"`
			Merges  []mergeJSON `json:"merges"`
			Level3s []struct {
				ID   string `json:"level3_id"`
				Name string `json:"name"`
				Type string `json:"type"`
			} `json:"level3s"`
		} `json:"level2s"`
	} `json:"data"`
}

type mergeJSON struct {
	OldID string `json:"old_id"`
	Name  string `json:"name"`
	Type  string `json:"type"`
}

func parseJSON(data []byte) (*File, error) {
	var doc officialJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, errs.WithDetails("tệp JSON đơn vị không hợp lệ; không có gì được ghi", []errs.Detail{jsonDetail(data, err)})
	}
	if len(doc.Data) == 0 {
		return nil, errs.New(errs.Invalid, `tệp JSON đơn vị không có trường "data" hoặc "data" rỗng`)
	}
	// A merge mapping says so at either level: every new unit lists the
	// old units it was made from.
	isMerges := false
	for _, p := range doc.Data {
		if len(p.Merges) > 0 {
			isMerges = true
		}
		for _, d := range p.Level2s {
			if len(d.Merges) > 0 {
				isMerges = true
			}
		}
	}
	f := &File{Format: FormatOfficial}
	if isMerges {
		f.Format = FormatMerges
	}
	if doc.DataDate != "" {
		d, err := officialDate(doc.DataDate)
		if err != nil {
			return nil, errs.WithDetails("tệp JSON đơn vị không hợp lệ; không có gì được ghi", []errs.Detail{{Field: "data_date", Code: errs.BadDataDate, Args: errs.Args{Text: doc.DataDate}}})
		}
		f.Date = d
	}
	line := idLines(data)
	for i, p := range doc.Data {
		where := fmt.Sprintf("data[%d]", i)
		f.Records = append(f.Records, Record{Code: p.ID, Name: strings.TrimSpace(p.Name), Kind: Province, OfficialType: p.Type,
			Merges: toMerges(p.Merges), Line: line(1, p.ID)})
		for j, d := range p.Level2s {
			kind, typ := District, d.Type
			if isMerges {
				// After the reform the second level is the commune.
				kind, typ = Commune, communeType(d.Name)
			}
			f.Records = append(f.Records, Record{Code: d.ID, Name: strings.TrimSpace(d.Name), Kind: kind, OfficialType: typ,
				ParentCode: p.ID, Merges: toMerges(d.Merges), Line: line(2, d.ID)})
			for k, c := range d.Level3s {
				if isMerges {
					return nil, errs.WithDetails("tệp sáp nhập không hợp lệ; không có gì được ghi", []errs.Detail{{Row: line(3, c.ID),
						Field: fmt.Sprintf("%s.level2s[%d].level3s[%d]", where, j, k), Code: errs.MergeThirdLevel}})
				}
				f.Records = append(f.Records, Record{Code: c.ID, Name: strings.TrimSpace(c.Name), Kind: Commune, OfficialType: c.Type,
					ParentCode: d.ID, Line: line(3, c.ID)})
			}
		}
	}
	normalNames(f)
	if details := validateRecords(f); len(details) > 0 {
		return nil, errs.WithDetails(fmt.Sprintf("tệp đơn vị có %d lỗi; không có gì được ghi", len(details)), details)
	}
	return f, nil
}

// idKey finds "levelN_id": "code". encoding/json matches keys without
// regard to case, so this does too.
var idKey = regexp.MustCompile(`(?i)"level([123])_id"\s*:\s*("(?:[^"\\]|\\.)*")`)

// idLines finds the line each unit's id stands on in a JSON list, so that
// errors can name a line as they do for CSV. It returns a lookup by level
// and code; a code repeated at one level yields its lines in order.
func idLines(data []byte) func(level int, code string) int {
	lines := map[string][]int{}
	line, last := 1, 0
	for _, m := range idKey.FindAllSubmatchIndex(data, -1) {
		line += bytes.Count(data[last:m[0]], []byte{'\n'})
		last = m[0]
		// The code as the decoder read it: escapes resolved, invalid UTF-8
		// replaced.
		var code string
		if json.Unmarshal(data[m[4]:m[5]], &code) != nil {
			continue
		}
		key := string(data[m[2]:m[3]]) + ":" + code
		lines[key] = append(lines[key], line)
	}
	return func(level int, code string) int {
		key := fmt.Sprint(level) + ":" + code
		if ls := lines[key]; len(ls) > 0 {
			lines[key] = ls[1:]
			return ls[0]
		}
		// A key the decoder folded further than case (Unicode folding,
		// escapes in the key): the error still names a line, the first.
		return 1
	}
}

// communeType reads the official type off a merge-file name ("Phường Ba
// Đình" → "Phường"), since that file does not carry it separately.
func communeType(name string) string {
	for _, t := range []string{"Phường", "Xã", "Đặc khu", "Thị trấn"} {
		if strings.HasPrefix(name, t+" ") {
			return t
		}
	}
	return ""
}

func toMerges(ms []mergeJSON) []Merge {
	var out []Merge
	for _, m := range ms {
		out = append(out, Merge{OldCode: m.OldID, OldName: m.Name, Kind: Succession(m.Type)})
	}
	return out
}

// officialDate turns the official list's "01/03/2025" into "2025-03-01".
func officialDate(s string) (string, error) {
	var d, m, y int
	if _, err := fmt.Sscanf(s, "%d/%d/%d", &d, &m, &y); err != nil || d < 1 || d > 31 || m < 1 || m > 12 || y < 1900 {
		return "", fmt.Errorf("ngày %q không hợp lệ", s)
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d), nil
}

// jsonDetail names the line of a JSON syntax or type error.
func jsonDetail(data []byte, err error) errs.Detail {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return errs.Detail{Row: lineAt(data, se.Offset), Code: errs.UnitsJSONSyntax}
	case errors.As(err, &te):
		return errs.Detail{Row: lineAt(data, te.Offset), Field: te.Field, Code: errs.UnitsJSONType}
	}
	// The data ended inside a value.
	return errs.Detail{Row: lineAt(data, int64(len(data))), Code: errs.UnitsJSONSyntax}
}

func lineAt(data []byte, offset int64) int {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	return bytes.Count(data[:offset], []byte("\n")) + 1
}

var csvColumns = []string{"code", "name", "kind", "parent_code", "official_type", "synthetic", "valid_from", "valid_to", "merges"}

// maxMerges bounds the old units one CSV row may name.
const maxMerges = 200

// parseMergesCell reads a CSV merges cell: the old units a new version was
// made from, "CODE[:full|:partial]" separated by ";" (full when the kind is
// left out), as a residential-area merger writes "07210-01;07210-02".
func parseMergesCell(s string) ([]Merge, *errs.Detail) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ";")
	if len(parts) > maxMerges {
		return nil, &errs.Detail{Code: errs.TooManyMerges, Args: errs.Args{Number: float64(len(parts)), Max: maxMerges}}
	}
	var out []Merge
	for _, part := range parts {
		code, kind, _ := strings.Cut(strings.TrimSpace(part), ":")
		code = strings.TrimSpace(code)
		m := Merge{OldCode: code, Kind: Full}
		if kind = strings.TrimSpace(kind); kind != "" {
			m.Kind = Succession(kind)
		}
		out = append(out, m)
	}
	return out, nil
}

func parseCSV(data []byte) (*File, error) {
	r := vn.NewCSVStream(bytes.NewReader(data), maxRecord)
	header, err := r.Read()
	if err == io.EOF {
		return nil, errs.New(errs.Invalid, "tệp đơn vị rỗng")
	}
	if err != nil {
		return nil, csvRefusal(errs.CSVDetail(err))
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		known := false
		for _, c := range csvColumns {
			known = known || c == h
		}
		if !known {
			return nil, csvRefusal(errs.Detail{Row: 1, Code: errs.UnknownColumn, Args: errs.Args{Text: h, Other: &errs.Args{Text: strings.Join(csvColumns, ", ")}}})
		}
		if _, dup := col[h]; dup {
			return nil, csvRefusal(errs.Detail{Row: 1, Code: errs.RepeatedColumn, Args: errs.Args{Text: h}})
		}
		col[h] = i
	}
	for _, c := range csvColumns[:4] {
		if _, ok := col[c]; !ok {
			return nil, csvRefusal(errs.Detail{Row: 1, Code: errs.MissingColumn, Args: errs.Args{Text: c, Other: &errs.Args{Text: "code, name, kind, parent_code"}}})
		}
	}
	_, versioned := col["valid_from"]
	f := &File{Format: FormatCSV, Versioned: versioned}
	var details []errs.Detail
	for line := 2; ; line++ {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvRefusal(errs.CSVDetail(err))
		}
		line, _ = r.FieldPos(0) // the record's own line: the reader skips blank lines and a quoted cell may span several
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		get := func(name string) string {
			i, ok := col[name]
			if !ok || i >= len(row) {
				return ""
			}
			return csvsafe.Unescape(strings.TrimSpace(row[i]))
		}
		rec := Record{Code: get("code"), Name: get("name"), ParentCode: get("parent_code"),
			OfficialType: get("official_type"), ValidFrom: get("valid_from"), ValidTo: get("valid_to"), Line: line}
		if ms, d := parseMergesCell(get("merges")); d != nil {
			d.Row, d.Field = line, "merges"
			details = append(details, *d)
		} else {
			rec.Merges = ms
		}
		kind, err := ParseKind(get("kind"))
		if err != nil {
			details = append(details, errs.Detail{Row: line, Field: "kind", Code: errs.BadKind, Args: errs.Args{Text: get("kind")}})
		}
		rec.Kind = kind
		switch s := strings.ToLower(get("synthetic")); s {
		case "", "0", "false", "không":
		case "1", "true", "có":
			rec.Synthetic = true
		default:
			details = append(details, errs.Detail{Row: line, Field: "synthetic", Code: errs.BadBoolean, Args: errs.Args{Text: s}})
		}
		f.Records = append(f.Records, rec)
	}
	normalNames(f)
	details = append(details, validateRecords(f)...)
	if len(f.Records) == 0 && len(details) == 0 {
		return nil, errs.New(errs.Invalid, "tệp CSV đơn vị không có dòng đơn vị nào dưới dòng tiêu đề")
	}
	if len(details) > 0 {
		return nil, errs.WithDetails(fmt.Sprintf("tệp đơn vị có %d lỗi; không có gì được ghi", len(details)), details)
	}
	return f, nil
}

// csvRefusal refuses a CSV file that cannot be read as a list of units.
func csvRefusal(d errs.Detail) error {
	return errs.WithDetails("tệp CSV đơn vị không đọc được; không có gì được ghi", []errs.Detail{d})
}

// validateRecords checks what a file must say of itself: every field is
// present and sane, no code appears twice, and each parent comes before its
// children (so a file can be applied top-down).
func validateRecords(f *File) []errs.Detail {
	var details []errs.Detail
	bad := func(r Record, field string, code errs.Reason, a errs.Args) {
		details = append(details, errs.Detail{Row: r.Line, Field: field, Code: code, Args: a})
	}
	seen := map[string]Kind{}
	dupes := map[string]bool{}
	for _, r := range f.Records {
		switch {
		case r.Code == "":
			bad(r, "code", errs.UnitCodeMissing, errs.Args{})
		case len(r.Code) > maxCode || strings.ContainsAny(r.Code, " \t/,;\"'"):
			bad(r, "code", errs.UnitCodeInvalid, errs.Args{Unit: r.Code, Max: maxCode})
		}
		if strings.TrimSpace(r.Name) == "" {
			bad(r, "name", errs.UnitNameMissing, errs.Args{Unit: r.Code})
		} else if len(r.Name) > maxName {
			bad(r, "name", errs.UnitNameTooLong, errs.Args{Unit: r.Code, Max: maxName})
		}
		if n := utf8.RuneCountInString(r.OfficialType); n > maxName {
			bad(r, "official_type", errs.TooLong, errs.Args{Number: float64(n), Max: maxName})
		}
		if r.Kind == "" {
			// already reported by the format's reader
		} else if r.Kind == Central {
			bad(r, "kind", errs.CentralNotImported, errs.Args{})
		}
		if r.ParentCode != "" {
			pk, ok := seen[r.ParentCode]
			switch {
			case !ok && f.Format != FormatCSV:
				bad(r, "parent_code", errs.ParentNotBefore, errs.Args{Unit: r.ParentCode})
			case ok && r.Kind != "" && !r.Kind.CanBeUnder(pk):
				bad(r, "parent_code", errs.KindNotUnder, kindUnder(r.Kind, pk))
			}
		} else if r.Kind != Province && r.Kind != MemberOrg && f.Format == FormatCSV {
			bad(r, "parent_code", errs.ParentRequired, errs.Args{Unit: r.Code, Kind: string(r.Kind)})
		}
		for _, d := range []struct{ field, v string }{{"valid_from", r.ValidFrom}, {"valid_to", r.ValidTo}} {
			if d.v != "" && !IsDate(d.v) {
				bad(r, d.field, errs.BadISODate, errs.Args{Text: d.v})
			}
		}
		for _, m := range r.Merges {
			if m.Kind != Full && m.Kind != Partial {
				bad(r, "merges", errs.BadSuccession, errs.Args{Text: string(m.Kind), Unit: m.OldCode})
			}
			if m.OldCode == "" {
				bad(r, "merges", errs.OldCodeMissing, errs.Args{})
			} else if len(m.OldCode) > maxCode {
				bad(r, "merges", errs.UnitCodeInvalid, errs.Args{Unit: m.OldCode, Max: maxCode})
			}
		}
		key := r.Code
		if f.Versioned {
			key += "@" + r.ValidFrom
		}
		if dupes[key] && r.Code != "" {
			if f.Versioned {
				bad(r, "code", errs.VersionRepeated, errs.Args{Unit: r.Code, From: r.ValidFrom})
			} else {
				bad(r, "code", errs.CodeRepeated, errs.Args{Unit: r.Code})
			}
		}
		dupes[key] = true
		seen[r.Code] = r.Kind
	}
	return details
}

// kindUnder is what a refusal of a kind under a parent's kind names.
func kindUnder(k, parent Kind) errs.Args {
	return errs.Args{Kind: string(k), KindName: k.Label(), Other: &errs.Args{Kind: string(parent), KindName: parent.Label()}}
}

// IsDate reports whether s is a real calendar date written YYYY-MM-DD.
func IsDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

// normalNames spells every record's unit-type word the official way: the
// official list itself writes "Thị Xã Việt Yên" beside "Thị xã Chũ".
func normalNames(f *File) {
	for i := range f.Records {
		r := &f.Records[i]
		if r.OfficialType != "" {
			r.OfficialType = typeCase(r.OfficialType)
		}
		r.Name = NormalName(r.Name, r.OfficialType)
	}
}
