package main

import (
	"context"
	"fmt"
	"io"
	"mattran/internal/clock"
	"path/filepath"
	"time"

	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/store"
	"mattran/internal/unit"
	"mattran/internal/value"
)

func cmdUnitsImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("units import", "TỆP [--date YYYY-MM-DD] [--valid-from YYYY-MM-DD] [--db …]",
		"Nhập danh mục đơn vị. Nhận ba dạng tệp:\n"+
			"  - danh sách chính thức (JSON dvhcvn: tỉnh → huyện → xã), ví dụ dvhcvn-2025-03.json;\n"+
			"  - tệp sáp nhập 2025 (JSON: đơn vị mới và các đơn vị cũ hợp thành, full/partial);\n"+
			"  - CSV với các cột code,name,kind,parent_code[,official_type,synthetic,valid_from,valid_to].\n"+
			"Mã đơn vị chỉ duy nhất trong một khoảng hiệu lực: cùng một mã có thể là hai đơn vị ở hai thời kỳ.\n"+
			"Nhập lại cùng một tệp không thay đổi gì. Tệp có lỗi thì không có gì được ghi.", stdout)
	db := fs.DB()
	date := fs.String("date", "YYYY-MM-DD", "", "ngày mà danh sách mô tả (danh sách) hoặc ngày hiệu lực (tệp sáp nhập, mặc định 2025-07-01)")
	validFrom := fs.String("valid-from", "YYYY-MM-DD", "", "ngày bắt đầu hiệu lực của đơn vị mới trong danh sách (mặc định: từ trước)")
	note := fs.String("note", "CHỮ", "", "ghi chú về danh mục (ví dụ danh mục dùng cho những năm nào), hiện ở chân các trang có cây đơn vị của những ngày nó dùng cho")
	pos, err := fs.parse(args, "TỆP")
	if err != nil {
		return err
	}
	f, err := openInput(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	parsed, err := unit.Parse(f)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	plan, err := s.ImportUnits(ctx, cliActor(), parsed, unit.Options{Date: *date, ValidFrom: *validFrom, Name: filepath.Base(pos[0]), Note: *note})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã nhập %s (%s) trong %s giây: %d đơn vị mới, %d cập nhật, %d kết thúc hiệu lực, %d liên kết kế thừa, %d không đổi.\n",
		pos[0], formatName(parsed.Format), seconds(time.Since(start)), len(plan.Creates), len(plan.Updates), len(plan.Closes), len(plan.Links), plan.Unchanged)
	for _, w := range plan.Warnings {
		fmt.Fprintln(stdout, "Lưu ý: "+w)
	}
	return nil
}

// formatName names a units file's layout as the units import help does.
func formatName(f unit.Format) string {
	switch f {
	case unit.FormatOfficial:
		return "danh sách chính thức"
	case unit.FormatMerges:
		return "tệp sáp nhập 2025"
	case unit.FormatCSV:
		return "CSV"
	}
	return string(f)
}

func cmdUnitsExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("units export", "[--date YYYY-MM-DD | --all] [--unit MÃ] [-o TỆP.csv] [--db …]",
		"Xuất danh mục đơn vị ra CSV (code,name,kind,parent_code,official_type,synthetic,valid_from,valid_to),\n"+
			"đọc lại được bằng units import.", stdout)
	db := fs.DB()
	date := fs.String("date", "YYYY-MM-DD", "", "xuất các đơn vị còn hiệu lực ngày này (mặc định: hôm nay)")
	all := fs.Bool("all", "xuất mọi phiên bản đơn vị, cả đơn vị đã hết hiệu lực")
	root := fs.String("unit", "MÃ", "", "chỉ xuất đơn vị này và cấp dưới")
	out := fs.String("o", "TỆP", "", "tệp kết quả (mặc định: màn hình)")
	if _, err := fs.parse(args, ""); err != nil {
		return err
	}
	if *date == "" {
		*date = clock.Today(time.Now())
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	var units, parents []unit.Unit
	switch {
	case *all:
		units, err = s.AllUnits(ctx)
	case *root != "":
		var u unit.Unit
		if u, err = s.UnitAt(ctx, *root, *date); err == nil {
			units, err = s.Subtree(ctx, u, *date)
		}
		if p, perr := s.UnitByID(ctx, u.ParentID); perr == nil {
			parents = append(parents, p)
		}
	default:
		var r unit.Unit
		if r, err = s.Root(ctx); err == nil {
			units, err = s.Subtree(ctx, r, *date)
		}
	}
	if err != nil {
		return err
	}
	w, closeOut, err := openOutput(*out, stdout)
	if err != nil {
		return err
	}
	if err := unit.WriteCSV(w, units, parents...); err != nil {
		closeOut()
		return err
	}
	return closeOut()
}

func cmdProgramImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("program import", "TỆP.yaml [--db …]",
		"Nhập (hoặc cập nhật) một chương trình hành động từ tệp YAML hoặc JSON: các chương trình con,\n"+
			"mục tiêu, chỉ tiêu, nhiệm vụ trọng tâm, giải pháp và các chỉ số số liệu. Tệp có lỗi bị từ chối,\n"+
			"kèm dòng và trường sai. Nhập lại cùng một chương trình không thay đổi gì.", stdout)
	db := fs.DB()
	pos, err := fs.parse(args, "TỆP")
	if err != nil {
		return err
	}
	data, err := readInput(pos[0])
	if err != nil {
		return err
	}
	p, err := program.Parse(data)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	changed, err := s.SaveProgram(ctx, cliActor(), p)
	if err != nil {
		return err
	}
	if !changed {
		fmt.Fprintf(stdout, "Chương trình %s không thay đổi.\n", p.Code)
		return nil
	}
	fmt.Fprintf(stdout, "Đã nhập chương trình %s: %d chương trình con, %d chỉ tiêu, %d chỉ số.\n", p.Code, len(p.Subprograms), len(p.Targets()), len(p.DataElements))
	return nil
}

func cmdProgramExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("program export", "MÃ [-o TỆP.yaml] [--db …]", "Xuất một chương trình ra YAML, đọc lại được bằng program import.", stdout)
	db := fs.DB()
	out := fs.String("o", "TỆP", "", "tệp kết quả (mặc định: màn hình)")
	pos, err := fs.parse(args, "MÃ")
	if err != nil {
		return err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.Program(ctx, pos[0])
	if err != nil {
		return err
	}
	data, err := program.Marshal(p)
	if err != nil {
		return err
	}
	w, closeOut, err := openOutput(*out, stdout)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		closeOut()
		return err
	}
	return closeOut()
}

func cmdValuesImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("values import", "TỆP [--dry-run] [--db …]",
		"Nhập số liệu dạng dataValueSets của DHIS2 (JSON hoặc CSV với các cột dataelement,period,orgunit,value).\n"+
			"Cả tệp được ghi, hoặc không dòng nào: mọi dòng lỗi được liệt kê với số dòng và lý do.\n"+
			"Nhập lại cùng một tệp không thay đổi gì.", stdout)
	db := fs.DB()
	dry := fs.Bool("dry-run", "chỉ kiểm tra và đếm, không ghi")
	pos, err := fs.parse(args, "TỆP")
	if err != nil {
		return err
	}
	f, err := openInput(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	rows, err := value.Parse(f)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	root, err := s.Root(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	sum, err := s.ImportValues(ctx, rows, store.ImportOptions{Actor: cliActor(), Scope: root, Source: pos[0], DryRun: *dry})
	if err != nil {
		return err
	}
	verb := "Đã nhập"
	if *dry {
		verb = "Kiểm tra xong (chưa ghi)"
	}
	fmt.Fprintf(stdout, "%s %s trong %s giây: %d giá trị mới, %d cập nhật, %d không đổi.\n", verb, pos[0], seconds(time.Since(start)), sum.Imported, sum.Updated, sum.Ignored)
	return nil
}

func cmdValuesExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("values export", "--unit MÃ [--children] [--period KỲ]… [--element MÃ]… [--format json|csv] [-o TỆP] [--db …]",
		"Xuất số liệu dạng dataValueSets của DHIS2.", stdout)
	db := fs.DB()
	code := fs.String("unit", "MÃ", "", "mã đơn vị (bắt buộc)")
	children := fs.Bool("children", "cả các đơn vị cấp dưới")
	var periods, elements multiFlag
	fs.Var(&periods, "period", "KỲ", "kỳ (2024, 2024Q3, 202409…); lặp lại được; một kỳ gồm cả các kỳ ngắn hơn bên trong")
	fs.Var(&elements, "element", "MÃ", "mã chỉ số; lặp lại được")
	format := &choice{value: "csv", allowed: []string{"json", "csv"}}
	fs.Var(format, "format", "DẠNG", "json hoặc csv")
	out := fs.String("o", "TỆP", "", "tệp kết quả (mặc định: màn hình)")
	if _, err := fs.parse(args, ""); err != nil {
		return err
	}
	if *code == "" {
		return fs.usageError("thiếu --unit")
	}
	f := store.ExportFilter{Children: *children, Elements: elements}
	date := clock.Today(time.Now())
	for _, ps := range periods {
		p, err := period.Parse(ps)
		if err != nil {
			return err
		}
		f.Periods = append(f.Periods, p)
		date = p.EndDate()
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if f.Unit, err = s.UnitAt(ctx, *code, date); err != nil {
		return err
	}
	w, closeOut, err := openOutput(*out, stdout)
	if err != nil {
		return err
	}
	// Written as read: a province's 1.5 million values never sit in memory.
	vw := value.NewCSVWriter(w)
	if format.value == "json" {
		vw = value.NewJSONWriter(w)
	}
	if err := s.EachValue(ctx, f, vw.Write); err != nil {
		closeOut()
		return err
	}
	if err := vw.Close(); err != nil {
		closeOut()
		return err
	}
	return closeOut()
}

func cmdValuesLock(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("values lock", "--unit MÃ --period KỲ [--db …]",
		"Khóa số liệu của một đơn vị và mọi đơn vị cấp dưới cho một kỳ (và các kỳ ngắn hơn bên trong),\n"+
			"như khi báo cáo đã được duyệt. Sau đó không nhập hay sửa được giá trị nào của kỳ đó.\n"+
			"Mở lại bằng values unlock.", stdout)
	s, u, p, err := openUnitPeriod(ctx, fs, args)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.LockPeriod(ctx, cliActor(), u, p); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã khóa số liệu %s của %s và các đơn vị cấp dưới.\n", p.Label(), u.Name)
	return nil
}

func cmdValuesUnlock(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("values unlock", "--unit MÃ --period KỲ [--db …]",
		"Mở lại một kỳ đã duyệt: bỏ khóa mà values lock đã đặt cho đúng đơn vị và kỳ đó, để sửa số liệu\n"+
			"(dành cho quản trị viên). Việc mở khóa được ghi vào nhật ký thay đổi, kèm người đã khóa.\n"+
			"Khóa của đơn vị cấp trên hay của kỳ dài hơn vẫn giữ nguyên. Sửa xong, khóa lại bằng values lock.", stdout)
	s, u, p, err := openUnitPeriod(ctx, fs, args)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.UnlockPeriod(ctx, cliActor(), u, p); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã mở khóa số liệu %s của %s; việc này đã được ghi vào nhật ký.\n", p.Label(), u.Name)
	return nil
}

// openUnitPeriod parses --unit and --period for values lock and unlock and
// finds the unit as it was during the period.
func openUnitPeriod(ctx context.Context, fs *flags, args []string) (*store.Store, unit.Unit, period.Period, error) {
	db := fs.DB()
	code := fs.String("unit", "MÃ", "", "mã đơn vị (bắt buộc)")
	ps := fs.String("period", "KỲ", "", "kỳ: 2024, 2024S1, 2024Q3 hoặc 202409 (bắt buộc)")
	if _, err := fs.parse(args, ""); err != nil {
		return nil, unit.Unit{}, period.Period{}, err
	}
	if *code == "" || *ps == "" {
		return nil, unit.Unit{}, period.Period{}, fs.usageError("cần cả --unit và --period")
	}
	p, err := period.Parse(*ps)
	if err != nil {
		return nil, unit.Unit{}, period.Period{}, err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return nil, unit.Unit{}, period.Period{}, err
	}
	u, err := s.UnitDuring(ctx, *code, p.StartDate(), p.EndDate())
	if err != nil {
		s.Close()
		return nil, unit.Unit{}, period.Period{}, err
	}
	return s, u, p, nil
}
