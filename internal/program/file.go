package program

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"mattran/internal/errs"
)

const maxProgramBytes = 8 << 20

// Parse reads a program file (YAML, or JSON, which YAML includes) and
// validates it. Errors name the line and field in Vietnamese.
func Parse(data []byte) (*Program, error) {
	if len(data) > maxProgramBytes {
		return nil, errs.New(errs.Invalid, "tệp chương trình quá lớn (tối đa %d MB)", maxProgramBytes>>20)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(err)
	}
	if root.Kind != yaml.DocumentNode || len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, errs.New(errs.Invalid, "tệp chương trình phải là một bảng khóa–giá trị (code, name, subprograms, …)")
	}
	var p Program
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, yamlError(err)
	}
	if err := asError(Validate(&p), func(fe FieldError) int { return lineOf(root.Content[0], fe.Path) }); err != nil {
		return nil, err
	}
	return &p, nil
}

// Marshal writes a program as YAML, the same shape Parse reads.
func Marshal(p *Program) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(Own(p)); err != nil { // a derived program without what it shares
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}

// lineOf finds the line of a field path in the parsed document; for a path
// that is missing it returns the line of its nearest present ancestor.
func lineOf(n *yaml.Node, path []any) int {
	line := n.Line
	for _, step := range path {
		var next *yaml.Node
		switch s := step.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == s {
						next = n.Content[i+1]
						line = n.Content[i].Line
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && s < len(n.Content) {
				next = n.Content[s]
				line = next.Line
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}

var (
	yamlLine     = regexp.MustCompile(`line (\d+): (.*)`)
	unknownKey   = regexp.MustCompile(`field (\S+) not found in type \S+`)
	wrongType    = regexp.MustCompile("cannot unmarshal !!(\\w+) `?([^`]*)`? into (\\S+)")
	duplicateKey = regexp.MustCompile(`mapping key "([^"]*)" already defined at line (\d+)`)
	yamlTypeVNs  = map[string]string{"float64": "số", "int": "số nguyên", "string": "chữ", "[]string": "danh sách", "*float64": "số"}
)

// yamlError translates the YAML library's English errors into Vietnamese,
// keeping every line number.
func yamlError(err error) error {
	var details []errs.Detail
	for _, msg := range strings.Split(err.Error(), "\n") {
		msg = strings.TrimSpace(strings.TrimPrefix(msg, "yaml: "))
		if msg == "" || msg == "unmarshal errors:" {
			continue
		}
		d := errs.Detail{Message: msg}
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			d.Row, _ = strconv.Atoi(m[1])
			d.Message = m[2]
		}
		if m := unknownKey.FindStringSubmatch(d.Message); m != nil {
			d.Field = m[1]
			d.Message = fmt.Sprintf("trường %q không có trong mẫu chương trình (kiểm tra chính tả)", m[1])
		} else if m := wrongType.FindStringSubmatch(d.Message); m != nil {
			want := yamlTypeVNs[m[3]]
			if want == "" {
				// A Go type name means nothing to the user; a list or a
				// section is what the field wants.
				want = "một danh sách hoặc một mục có các trường con"
				if !strings.HasPrefix(m[3], "[]") && !strings.Contains(m[3], ".") {
					want = "giá trị khác kiểu"
				}
			}
			got := m[2]
			if m[1] == "seq" || m[1] == "map" {
				got = map[string]string{"seq": "một danh sách", "map": "một mục có các trường con"}[m[1]]
				d.Message = fmt.Sprintf("ở đây là %s nhưng cần %s", got, want)
			} else {
				d.Message = fmt.Sprintf("giá trị %q sai kiểu: cần %s", got, want)
			}
		} else if m := duplicateKey.FindStringSubmatch(d.Message); m != nil {
			d.Field = m[1]
			d.Message = fmt.Sprintf("khóa %q bị lặp (đã có ở dòng %s)", m[1], m[2])
		} else if strings.Contains(d.Message, "tab character") {
			d.Message = "lỗi cú pháp YAML: có ký tự tab ở đầu dòng; YAML chỉ thụt lề bằng dấu cách"
		} else if strings.Contains(d.Message, "unexpected end of stream") {
			d.Message = "lỗi cú pháp YAML: tệp kết thúc giữa chừng (thiếu dấu đóng ngoặc hoặc nháy?)"
		} else if strings.HasPrefix(d.Message, "did not find") || strings.Contains(d.Message, "mapping values are not allowed") || strings.Contains(d.Message, "could not find expected") || strings.Contains(d.Message, "found character") {
			d.Message = "lỗi cú pháp YAML: " + d.Message
		}
		details = append(details, d)
	}
	return errs.WithDetails("tệp chương trình không đọc được; không có gì được ghi", details)
}
