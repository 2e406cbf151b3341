package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"mattran/internal/period"
)

// cmdEvalsBuild evaluates a program's targets at every unit for periods
// and keeps the evaluations (store.BuildEvals): from then on every write
// keeps them, and scorecards read them instead of the values.
func cmdEvalsBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("evals build", "--program MÃ --period KỲ[,KỲ…] [--db …]",
		"Đánh giá mọi chỉ tiêu của một chương trình tại mọi đơn vị cho các kỳ đã nêu và giữ sẵn kết quả:\n"+
			"từ đó mỗi lần ghi số liệu cập nhật luôn kết quả trong cùng giao dịch, và bảng đánh giá đọc kết quả\n"+
			"giữ sẵn thay vì tính lại từ số liệu. Sửa chương trình, đơn vị hay ngưỡng riêng, hoặc nhập một lượt\n"+
			"rất lớn, thì bỏ kết quả giữ sẵn liên quan; máy chủ (mattran serve) tự đánh giá lại các kỳ đó.\n"+
			"mattran check so kết quả giữ sẵn với kết quả tính lại.", stdout)
	db := fs.DB()
	code := fs.String("program", "MÃ", "", "mã chương trình")
	periods := fs.String("period", "KỲ", "", "các kỳ, cách nhau bằng dấu phẩy (2024,2024Q1,…)")
	if _, err := fs.parse(args, ""); err != nil {
		return err
	}
	if *code == "" || *periods == "" {
		return fs.usageError("cần cả --program và --period")
	}
	var ps []period.Period
	for _, s := range strings.Split(*periods, ",") {
		p, err := period.Parse(strings.TrimSpace(s))
		if err != nil {
			return err
		}
		ps = append(ps, p)
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	for _, p := range ps {
		if err := s.BuildEvals(ctx, *code, p); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Đã đánh giá và giữ sẵn chương trình %s, %s.\n", *code, p.Label())
	}
	return nil
}
