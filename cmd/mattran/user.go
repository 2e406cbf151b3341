package main

import (
	"context"
	"fmt"
	"io"
	"mattran/internal/clock"
	"os"
	"time"

	"mattran/internal/store"
	"mattran/internal/user"
)

func cmdUserAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("user add", "--username TÊN --role VAI_TRÒ --unit MÃ [--full-name \"Họ tên\"] [--token] [--db …]",
		"Tạo người dùng. Vai trò: admin (quản trị), leader (lãnh đạo), officer (cán bộ nghiệp vụ), viewer (chỉ xem).\n"+
			"Người dùng chỉ thấy và sửa được đơn vị của mình và cấp dưới. Mật khẩu lấy từ biến MATTRAN_PASSWORD,\n"+
			"hoặc được sinh ngẫu nhiên và in ra. --token in thêm một mã truy cập API (chỉ hiện một lần).", stdout)
	db := fs.DB()
	name := fs.String("username", "TÊN", "", "tên đăng nhập (chữ thường không dấu, số, . _ -)")
	fullName := fs.String("full-name", "HỌ_TÊN", "", "họ tên")
	roleName := fs.String("role", "VAI_TRÒ", "", "admin, leader, officer hoặc viewer")
	code := fs.String("unit", "MÃ", "", "mã đơn vị của người dùng")
	date := fs.String("date", "YYYY-MM-DD", "", "ngày dùng để xác định đơn vị theo mã (mặc định: hôm nay)")
	withToken := fs.Bool("token", "tạo thêm mã truy cập API")
	if _, err := fs.parse(args, ""); err != nil {
		return err
	}
	if *name == "" || *roleName == "" || *code == "" {
		return fs.usageError("cần --username, --role và --unit")
	}
	if *date == "" {
		*date = clock.Today(time.Now())
	}
	role, err := user.ParseRole(*roleName)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.UnitAt(ctx, *code, *date)
	if err != nil {
		return err
	}
	password, generated := os.Getenv("MATTRAN_PASSWORD"), false
	if password == "" {
		password, generated = user.NewPassword(), true
	}
	created, err := s.CreateUser(ctx, cliActor(), store.NewUser{Username: *name, FullName: *fullName, Role: role, Unit: u, Password: password})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã tạo người dùng %s (%s, %s).\n", created.Username, role.Label(), u.Name)
	if generated {
		fmt.Fprintf(stdout, "Mật khẩu: %s\n", password)
	}
	if *withToken {
		token, err := s.CreateToken(ctx, cliActor(), created, "cli")
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Mã truy cập API: %s\n", token)
	}
	return nil
}
