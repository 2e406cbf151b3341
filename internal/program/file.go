package program

import (
	"bytes"
	"math"
	"reflect"
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
	// The shape first: a field the program has not, or a value of the
	// wrong kind, named by its line and path. The YAML library's own
	// errors say neither the field nor, in Vietnamese, the problem.
	if details := checkShape(root.Content[0], reflect.TypeFor[Program](), nil, nil); len(details) > 0 {
		return nil, errs.WithDetails(unreadable, details)
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

const unreadable = "tệp chương trình không đọc được; không có gì được ghi"

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

// checkShape walks a document against the Go type it decodes into and
// reports, at its line and path, every key the type has no field for, every
// key given twice, and every value of a kind its field does not take.
func checkShape(n *yaml.Node, t reflect.Type, path []any, out []errs.Detail) []errs.Detail {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode {
		// An alias stands for a node given earlier: check its kind, not
		// its content again (nested aliases would multiply the walk).
		if n.Alias == nil {
			return out
		}
		target := *n.Alias
		target.Line = n.Line
		if target.Kind == yaml.ScalarNode {
			return checkShape(&target, t, path, out)
		}
		n = &yaml.Node{Kind: target.Kind, Line: n.Line}
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return out // an empty value: the field's zero, which Validate judges
	}
	wrong := func(want errs.Shape) []errs.Detail {
		d := errs.Detail{Row: n.Line, Field: pathString(path), Code: errs.YAMLWrongShape, Args: errs.Args{Found: shapeOf(n), Want: want}}
		if n.Kind == yaml.ScalarNode {
			d.Args.Text = n.Value
		}
		return append(out, d)
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			return wrong(errs.ShapeSection)
		}
		fields := yamlFields(t)
		first := map[string]int{} // key → its line
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, value := n.Content[i], n.Content[i+1]
			at := append(append([]any{}, path...), key.Value)
			if line, dup := first[key.Value]; dup {
				out = append(out, errs.Detail{Row: key.Line, Field: pathString(at), Code: errs.YAMLDuplicateKey,
					Args: errs.Args{Text: key.Value, Other: &errs.Args{Row: line}}})
				continue
			}
			first[key.Value] = key.Line
			ft, ok := fields[key.Value]
			if !ok {
				out = append(out, errs.Detail{Row: key.Line, Field: pathString(at), Code: errs.YAMLUnknownField, Args: errs.Args{Text: key.Value}})
				continue
			}
			out = checkShape(value, ft, at, out)
		}
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			return wrong(errs.ShapeList)
		}
		for i, item := range n.Content {
			out = checkShape(item, t.Elem(), append(append([]any{}, path...), i), out)
		}
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return wrong(errs.ShapeText)
		}
	case reflect.Int, reflect.Int64:
		if n.Kind != yaml.ScalarNode || !isWhole(n) {
			return wrong(errs.ShapeInteger)
		}
	case reflect.Float64:
		if tag := n.ShortTag(); n.Kind != yaml.ScalarNode || tag != "!!int" && tag != "!!float" {
			return wrong(errs.ShapeNumber)
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			return wrong(errs.ShapeBoolean)
		}
	}
	return out
}

// isWhole reports whether a scalar is a whole number, as an int field takes.
func isWhole(n *yaml.Node) bool {
	switch n.ShortTag() {
	case "!!int":
		return true
	case "!!float":
		var f float64
		return n.Decode(&f) == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53
	}
	return false
}

func shapeOf(n *yaml.Node) errs.Shape {
	switch n.Kind {
	case yaml.SequenceNode:
		return errs.ShapeList
	case yaml.MappingNode:
		return errs.ShapeSection
	}
	switch n.ShortTag() {
	case "!!int":
		return errs.ShapeInteger
	case "!!float":
		return errs.ShapeNumber
	case "!!bool":
		return errs.ShapeBoolean
	}
	return errs.ShapeText
}

// yamlFields maps a struct's YAML keys to their field types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

func pathString(path []any) string { return FieldError{Path: path}.PathString() }

var yamlLine = regexp.MustCompile(`^line (\d+): (.*)`)

// yamlError says where and why the YAML library could not read a file.
// Its errors are English text with a line number, and that text is all
// it gives; the common ones are put in Vietnamese. (Wrong keys and kinds
// never reach here: checkShape finds them first.)
func yamlError(err error) error {
	var details []errs.Detail
	for _, msg := range strings.Split(err.Error(), "\n") {
		msg = strings.TrimSpace(strings.TrimPrefix(msg, "yaml: "))
		if msg == "" || msg == "unmarshal errors:" {
			continue
		}
		d := errs.Detail{Code: errs.YAMLSyntax}
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			d.Row, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		switch {
		case strings.Contains(msg, "tab character"):
			d.Code = errs.YAMLTab
		case strings.Contains(msg, "unexpected end of stream"):
			d.Code = errs.YAMLTruncated
		default:
			d.Args.Text = msg
		}
		details = append(details, d)
	}
	return errs.WithDetails(unreadable, details)
}
