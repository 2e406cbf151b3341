package user

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"sort"
	"strings"
	"unicode/utf8"

	"mattran/internal/errs"
	"mattran/internal/limits"
)

// ImportRow is one account of a bulk import (nhập người dùng từ CSV):
// typically one officer and one leader for each commune of a province.
type ImportRow struct {
	Line     int // the file's line, for messages
	Username string
	FullName string
	Role     Role
	UnitCode string
	Email    string
	// Password is the one given, or "" for one to be made up and shown
	// once to the administrator who imports.
	Password string
}

// Limits of a users file: a province has a few hundred communes, a
// country 3,321; a file of more rows, or longer lines, is not one.
const (
	MaxImportRows  = 20000
	MaxImportBytes = 4 << 20
	maxEmail       = 254
	maxUnitCode    = 32
	maxMessages    = 200 // errors listed; the count says how many more
)

// importColumns are the columns a users file has, by their Vietnamese
// name and the English one; ten_dang_nhap, vai_tro and ma_don_vi are
// required.
var importColumns = []struct{ vi, en string }{
	{"ten_dang_nhap", "username"},
	{"ho_ten", "full_name"},
	{"vai_tro", "role"},
	{"ma_don_vi", "unit"},
	{"email", "email"},
	{"mat_khau", "password"},
}

// roleWords are the words a file may use for a role.
var roleWords = map[string]Role{
	"admin": Admin, "quan_tri": Admin, "quản trị": Admin, "quan tri": Admin,
	"leader": Leader, "lanh_dao": Leader, "lãnh đạo": Leader, "lanh dao": Leader,
	"officer": Officer, "can_bo": Officer, "cán bộ": Officer, "can bo": Officer, "cán bộ nghiệp vụ": Officer,
	"viewer": Viewer, "xem": Viewer, "chỉ xem": Viewer,
}

// ParseImport reads a users file (CSV, UTF-8, comma or semicolon, a header
// row naming the columns) and checks every row, returning every error at
// once, each naming its line and column in Vietnamese: a file is imported
// whole or not at all. It reads the file once, and refuses one over
// MaxImportBytes or MaxImportRows.
func ParseImport(r io.Reader) ([]ImportRow, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxImportBytes {
		return nil, errs.New(errs.Invalid, "Tệp người dùng lớn hơn %d MB; hãy chia thành nhiều tệp.", MaxImportBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // Excel's UTF-8 mark
	if !utf8.Valid(data) {
		return nil, errs.New(errs.Invalid, "Tệp người dùng không phải UTF-8: khi lưu từ Excel, chọn «CSV UTF-8 (Comma delimited)».")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = sniffComma(data)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, errs.New(errs.Invalid, "Tệp người dùng trống: dòng đầu phải là tên các cột (ten_dang_nhap, ho_ten, vai_tro, ma_don_vi, email, mat_khau).")
	}
	if err != nil {
		return nil, csvError(err)
	}
	col := map[string]int{}
	var problems []string
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		known := false
		for _, c := range importColumns {
			if h == c.vi || h == c.en {
				col[c.vi], known = i, true
			}
		}
		if !known && h != "" {
			problems = append(problems, fmt.Sprintf("Dòng 1, cột %d: không có cột «%s»; các cột là ten_dang_nhap, ho_ten, vai_tro, ma_don_vi, email, mat_khau.", i+1, limitText(h)))
		}
	}
	for _, need := range []string{"ten_dang_nhap", "vai_tro", "ma_don_vi"} {
		if _, ok := col[need]; !ok {
			problems = append(problems, fmt.Sprintf("Dòng 1: thiếu cột «%s».", need))
		}
	}
	if len(problems) > 0 {
		return nil, Refusal(problems, len(problems))
	}
	var rows []ImportRow
	seen := map[string]int{}
	total := 0
	add := func(line int, column, msg string) {
		total++
		if len(problems) < maxMessages {
			problems = append(problems, fmt.Sprintf("Dòng %d, cột «%s»: %s", line, column, msg))
		}
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		cell := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue // an empty line, as Excel leaves at the end
		}
		if len(rows) >= MaxImportRows {
			return nil, errs.New(errs.Invalid, "Tệp có hơn %d người dùng; hãy chia thành nhiều tệp.", MaxImportRows)
		}
		row := ImportRow{Line: line, Username: strings.ToLower(cell("ten_dang_nhap")), FullName: cell("ho_ten"), UnitCode: cell("ma_don_vi"),
			Email: cell("email"), Password: cell("mat_khau")}
		if err := ValidateUsername(row.Username); err != nil {
			add(line, "ten_dang_nhap", fmt.Sprintf("tên đăng nhập «%s» không hợp lệ: 3–64 ký tự chữ thường không dấu, số, dấu . _ -.", limitText(row.Username)))
		} else if first, dup := seen[row.Username]; dup {
			add(line, "ten_dang_nhap", fmt.Sprintf("tên đăng nhập «%s» đã có ở dòng %d.", row.Username, first))
		} else {
			seen[row.Username] = line
		}
		if msg := limits.TooLong("Họ tên", row.FullName, limits.FullName); msg != "" {
			add(line, "ho_ten", msg)
		}
		role, ok := roleWords[strings.ToLower(cell("vai_tro"))]
		if !ok {
			add(line, "vai_tro", fmt.Sprintf("vai trò «%s» không có; dùng can_bo, lanh_dao, quan_tri hoặc xem.", limitText(cell("vai_tro"))))
		}
		row.Role = role
		switch {
		case row.UnitCode == "":
			add(line, "ma_don_vi", "thiếu mã đơn vị.")
		case utf8.RuneCountInString(row.UnitCode) > maxUnitCode:
			add(line, "ma_don_vi", fmt.Sprintf("mã đơn vị dài quá %d ký tự.", maxUnitCode))
		}
		if row.Email != "" {
			if !ValidEmail(row.Email) {
				add(line, "email", fmt.Sprintf("địa chỉ thư «%s» không hợp lệ.", limitText(row.Email)))
			}
		}
		if row.Password != "" {
			if err := ValidatePassword(row.Password); err != nil {
				add(line, "mat_khau", fmt.Sprintf("mật khẩu phải có ít nhất %d ký tự (hoặc để trống để hệ thống tạo).", MinPasswordLength))
			} else if utf8.RuneCountInString(row.Password) > 128 {
				add(line, "mat_khau", "mật khẩu dài quá 128 ký tự.")
			}
		}
		rows = append(rows, row)
	}
	if total > 0 {
		// The rows go back with the refusal, so that the checks against
		// the database (units, names taken) can name their problems in the
		// same answer: every error at once.
		return rows, Refusal(problems, total)
	}
	if len(rows) == 0 {
		return nil, errs.New(errs.Invalid, "Tệp người dùng không có dòng nào ngoài dòng tên cột.")
	}
	return rows, nil
}

