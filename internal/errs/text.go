package errs

import (
	"fmt"
	"strconv"
	"strings"

	"mattran/internal/period"
	"mattran/internal/vn"
)

// Style is how a detail's text writes numbers and names, chosen by where
// it is shown.
type Style int

const (
	// Exchange is the API's and the command line's style: numbers as the
	// exchange format writes them ("12.5", "1300") and data elements by
	// code, as the file or request that was refused names them.
	Exchange Style = iota
	// Page is the web pages' style: numbers the Vietnamese way ("12,5",
	// "1.300") and data elements by name.
	Page
)

// Text writes what is wrong, in Vietnamese, from the detail's reason and
// args: "giá trị 12,5 của chỉ số “Số hộ nghèo” phải là số nguyên". It does
// not say where; Where and Line do.
func Text(d Detail, s Style) string {
	write, ok := texts[d.Code]
	if !ok {
		write, ok = fundTexts[d.Code]
	}
	if !ok {
		return "dữ liệu không hợp lệ (" + string(d.Code) + ")"
	}
	return write(d, printer{s})
}

// Where names the place of a detail: "Ô D14", "dòng 7 (giá trị thứ 3),
// value", "dòng 12, subprograms[0].name", "deadline"; "" when it has
// none. A text never repeats the field, which Where names.
func Where(d Detail) string {
	if d.Cell != "" {
		return "Ô " + d.Cell
	}
	var parts []string
	switch {
	case d.Row > 0 && d.Index > 0:
		parts = append(parts, fmt.Sprintf("dòng %d (giá trị thứ %d)", d.Row, d.Index))
	case d.Row > 0:
		parts = append(parts, fmt.Sprintf("dòng %d", d.Row))
	case d.Index > 0:
		parts = append(parts, fmt.Sprintf("giá trị thứ %d", d.Index))
	}
	if d.Field != "" {
		parts = append(parts, d.Field)
	}
	return strings.Join(parts, ", ")
}

// Line is a detail on a line of its own: where, then what.
func Line(d Detail, s Style) string {
	if w := Where(d); w != "" {
		return w + ": " + Text(d, s)
	}
	return Text(d, s)
}

// printer writes the parts of a text in a style.
type printer struct{ style Style }

