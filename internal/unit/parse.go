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
		return nil, errs.New(errs.Invalid, "tệp JSON đơn vị không hợp lệ: %s", jsonErrorText(data, err))
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
			return nil, errs.New(errs.Invalid, `trường "data_date": %v (dùng dd/mm/yyyy)`, err)
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
					return nil, errs.New(errs.Invalid, "%s.level2s[%d].level3s[%d]: tệp sáp nhập không có cấp thứ ba", where, j, k)
				}
				f.Records = append(f.Records, Record{Code: c.ID, Name: strings.TrimSpace(c.Name), Kind: Commune, OfficialType: c.Type,
					ParentCode: d.ID, Line: line(3, c.ID)})
			}
		}
	}
	if details := validateRecords(f); len(details) > 0 {
		return nil, errs.WithDetails(fmt.Sprintf("tệp đơn vị có %d lỗi; không có gì được ghi", len(details)), details)
	}
	return f, nil
}

var idKey = regexp.MustCompile(`"level([123])_id"\s*:\s*"((?:[^"\\]|\\.)*)"`)

// idLines finds the line each unit's id stands on in a JSON list, so that
// errors can name a line as they do for CSV. It returns a lookup by level
// and code; a code repeated at one level yields its lines in order.
func idLines(data []byte) func(level int, code string) int {
	lines := map[string][]int{}
	line, last := 1, 0
	for _, m := range idKey.FindAllSubmatchIndex(data, -1) {
		line += bytes.Count(data[last:m[0]], []byte{'\n'})
		last = m[0]
		key := string(data[m[2]:m[3]]) + ":" + string(data[m[4]:m[5]])
		lines[key] = append(lines[key], line)
	}
	return func(level int, code string) int {
		key := fmt.Sprint(level) + ":" + code
		if ls := lines[key]; len(ls) > 0 {
			lines[key] = ls[1:]
			return ls[0]
		}
		return 0
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

// jsonErrorText names the line of a JSON syntax error.
func jsonErrorText(data []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	offset := int64(-1)
	switch {
	case errors.As(err, &se):
		offset = se.Offset
	case errors.As(err, &te):
		offset = te.Offset
		return fmt.Sprintf("dòng %d: trường %q có kiểu sai", lineAt(data, offset), te.Field)
	}
	if offset >= 0 {
		return fmt.Sprintf("dòng %d: lỗi cú pháp JSON", lineAt(data, offset))
	}
	return err.Error()
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
func parseMergesCell(s string) ([]Merge, error) {
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ";")
	if len(parts) > maxMerges {
		return nil, fmt.Errorf("quá nhiều đơn vị cũ (%d; tối đa %d)", len(parts), maxMerges)
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
	r := vn.NewCSVReader(data)
	header, err := r.Read()
	if err == io.EOF {
		return nil, errs.New(errs.Invalid, "tệp đơn vị rỗng")
	}
	if err != nil {
		return nil, errs.New(errs.Invalid, "dòng 1: không đọc được dòng tiêu đề CSV (%s)", vn.CSVError(err))
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		known := false
		for _, c := range csvColumns {
			known = known || c == h
		}
		if !known {
			return nil, errs.New(errs.Invalid, "dòng 1: cột %q không được hỗ trợ (các cột: %s)", h, strings.Join(csvColumns, ", "))
		}
		if _, dup := col[h]; dup {
			return nil, errs.New(errs.Invalid, "dòng 1: cột %q bị lặp", h)
		}
		col[h] = i
	}
	for _, c := range csvColumns[:4] {
		if _, ok := col[c]; !ok {
			return nil, errs.New(errs.Invalid, "dòng 1: thiếu cột %q (cần: code, name, kind, parent_code)", c)
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
			return nil, errs.New(errs.Invalid, "%s", vn.CSVError(err))
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
			return strings.TrimSpace(row[i])
		}
		rec := Record{Code: get("code"), Name: get("name"), ParentCode: get("parent_code"),
			OfficialType: get("official_type"), ValidFrom: get("valid_from"), ValidTo: get("valid_to"), Line: line}
		if ms, err := parseMergesCell(get("merges")); err != nil {
			details = append(details, errs.Detail{Row: line, Field: "merges", Message: err.Error()})
		} else {
			rec.Merges = ms
		}
		kind, err := ParseKind(get("kind"))
		if err != nil {
			details = append(details, errs.Detail{Row: line, Field: "kind", Message: err.Error()})
		}
		rec.Kind = kind
		switch s := strings.ToLower(get("synthetic")); s {
		case "", "0", "false", "không":
		case "1", "true", "có":
			rec.Synthetic = true
		default:
			details = append(details, errs.Detail{Row: line, Field: "synthetic", Message: fmt.Sprintf("giá trị %q không hợp lệ (dùng true hoặc false)", s)})
		}
		f.Records = append(f.Records, rec)
	}
	details = append(details, validateRecords(f)...)
	if len(f.Records) == 0 && len(details) == 0 {
		return nil, errs.New(errs.Invalid, "tệp CSV đơn vị không có dòng đơn vị nào dưới dòng tiêu đề")
	}
	if len(details) > 0 {
		return nil, errs.WithDetails(fmt.Sprintf("tệp đơn vị có %d lỗi; không có gì được ghi", len(details)), details)
	}
	return f, nil
}

// validateRecords checks what a file must say of itself: every field is
// present and sane, no code appears twice, and each parent comes before its
// children (so a file can be applied top-down).
func validateRecords(f *File) []errs.Detail {
	var details []errs.Detail
	bad := func(r Record, field, msg string, args ...any) {
		details = append(details, errs.Detail{Row: r.Line, Field: field, Message: fmt.Sprintf(msg, args...)})
	}
	seen := map[string]Kind{}
	dupes := map[string]bool{}
	for _, r := range f.Records {
		switch {
		case r.Code == "":
			bad(r, "code", "thiếu mã đơn vị")
		case len(r.Code) > 32 || strings.ContainsAny(r.Code, " \t/,;\"'"):
			bad(r, "code", "mã %q không hợp lệ (tối đa 32 ký tự, không có khoảng trắng hoặc dấu / , ;)", r.Code)
		}
		if strings.TrimSpace(r.Name) == "" {
			bad(r, "name", "thiếu tên đơn vị %q", r.Code)
		} else if len(r.Name) > 200 {
			bad(r, "name", "tên đơn vị %q quá dài (tối đa 200 byte)", r.Code)
		}
		if r.Kind == "" {
			// already reported by the format's reader
		} else if r.Kind == Central {
			bad(r, "kind", "không nhập được đơn vị Trung ương: nó có sẵn là gốc của cây")
		}
		if r.ParentCode != "" {
			pk, ok := seen[r.ParentCode]
			switch {
			case !ok && f.Format != FormatCSV:
				bad(r, "parent_code", "đơn vị cấp trên %q chưa xuất hiện trước đó trong tệp", r.ParentCode)
			case ok && r.Kind != "" && !r.Kind.CanBeUnder(pk):
				bad(r, "parent_code", "đơn vị %s không thể nằm trực tiếp dưới đơn vị %s", strings.ToLower(r.Kind.Label()), strings.ToLower(pk.Label()))
			}
		} else if r.Kind != Province && r.Kind != MemberOrg && f.Format == FormatCSV {
			bad(r, "parent_code", "đơn vị %q loại %s cần mã đơn vị cấp trên", r.Code, r.Kind)
		}
		for _, d := range []struct{ field, v string }{{"valid_from", r.ValidFrom}, {"valid_to", r.ValidTo}} {
			if d.v != "" && !IsDate(d.v) {
				bad(r, d.field, "ngày %q không hợp lệ (dùng YYYY-MM-DD)", d.v)
			}
		}
		for _, m := range r.Merges {
			if m.Kind != Full && m.Kind != Partial {
				bad(r, "merges", "kiểu sáp nhập %q của %q không hợp lệ (full hoặc partial)", m.Kind, m.OldCode)
			}
			if m.OldCode == "" {
				bad(r, "merges", "thiếu mã đơn vị cũ")
			}
		}
		key := r.Code
		if f.Versioned {
			key += "@" + r.ValidFrom
		}
		if dupes[key] && r.Code != "" {
			if f.Versioned {
				bad(r, "code", "mã %q với ngày bắt đầu %q xuất hiện hai lần trong tệp", r.Code, r.ValidFrom)
			} else {
				bad(r, "code", "mã %q xuất hiện hai lần trong tệp", r.Code)
			}
		}
		dupes[key] = true
		seen[r.Code] = r.Kind
	}
	return details
}

// IsDate reports whether s is a real calendar date written YYYY-MM-DD.
func IsDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