// ImportError lists every problem of a refused file.
type ImportError struct {
	Err      *errs.Error
	Problems []string // each "Dòng n, cột «c»: …"
	total    int      // problems found, listed or not
}

func (e *ImportError) Error() string {
	if len(e.Problems) == 0 {
		return e.Err.Message
	}
	return e.Err.Message + " " + e.Problems[0]
}

// Unwrap lets errs.As find the invalid code.
func (e *ImportError) Unwrap() error { return e.Err }

// Refusal is the error refusing a users file for its problems (total of
// them; problems lists at most the first maxMessages).
func Refusal(problems []string, total int) error {
	msg := fmt.Sprintf("Tệp người dùng có %d lỗi; chưa tạo người dùng nào.", total)
	if total > len(problems) {
		msg += fmt.Sprintf(" Dưới đây là %d lỗi đầu.", len(problems))
	}
	return &ImportError{Err: errs.New(errs.Invalid, "%s", msg), Problems: problems, total: total}
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return errs.New(errs.Invalid, "Tệp người dùng hỏng ở dòng %d, cột %d: %s. Chưa tạo người dùng nào.", pe.Line, pe.Column, csvReason(pe.Err))
	}
	return err
}

func csvReason(err error) string {
	switch {
	case errors.Is(err, csv.ErrQuote), errors.Is(err, csv.ErrBareQuote):
		return "dấu ngoặc kép không đúng chỗ"
	}
	return "không đọc được"
}

// sniffComma: Excel in Vietnamese saves CSV with ';' where ',' is the
// decimal mark; the header says which.
func sniffComma(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		return ';'
	}
	return ','
}

// limitText shortens what a message repeats from the file.
func limitText(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}

// ValidEmail reports whether s is one bare e-mail address ("an@xa.vn",
// not "An <an@xa.vn>") of at most 254 bytes: where notices are mailed.
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= maxEmail
}

// Add puts more problems (total of them) into a refusal, every problem in
// the order of the file's lines, and counts them in its message.
func (e *ImportError) Add(more []string, total int) {
	if total == 0 {
		return
	}
	all := append(e.Problems, more...)
	sort.SliceStable(all, func(i, j int) bool { return problemLine(all[i]) < problemLine(all[j]) })
	if len(all) > maxMessages {
		all = all[:maxMessages]
	}
	e.total += total
	code := e.Err.Code
	e.Err = Refusal(all, e.total).(*ImportError).Err
	e.Err.Code = code
	e.Problems = all
}

// problemLine is the line a problem names ("Dòng 12, …"); 0 if none.
func problemLine(p string) int {
	rest, ok := strings.CutPrefix(p, "Dòng ")
	if !ok {
		return 0
	}
	n := 0
	for _, r := range rest {
		if r < '0' || r > '9' {
			break
		}
		n = n*10 + int(r-'0')
		if n > 1<<30 {
			break
		}
	}
	return n
}

// Total is how many problems the refusal found, listed or not.
func (e *ImportError) Total() int { return e.total }