// num writes a number.
func (p printer) num(f float64) string {
	if p.style == Page {
		return vn.FormatExact(f)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// given writes a number as it was given: its text when there is one (so
// 9007199254740993 is not shown as the float it rounds to), else Number.
func (p printer) given(a Args) string {
	if a.Text == "" {
		return p.num(a.Number)
	}
	if p.style == Page {
		return vn.LocalNumber(a.Text)
	}
	return a.Text
}

// element names a data element: by code in the exchange style, which is
// what the refused file says; by name on a page, which is what the form
// shows.
func (p printer) element(code, name string) string {
	if p.style == Page && name != "" {
		return "“" + name + "”"
	}
	return code
}

func (p printer) elem(a Args) string { return p.element(a.Element, a.ElementName) }

// label writes a period code as its label, "Quý IV/2024".
func label(code string) string {
	if q, err := period.Parse(code); err == nil {
		return q.Label()
	}
	return code
}

// inSentence writes a period code as its label inside a sentence, "quý IV/2024".
func inSentence(code string) string {
	if q, err := period.Parse(code); err == nil {
		return q.InSentence()
	}
	return code
}

// periodType writes a period type ("quarterly") in words ("quý").
func periodType(t string) string {
	if pt, err := period.ParseType(t); err == nil {
		return pt.Label()
	}
	return t
}

// kind writes a unit kind as a sentence names it: "xã, phường, thị trấn".
func kind(code, name string) string {
	if name != "" {
		return strings.ToLower(name)
	}
	return code
}

// date writes YYYY-MM-DD as dd/mm/yyyy.
func date(s string) string {
	if len(s) != 10 {
		return s
	}
	return s[8:10] + "/" + s[5:7] + "/" + s[0:4]
}

// from and to write the ends of a validity interval; an open end is
// "trước đây" (valid since before our records) or "nay" (still valid).
func from(s string) string {
	if s == "" {
		return "trước đây"
	}
	return date(s)
}

func to(s string) string {
	if s == "" {
		return "nay"
	}
	return date(s)
}

// other returns a's other side, never nil.
func other(a Args) Args {
	if a.Other == nil {
		return Args{}
	}
	return *a.Other
}

// rowOf names another row of the same input.
func rowOf(a Args) string {
	return Where(Detail{Row: a.Row, Index: a.Index})
}

// kb writes a byte count in KB.
func kb(n float64) string { return strconv.Itoa(int(n) / 1024) }

// shapes name the kinds of value of a program file.
var shapes = map[Shape]string{
	ShapeText:    "chữ",
	ShapeNumber:  "số",
	ShapeInteger: "số nguyên",
	ShapeBoolean: "true hoặc false",
	ShapeList:    "một danh sách",
	ShapeSection: "một mục có các trường con",
}

func shape(s Shape) string {
	if n, ok := shapes[s]; ok {
		return n
	}
	return string(s)
}

// texts is the catalogue: the Vietnamese text of every reason.
var texts = map[Reason]func(d Detail, p printer) string{
	FieldText: func(d Detail, p printer) string {
		if d.Args.Text == "" {
			return "giá trị không hợp lệ"
		}
		return d.Args.Text
	},
	// A data value.
	MissingElement: func(d Detail, p printer) string { return "thiếu mã chỉ số (dataElement)" },
	UnknownElement: func(d Detail, p printer) string { return fmt.Sprintf("không có chỉ số %q", d.Args.Text) },
	BadPeriod: func(d Detail, p printer) string {
		// period.Parse says which part of the code is wrong.
		if _, err := period.Parse(d.Args.Text); err != nil {
			return err.Error()
		}
		return fmt.Sprintf("kỳ %q không hợp lệ", d.Args.Text)
	},
	WrongPeriodType: func(d Detail, p printer) string {
		return fmt.Sprintf("chỉ số %s nhập theo %s, không nhập theo kỳ %s", p.elem(d.Args), periodType(d.Args.PeriodType), d.Args.Period)
	},
	PeriodNotStarted: func(d Detail, p printer) string {
		return fmt.Sprintf("kỳ %s (%s) chưa bắt đầu", d.Args.Period, label(d.Args.Period))
	},
	MissingUnit: func(d Detail, p printer) string { return "thiếu mã đơn vị (orgUnit)" },
	UnknownUnit: func(d Detail, p printer) string {
		return fmt.Sprintf("không có đơn vị mã %q trong kỳ %s", d.Args.Unit, label(d.Args.Period))
	},
	NotCollectedAtKind: func(d Detail, p printer) string {
		a := d.Args
		if d.Cell != "" {
			return fmt.Sprintf("chỉ số %s không thu thập ở cấp %s (ô xám); để trống ô này", p.elem(a), kind(a.Kind, a.KindName))
		}
		return fmt.Sprintf("chỉ số %s không thu thập ở cấp %s (%s)", p.elem(a), kind(a.Kind, a.KindName), a.UnitName)
	},
	OutOfScope: func(d Detail, p printer) string {
		return fmt.Sprintf("đơn vị %s (%s) nằm ngoài phạm vi được phép ghi của bạn", d.Args.Unit, d.Args.UnitName)
	},
	Locked: func(d Detail, p printer) string {
		return fmt.Sprintf("số liệu kỳ %s của %s đã được duyệt và khóa", label(d.Args.Period), d.Args.UnitName)
	},
	DuplicateConflict: func(d Detail, p printer) string {
		return fmt.Sprintf("trùng chỉ số, đơn vị và kỳ với %s nhưng khác giá trị", rowOf(other(d.Args)))
	},
	MissingValue: func(d Detail, p printer) string { return "thiếu giá trị" },
	NotBoolean: func(d Detail, p printer) string {
		return fmt.Sprintf("giá trị %q của chỉ số %s phải là true hoặc false", d.Args.Text, p.elem(d.Args))
	},
	NotYesNo: func(d Detail, p printer) string {
		return fmt.Sprintf("chỉ số %s chỉ nhận 1 (có) hoặc 0 (không), không nhận %s", p.elem(d.Args), p.given(d.Args))
	},
	NotExchangeNumber: func(d Detail, p printer) string {
		return fmt.Sprintf("giá trị %q của chỉ số %s không phải là số (dùng dấu chấm thập phân, không dùng dấu phân cách hàng nghìn)", d.Args.Text, p.elem(d.Args))
	},
	Negative: func(d Detail, p printer) string {
		return fmt.Sprintf("giá trị %s của chỉ số %s là số âm; số đếm và số tiền không được âm", p.given(d.Args), p.elem(d.Args))
	},
	TooLarge: func(d Detail, p printer) string {
		return fmt.Sprintf("giá trị %s của chỉ số %s quá lớn", p.given(d.Args), p.elem(d.Args))
	},
	NotWhole: func(d Detail, p printer) string {
		return fmt.Sprintf("giá trị %s của chỉ số %s phải là số nguyên", p.given(d.Args), p.elem(d.Args))
	},
	PercentRange: func(d Detail, p printer) string {
		return fmt.Sprintf("tỷ lệ %s%% của chỉ số %s phải từ 0 đến 100", p.given(d.Args), p.elem(d.Args))
	},
	PartExceedsWhole: func(d Detail, p printer) string {
		a, w := d.Args, other(d.Args)
		return fmt.Sprintf("%s = %s lớn hơn %s = %s của %s kỳ %s", p.elem(a), p.num(a.Number), p.elem(w), p.num(w.Number), a.UnitName, a.Period)
	},
	WholeBelowPart: func(d Detail, p printer) string {
		a, part := d.Args, other(d.Args)
		return fmt.Sprintf("%s = %s nhỏ hơn %s = %s đã có của %s kỳ %s", p.elem(a), p.num(a.Number), p.elem(part), p.num(part.Number), a.UnitName, a.Period)
	},
	DerivedElement: func(d Detail, p printer) string {
		return fmt.Sprintf("chỉ số %s được tính tự động (%s), không nhập tay", p.elem(d.Args), d.Args.Text)
	},
	HeldBySentReport: func(d Detail, p printer) string {
		a := d.Args
		return fmt.Sprintf("báo cáo %s của %s đã gửi và đang chờ cấp trên duyệt, nên không sửa được %s của %s; hãy đề nghị cấp trên trả lại báo cáo rồi sửa",
			inSentence(a.Period), other(a).UnitName, p.elem(a), a.UnitName)
	},

	// A number or date typed by a user.
	// A cell or field named by its figure when it has one: an Excel
	// upload's list of errors names only the cell.
	NotANumber: func(d Detail, p printer) string {
		return figureOf(d, p) + fmt.Sprintf("%q không phải là số", d.Args.Text)
	},
	AmbiguousThousands: func(d Detail, p printer) string {
		digits := strings.NewReplacer(",", "", "+", "", "-", "").Replace(d.Args.Text)
		return figureOf(d, p) + fmt.Sprintf("%q có dấu phẩy, là dấu thập phân trong cách viết Việt Nam; nếu là số nguyên %s, hãy viết %q hoặc %q (dấu chấm ngăn cách hàng nghìn)",
			d.Args.Text, vn.LocalNumber(digits), digits, vn.LocalNumber(digits))
	},
	BadDate: func(d Detail, p printer) string {
		return fmt.Sprintf("ngày %q không hợp lệ: cần dạng dd/mm/yyyy hoặc yyyy-mm-dd", d.Args.Text)
	},
	NoSuchDate: func(d Detail, p printer) string { return fmt.Sprintf("ngày %q không tồn tại", d.Args.Text) },
	DeadlineBeforeStart: func(d Detail, p printer) string {
		return fmt.Sprintf("hạn nộp %s trước khi kỳ %s bắt đầu", date(d.Args.Date), label(d.Args.Period))
	},
	MissingReason: func(d Detail, p printer) string { return "cần ghi lý do để đơn vị biết phải sửa gì" },
	MissingOverride: func(d Detail, p printer) string {
		return "quyết định thay cấp trên trực tiếp cần ghi lý do, để nhật ký ghi vì sao"
	},
	PasswordTooShort: func(d Detail, p printer) string {
		return fmt.Sprintf("mật khẩu phải có ít nhất %s ký tự", p.num(d.Args.Min))
	},

	// An exchange file.
	JSONSyntax: func(d Detail, p printer) string {
		return fmt.Sprintf("JSON không hợp lệ (sai cú pháp ở ký tự %q)", d.Args.Text)
	},
	JSONTruncated: func(d Detail, p printer) string {
		return "JSON không hợp lệ (dữ liệu bị cắt ngang: thiếu dấu đóng } hoặc ])"
	},
	JSONNotObject: func(d Detail, p printer) string {
		return `dữ liệu JSON phải là một đối tượng {"dataValues": [...]}`
	},
	JSONTrailing: func(d Detail, p printer) string { return "có nội dung thừa sau dấu } cuối cùng" },
	JSONTooDeep: func(d Detail, p printer) string {
		return fmt.Sprintf("JSON lồng nhau quá %s cấp", p.num(d.Args.Max))
	},
	ValuesNotArray: func(d Detail, p printer) string { return `"dataValues" phải là một mảng` },
	MissingValues:  func(d Detail, p printer) string { return `thiếu trường "dataValues"` },
	ValueNotObject: func(d Detail, p printer) string {
		return `mỗi giá trị phải là một đối tượng {"dataElement", "period", "orgUnit", "value"}`
	},
	DeleteUnsupported: func(d Detail, p printer) string {
		return `chưa hỗ trợ xóa giá trị qua tệp ("deleted": true); hãy gửi giá trị đúng để thay thế`
	},
	FieldNotText:    func(d Detail, p printer) string { return "phải là chuỗi hoặc số" },
	TopFieldNotText: func(d Detail, p printer) string { return "phải là chuỗi" },
	TooLong: func(d Detail, p printer) string {
		return fmt.Sprintf("dài %s ký tự, tối đa %s", p.num(d.Args.Number), p.num(d.Args.Max))
	},
	StringTooLong: func(d Detail, p printer) string {
		return fmt.Sprintf("có chuỗi dài hơn %s KB; một giá trị không dài như vậy", kb(d.Args.Max))
	},
	LineTooLong: func(d Detail, p printer) string {
		return fmt.Sprintf("dòng dài hơn %s KB; một dòng số liệu không dài như vậy (tệp có đúng là CSV?)", kb(d.Args.Max))
	},
	CSVQuote: func(d Detail, p printer) string {
		return fmt.Sprintf(`CSV không hợp lệ ở cột %d (dấu ngoặc kép " không đúng chỗ)`, int(d.Args.Number))
	},
	CSVSyntax: func(d Detail, p printer) string { return fmt.Sprintf("CSV không hợp lệ (%s)", d.Args.Text) },
	MissingColumn: func(d Detail, p printer) string {
		return fmt.Sprintf("thiếu cột %q (cần các cột %s)", d.Args.Text, other(d.Args).Text)
	},
	TooManyCells: func(d Detail, p printer) string {
		return fmt.Sprintf("có %s ô, dòng tiêu đề có %s (có số viết dấu phẩy thập phân? hãy dùng dấu chấm, hoặc đặt ô trong ngoặc kép)", p.num(d.Args.Number), p.num(d.Args.Max))
	},
	UnknownColumn: func(d Detail, p printer) string {
		return fmt.Sprintf("cột %q không được hỗ trợ (các cột: %s)", d.Args.Text, other(d.Args).Text)
	},
	RepeatedColumn: func(d Detail, p printer) string { return fmt.Sprintf("cột %q bị lặp", d.Args.Text) },

	// An Excel upload.
	UnitRepeated: func(d Detail, p printer) string {
		return fmt.Sprintf("đơn vị mã %s lặp lại (đã có ở dòng %d); mỗi đơn vị chỉ một dòng", d.Args.Unit, other(d.Args).Row)
	},
	RowAdded: func(d Detail, p printer) string {
		return "thêm dòng ngoài mẫu tải về; không thêm dòng vào mẫu, mỗi đơn vị đã có sẵn một dòng"
	},
	UnitCodeDeleted: func(d Detail, p printer) string {
		return fmt.Sprintf("mã đơn vị %s bị xóa; không sửa cột mã đơn vị", d.Args.Unit)
	},
	UnitCodeChanged: func(d Detail, p printer) string {
		return fmt.Sprintf("mã đơn vị bị sửa từ %s thành %s; không sửa cột mã đơn vị", d.Args.Unit, d.Args.Text)
	},
	UnitNotInSheet: func(d Detail, p printer) string {
		return fmt.Sprintf("đơn vị mã %s không thuộc phạm vi của trang này (có thể đã sáp nhập hoặc giải thể); hãy tải mẫu mới", d.Args.Unit)
	},
	ElementCodeChanged: func(d Detail, p printer) string {
		return fmt.Sprintf("mã chỉ số bị sửa từ %s thành %q; không sửa dòng mã chỉ số", d.Args.Element, d.Args.Text)
	},
	ElementNotInForm: func(d Detail, p printer) string {
		return fmt.Sprintf("chỉ số %s không còn trong biểu mẫu “%s”; hãy tải mẫu mới", d.Args.Element, d.Args.FormName)
	},
	CellUnreadable: func(d Detail, p printer) string { return "không đọc được ô" },
	CellError:      func(d Detail, p printer) string { return fmt.Sprintf("ô có lỗi %s; hãy nhập số", d.Args.Text) },
	FormulaNotComputed: func(d Detail, p printer) string {
		return "ô " + d.Cell + " có công thức chưa được tính; hãy mở tệp bằng Excel, lưu lại rồi tải lên"
	},
	BooleanCell: func(d Detail, p printer) string {
		return "ô " + d.Cell + " chứa giá trị đúng/sai (TRUE/FALSE), không phải số; hãy nhập số"
	},
	NotZeroOrOne: func(d Detail, p printer) string {
		return fmt.Sprintf("chỉ số %s chỉ nhận 1 (có) hoặc 0 (không), không nhận %s", p.elem(d.Args), p.num(d.Args.Number))
	},

	// A units file and its plan.
	UnitsJSONSyntax: func(d Detail, p printer) string { return "lỗi cú pháp JSON" },
	UnitsJSONType:   func(d Detail, p printer) string { return "giá trị sai kiểu" },
	BadDataDate: func(d Detail, p printer) string {
		return fmt.Sprintf("ngày %q không hợp lệ (dùng dd/mm/yyyy)", d.Args.Text)
	},
	MergeThirdLevel: func(d Detail, p printer) string { return "tệp sáp nhập không có cấp thứ ba" },
	BadKind: func(d Detail, p printer) string {
		return fmt.Sprintf("loại đơn vị %q không hợp lệ (dùng một trong: central, province, district, commune, residential_area, member_org)", d.Args.Text)
	},
	BadBoolean: func(d Detail, p printer) string {
		return fmt.Sprintf("giá trị %q không hợp lệ (dùng true hoặc false)", d.Args.Text)
	},
	UnitCodeMissing: func(d Detail, p printer) string { return "thiếu mã đơn vị" },
	UnitCodeInvalid: func(d Detail, p printer) string {
		return fmt.Sprintf("mã %q không hợp lệ (tối đa %s ký tự, không có khoảng trắng hoặc dấu / , ;)", d.Args.Unit, p.num(d.Args.Max))
	},
	UnitNameMissing: func(d Detail, p printer) string { return fmt.Sprintf("thiếu tên đơn vị %q", d.Args.Unit) },
	UnitNameTooLong: func(d Detail, p printer) string {
		return fmt.Sprintf("tên đơn vị %q quá dài (tối đa %s byte)", d.Args.Unit, p.num(d.Args.Max))
	},
	CentralNotImported: func(d Detail, p printer) string {
		return "không nhập được đơn vị Trung ương: nó có sẵn là gốc của cây"
	},
	ParentNotBefore: func(d Detail, p printer) string {
		return fmt.Sprintf("đơn vị cấp trên %q chưa xuất hiện trước đó trong tệp", d.Args.Unit)
	},
	KindNotUnder: func(d Detail, p printer) string {
		a, par := d.Args, other(d.Args)
		return fmt.Sprintf("đơn vị %s không thể nằm trực tiếp dưới đơn vị %s", kind(a.Kind, a.KindName), kind(par.Kind, par.KindName))
	},
	ParentRequired: func(d Detail, p printer) string {
		return fmt.Sprintf("đơn vị %q loại %s cần mã đơn vị cấp trên", d.Args.Unit, d.Args.Kind)
	},
	TooManyMerges: func(d Detail, p printer) string {
		return fmt.Sprintf("quá nhiều đơn vị cũ (%s; tối đa %s)", p.num(d.Args.Number), p.num(d.Args.Max))
	},
	MergesNeedStart: func(d Detail, p printer) string {
		return fmt.Sprintf("đơn vị %q kế thừa đơn vị khác (cột merges) nên cần ngày bắt đầu: cột valid_from hoặc --date", d.Args.Unit)
	},
	OldUnitNotValid: func(d Detail, p printer) string {
		return fmt.Sprintf("đơn vị cũ %q không có hiệu lực ngày %s", d.Args.Unit, date(d.Args.Date))
	},
	OldUnitOtherKind: func(d Detail, p printer) string {
		a, n := d.Args, other(d.Args)
		return fmt.Sprintf("đơn vị cũ %q là %s, khác loại với đơn vị mới %q (%s)", a.Unit, kind(a.Kind, a.KindName), n.Unit, kind(n.Kind, n.KindName))
	},
	BadISODate: func(d Detail, p printer) string {
		return fmt.Sprintf("ngày %q không hợp lệ (dùng YYYY-MM-DD)", d.Args.Text)
	},
	BadSuccession: func(d Detail, p printer) string {
		return fmt.Sprintf("kiểu sáp nhập %q của %q không hợp lệ (full hoặc partial)", d.Args.Text, d.Args.Unit)
	},
	OldCodeMissing: func(d Detail, p printer) string { return "thiếu mã đơn vị cũ" },
	CodeRepeated: func(d Detail, p printer) string {
		return fmt.Sprintf("mã %q xuất hiện hai lần trong tệp", d.Args.Unit)
	},
	VersionRepeated: func(d Detail, p printer) string {
		return fmt.Sprintf("mã %q với ngày bắt đầu %q xuất hiện hai lần trong tệp", d.Args.Unit, d.Args.From)
	},
	ParentNotFound: func(d Detail, p printer) string {
		return fmt.Sprintf("không tìm thấy đơn vị cấp trên %q còn hiệu lực ngày %s", d.Args.Unit, date(d.Args.Date))
	},
	EndsBeforeList: func(d Detail, p printer) string {
		return fmt.Sprintf("đơn vị %q không thể kết thúc ngày %s, trước ngày %s mà danh sách này còn ghi nó", d.Args.Unit, date(d.Args.To), date(d.Args.Date))
	},
	OutsideListDate: func(d Detail, p printer) string {
		a := d.Args
		return fmt.Sprintf("đơn vị %q có hiệu lực %s – %s, không chứa ngày nhập %s", a.Unit, from(a.From), to(a.To), date(a.Date))
	},
	OutsideParent: func(d Detail, p printer) string {
		a, par := d.Args, other(d.Args)
		return fmt.Sprintf("đơn vị %q (%s – %s) phải nằm trong thời gian hiệu lực của đơn vị cấp trên %q (%s – %s)",
			a.Unit, from(a.From), to(a.To), par.Unit, from(par.From), to(par.To))
	},
	ParentChanged: func(d Detail, p printer) string {
		return fmt.Sprintf("đơn vị %q đã thuộc đơn vị cấp trên khác; đổi cấp trên cần một phiên bản mới của đơn vị (tệp sáp nhập hoặc valid_from mới)", d.Args.Unit)
	},
	StartChanged: func(d Detail, p printer) string {
		return fmt.Sprintf("đơn vị %q đã có hiệu lực từ %s; không đổi được ngày bắt đầu", d.Args.Unit, from(d.Args.From))
	},
	EndsBeforeStart: func(d Detail, p printer) string {
		return fmt.Sprintf("ngày kết thúc %s trước ngày bắt đầu %s", to(d.Args.To), from(d.Args.From))
	},
	CodeTaken: func(d Detail, p printer) string {
		a, o := d.Args, other(d.Args)
		return fmt.Sprintf("mã %q đã là của %q từ %s đến %s, trùng thời gian với đơn vị mới %q (%s – %s)",
			a.Unit, o.UnitName, from(o.From), to(o.To), a.UnitName, from(a.From), to(a.To))
	},

	// A program file and the validation of a program.
	YAMLUnknownField: func(d Detail, p printer) string {
		return fmt.Sprintf("trường %q không có trong mẫu chương trình (kiểm tra chính tả)", d.Args.Text)
	},
	YAMLWrongShape: func(d Detail, p printer) string {
		a := d.Args
		if a.Found == ShapeList || a.Found == ShapeSection || a.Text == "" {
			return fmt.Sprintf("ở đây là %s nhưng cần %s", shape(a.Found), shape(a.Want))
		}
		return fmt.Sprintf("giá trị %q sai kiểu: cần %s", a.Text, shape(a.Want))
	},
	YAMLDuplicateKey: func(d Detail, p printer) string {
		return fmt.Sprintf("khóa %q bị lặp (đã có ở dòng %d)", d.Args.Text, other(d.Args).Row)
	},
	YAMLTab: func(d Detail, p printer) string {
		return "lỗi cú pháp YAML: có ký tự tab ở đầu dòng; YAML chỉ thụt lề bằng dấu cách"
	},
	YAMLTruncated: func(d Detail, p printer) string {
		return "lỗi cú pháp YAML: tệp kết thúc giữa chừng (thiếu dấu đóng ngoặc hoặc nháy?)"
	},
	YAMLSyntax:         func(d Detail, p printer) string { return "lỗi cú pháp YAML: " + d.Args.Text },
	ProgramCodeMissing: func(d Detail, p printer) string { return "thiếu mã chương trình" },
	ProgramCodeInvalid: func(d Detail, p printer) string { return codeInvalid("chương trình", d.Args.Text) },
	ParentCodeMissing:  func(d Detail, p printer) string { return "thiếu mã chương trình cấp trên" },
	ExampleNoteTooLong: func(d Detail, p printer) string {
		return fmt.Sprintf("ghi chú ví dụ quá dài (tối đa %s byte)", p.num(d.Args.Max))
	},
	ExampleNoteBlank: func(d Detail, p printer) string { return "ghi chú ví dụ chỉ có khoảng trắng" },
	RuleNoWeight:     func(d Detail, p printer) string { return "quy tắc này không dùng chỉ số trọng số" },
	RuleNeedsWeight: func(d Detail, p printer) string {
		return "cần chỉ số đếm " + d.Args.Text + " ở khu dân cư"
	},
	RuleBadWeight: func(d Detail, p printer) string {
		return fmt.Sprintf("chỉ số %s phải là số nguyên, báo cáo theo năm ở khu dân cư", d.Args.Element)
	},
	RuleUnknown: func(d Detail, p printer) string {
		return fmt.Sprintf("quy tắc %q không có (largest, areas, households, population)", d.Args.Text)
	},
	ContinuesCodeMissing: func(d Detail, p printer) string { return "thiếu mã chương trình nhiệm kỳ trước" },
	ContinuesCodeInvalid: func(d Detail, p printer) string {
		return codeInvalid("chương trình nhiệm kỳ trước", d.Args.Text)
	},
	ContinuesItself: func(d Detail, p printer) string { return "một chương trình không thể tiếp nối chính nó" },
	TargetContinuesAlone: func(d Detail, p printer) string {
		return fmt.Sprintf("chỉ tiêu %s tiếp nối chỉ tiêu %s nhưng chương trình chưa ghi continues (mã chương trình nhiệm kỳ trước)", d.Args.Target, d.Args.Text)
	},
	PrevTargetCodeMissing: func(d Detail, p printer) string { return "thiếu mã chỉ tiêu nhiệm kỳ trước" },
	PrevTargetCodeInvalid: func(d Detail, p printer) string { return codeInvalid("chỉ tiêu nhiệm kỳ trước", d.Args.Text) },
	ParentCodeInvalid:     func(d Detail, p printer) string { return codeInvalid("chương trình cấp trên", d.Args.Text) },
	SubprogramCodeMissing: func(d Detail, p printer) string { return "thiếu mã chương trình con" },
	SubprogramCodeInvalid: func(d Detail, p printer) string { return codeInvalid("chương trình con", d.Args.Text) },
	ElementCodeMissing:    func(d Detail, p printer) string { return "thiếu mã chỉ số" },
	ElementCodeInvalid:    func(d Detail, p printer) string { return codeInvalid("chỉ số", d.Args.Text) },
	TargetCodeMissing:     func(d Detail, p printer) string { return "thiếu mã chỉ tiêu" },
	TargetCodeInvalid:     func(d Detail, p printer) string { return codeInvalid("chỉ tiêu", d.Args.Text) },
	ProgramNameMissing:    func(d Detail, p printer) string { return "thiếu tên chương trình" },
	OwnerUnitMissing:      func(d Detail, p printer) string { return "thiếu mã đơn vị ban hành" },
	SubprogramNameMissing: func(d Detail, p printer) string { return "thiếu tên chương trình con" },
	ElementNameMissing:    func(d Detail, p printer) string { return "thiếu tên chỉ số" },
	TargetNameMissing:     func(d Detail, p printer) string { return "thiếu tên chỉ tiêu" },
	MeasureMissing:        func(d Detail, p printer) string { return "thiếu cách đo (measure)" },
	ConditionLabelMissing: func(d Detail, p printer) string { return "thiếu nhãn điều kiện" },
	TaskSubprogramMissing: func(d Detail, p printer) string { return "thiếu mã chương trình con" },
	NameTooLong: func(d Detail, p printer) string {
		return fmt.Sprintf("tên dài %s ký tự, tối đa %s", p.num(d.Args.Number), p.num(d.Args.Max))
	},
	TextTooLong: func(d Detail, p printer) string {
		return fmt.Sprintf("nội dung dài %s ký tự, tối đa %s", p.num(d.Args.Number), p.num(d.Args.Max))
	},
	TermFromInvalid: func(d Detail, p printer) string {
		return fmt.Sprintf("năm bắt đầu nhiệm kỳ %d không hợp lệ", int(d.Args.Number))
	},
	TermToInvalid: func(d Detail, p printer) string {
		return fmt.Sprintf("năm kết thúc nhiệm kỳ %d không hợp lệ (phải từ %d)", int(d.Args.Number), int(d.Args.Min))
	},
	DenominatorUnknown: func(d Detail, p printer) string {
		return fmt.Sprintf("mẫu số %q không có trong data_elements", d.Args.Element)
	},
	DenominatorSelf: func(d Detail, p printer) string {
		return "một chỉ số không thể là mẫu số của chính nó"
	},
	DenominatorPeriod: func(d Detail, p printer) string {
		return fmt.Sprintf("mẫu số %q có kỳ %s, khác kỳ %s của tử số", d.Args.Element, d.Args.PeriodType, other(d.Args).PeriodType)
	},
	SubprogramsMissing: func(d Detail, p printer) string {
		return "chương trình phải có ít nhất một chương trình con"
	},
	SubprogramRepeated: func(d Detail, p printer) string {
		return fmt.Sprintf("mã chương trình con %q bị lặp", d.Args.Text)
	},
	ObjectivesMissing: func(d Detail, p printer) string { return "chương trình con phải có ít nhất một mục tiêu" },
	TargetRepeated:    func(d Detail, p printer) string { return fmt.Sprintf("mã chỉ tiêu %q bị lặp", d.Args.Target) },
	ElementRepeated:   func(d Detail, p printer) string { return fmt.Sprintf("mã chỉ số %q bị lặp", d.Args.Element) },
	ValueTypeInvalid: func(d Detail, p printer) string {
		return fmt.Sprintf("kiểu giá trị %q không hợp lệ (integer, money, percent, boolean)", d.Args.Text)
	},
	AggregationInvalid: func(d Detail, p printer) string {
		return fmt.Sprintf("cách tổng hợp %q không hợp lệ (sum, last, max)", d.Args.Text)
	},
	PeriodTypeInvalid: func(d Detail, p printer) string {
		return fmt.Sprintf("loại kỳ %q không hợp lệ (monthly, quarterly, sixmonthly, yearly)", d.Args.Text)
	},
	KindsMissing: func(d Detail, p printer) string { return "cần ít nhất một loại đơn vị" },
	SourceInvalid: func(d Detail, p printer) string {
		return fmt.Sprintf("nguồn %q không hợp lệ (reported hoặc derived:<phân hệ>)", d.Args.Text)
	},
	TypedUntilInvalid: func(d Detail, p printer) string {
		return fmt.Sprintf("typed_until %d không hợp lệ: chỉ dùng cho chỉ số tính tự động (derived:<phân hệ>), là năm cuối cùng còn nhập tay, từ 1990 đến 2100", int(d.Args.Number))
	},
	ObjectiveMissing: func(d Detail, p printer) string {
		return fmt.Sprintf("mục tiêu số %d không có (chương trình con có %d mục tiêu)", int(d.Args.Number), int(d.Args.Max))
	},
	ConditionsMissing: func(d Detail, p printer) string { return "chỉ tiêu phải có ít nhất một điều kiện" },
	ScopeInvalid: func(d Detail, p printer) string {
		return fmt.Sprintf("phạm vi %q không hợp lệ (subtree hoặc self)", d.Args.Text)
	},
	CountAndRatio: func(d Detail, p printer) string {
		return "dùng elements (đếm) hoặc numerator/denominator (tỷ lệ), không dùng cả hai"
	},
	CountOrRatioMissing: func(d Detail, p printer) string { return "thiếu elements hoặc numerator/denominator" },
	RatioIncomplete:     func(d Detail, p printer) string { return "tỷ lệ cần cả numerator và denominator" },
	ConditionElementUnknown: func(d Detail, p printer) string {
		return fmt.Sprintf("chỉ số %q không có trong data_elements", d.Args.Element)
	},
	ConditionElementLonger: func(d Detail, p printer) string {
		return fmt.Sprintf("chỉ số %q theo kỳ %s, dài hơn kỳ %s của chỉ tiêu", d.Args.Element, d.Args.PeriodType, other(d.Args).PeriodType)
	},
	ThresholdMissing: func(d Detail, p printer) string {
		return "thiếu ngưỡng (threshold) cho phép so sánh " + d.Args.Text
	},
	ThresholdInvalid: func(d Detail, p printer) string {
		return fmt.Sprintf("ngưỡng %s không hợp lệ cho điều kiện này", p.num(d.Args.Number))
	},
	ThresholdUnused: func(d Detail, p printer) string { return "phép so sánh " + d.Args.Text + " không dùng ngưỡng" },
	ComparatorInvalid: func(d Detail, p printer) string {
		return fmt.Sprintf("phép so sánh %q không hợp lệ (ge, gt, le, lt, eq, ge_previous_year, tracked)", d.Args.Text)
	},
	OwnThresholdsInRoot: func(d Detail, p printer) string {
		return "chỉ chương trình cụ thể hóa (có parent) mới có ngưỡng riêng; chương trình gốc đặt ngưỡng trong từng chỉ tiêu"
	},
	OwnTasksInRoot: func(d Detail, p printer) string {
		return "chỉ chương trình cụ thể hóa (có parent) mới có nhiệm vụ riêng; chương trình gốc ghi vào focus_tasks"
	},
	DerivesItself: func(d Detail, p printer) string {
		return "một chương trình không thể cụ thể hóa chính nó"
	},
	DerivedSubprograms: func(d Detail, p printer) string {
		return "chương trình cụ thể hóa dùng chung các chương trình con và chỉ tiêu của chương trình cấp trên: bỏ subprograms"
	},
	DerivedElements: func(d Detail, p printer) string {
		return "chương trình cụ thể hóa dùng chung các chỉ số của chương trình cấp trên: bỏ data_elements"
	},
	ThresholdTargetMissing: func(d Detail, p printer) string { return "thiếu mã chỉ tiêu" },
	ConditionNumberInvalid: func(d Detail, p printer) string {
		return fmt.Sprintf("điều kiện số %d không hợp lệ", int(d.Args.Number))
	},
	OwnThresholdRepeated: func(d Detail, p printer) string {
		return fmt.Sprintf("ngưỡng riêng của %s bị lặp", d.Args.Target)
	},
	UnknownTarget: func(d Detail, p printer) string {
		return fmt.Sprintf("chương trình %s không có chỉ tiêu %q", d.Args.Program, d.Args.Target)
	},
	UnknownSubprogram: func(d Detail, p printer) string {
		return fmt.Sprintf("chương trình %s không có chương trình con %q", d.Args.Program, d.Args.Text)
	},
	NoSuchCondition: func(d Detail, p printer) string {
		return fmt.Sprintf("chỉ tiêu %s không có điều kiện thứ %d", d.Args.Target, int(d.Args.Number))
	},
	ThresholdFixed: func(d Detail, p printer) string {
		return "điều kiện này không đặt ngưỡng riêng được (" + d.Args.Text + ")"
	},
	AmountNotNumber:   func(d Detail, p printer) string { return "không phải là số" },
	ThresholdNegative: func(d Detail, p printer) string { return "ngưỡng không được âm" },
	QuotaNegative:     func(d Detail, p printer) string { return "chỉ tiêu giao không được âm" },
	PercentOver100:    func(d Detail, p printer) string { return "tỷ lệ phải từ 0 đến 100%" },
	MoneyNotWhole: func(d Detail, p printer) string {
		return "số tiền phải là số đồng chẵn, không có phần lẻ"
	},
	ThresholdNotWhole: func(d Detail, p printer) string { return "ngưỡng phải là số nguyên" },
	QuotaNotWhole:     func(d Detail, p printer) string { return "chỉ tiêu giao phải là số nguyên" },
	BelowCommonThreshold: func(d Detail, p printer) string {
		return "ngưỡng riêng không được thấp hơn ngưỡng chung (" + d.Args.Text + ")"
	},
	AboveCommonThreshold: func(d Detail, p printer) string {
		return "ngưỡng riêng không được cao hơn ngưỡng chung (" + d.Args.Text + ")"
	},
	BelowQuota: func(d Detail, p printer) string {
		return "ngưỡng riêng không được thấp hơn chỉ tiêu cấp trên giao (" + d.Args.Text + ")"
	},
	AboveQuota: func(d Detail, p printer) string {
		return "ngưỡng riêng không được cao hơn chỉ tiêu cấp trên giao (" + d.Args.Text + ")"
	},
	NotQuotaTarget: func(d Detail, p printer) string {
		return fmt.Sprintf("chỉ tiêu %s không giao theo số lượng cho cấp dưới được", d.Args.Target)
	},
	TaskEmpty: func(d Detail, p printer) string { return "hãy nhập nội dung nhiệm vụ" },
}

func codeInvalid(what, code string) string {
	return fmt.Sprintf("mã %s %q không hợp lệ (chữ, số, dấu . _ -; tối đa 64 ký tự)", what, code)
}

// figureOf names the figure a typed value was for, "chỉ số “…”: ", when
// the detail says which.
func figureOf(d Detail, p printer) string {
	if d.Args.Element == "" && d.Args.ElementName == "" {
		return ""
	}
	return "chỉ số " + p.elem(d.Args) + ": "
}
