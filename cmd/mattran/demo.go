package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"mattran/internal/casework"
	"mattran/internal/demo"
	"mattran/internal/store"
	"mattran/internal/user"
)

func cmdDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", "[--data THƯ_MỤC] [--addr 127.0.0.1:8080] [--demo-password MẬT_KHẨU]",
		"Tạo mới một CSDL SQLite mẫu rồi chạy máy chủ, với cả hai phía của đợt sắp xếp 1/7/2025:\n"+
			"  - trước: tỉnh Bắc Giang và tỉnh Bắc Ninh cũ (huyện, xã thật), chương trình hành động 2019–2024,\n"+
			"    số liệu 2020 – 6 tháng đầu 2025, đã duyệt;\n"+
			"  - từ 1/7/2025: tỉnh Bắc Ninh mới (99 xã, không còn huyện), các tổ chức chính trị - xã hội,\n"+
			"    chương trình ví dụ nhiệm kỳ 2025–2030 và số liệu đến tháng hiện tại, kỳ hiện tại đang nhập.\n"+
			"Khu dân cư là dữ liệu giả. Một người dùng cho mỗi vai trò. Mỗi lần chạy, CSDL mẫu được tạo lại.", stdout)
	data := fs.String("data", "THƯ_MỤC", "mattran-demo", "thư mục chứa CSDL mẫu (demo.db)")
	addr := fs.String("addr", "MÁY:CỔNG", "127.0.0.1:8080", "địa chỉ lắng nghe")
	password := fs.String("demo-password", "MẬT_KHẨU", "", "mật khẩu cho mọi người dùng mẫu (ít nhất 10 ký tự); bỏ trống thì sinh ngẫu nhiên")
	if _, err := fs.parse(args, ""); err != nil {
		return err
	}
	// Check the password before anything is removed or created: a refused
	// password must leave the old demo as it was.
	if *password != "" {
		if err := user.ValidatePassword(*password); err != nil {
			return fs.usageError("--demo-password: " + err.Error())
		}
	}
	memMB, err := envInt("MATTRAN_MEMORY_LIMIT_MB", store.DefaultMemoryLimitMB)
	if err != nil {
		return err
	}
	path := filepath.Join(*data, "demo.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("không xóa được CSDL mẫu cũ: %w", err)
		}
	}
	s, err := createStore(ctx, "sqlite:"+path)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := demoCaseKey(*data, stdout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đang tạo dữ liệu mẫu trong %s …\n", path)
	start := time.Now()
	accounts, err := demo.Load(ctx, s, *password)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Xong sau %s giây.\n\nTài khoản mẫu:\n", seconds(time.Since(start)))
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  Tên đăng nhập\tVai trò\tĐơn vị\tMật khẩu\tMã truy cập API")
	for _, a := range accounts {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", a.Username, a.Role.Label(), a.Unit.Name, a.Password, a.Token)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\nĐăng nhập tại http://%s/login (trang công khai: http://%s/).\n", *addr, *addr)
	fmt.Fprintf(stdout, "Thử API: curl -H 'Authorization: Bearer %s' 'http://%s/api/v1/scorecard?program=BG-CTHD-2019-2024&unit=24&period=2024'\n", accounts[0].Token, *addr)
	fmt.Fprintf(stdout, "Số liệu 2024 trên cây đơn vị mới: curl -H 'Authorization: Bearer %s' 'http://%s/api/v1/analytics?dataElement=CT2_QUY_VNN&unit=24&period=2024&tree=2025-07-01&by=children'\n\n", accounts[0].Token, *addr)
	go limitMemory(ctx, s, memMB)
	return serve(ctx, s, *addr, stdout, stderr, nil)
}

// demoCaseKey gives the demo a key for denouncers' identities when none is
// set: a file beside the demo database (never inside it), kept across
// runs, named by MATTRAN_CASE_KEY_FILE for the server this process runs.
func demoCaseKey(dir string, stdout io.Writer) error {
	if os.Getenv(casework.KeyEnv) != "" || os.Getenv(casework.KeyFileEnv) != "" {
		return nil
	}
	path := filepath.Join(dir, "case.key")
	if _, err := os.Stat(path); os.IsNotExist(err) {
		if err := os.WriteFile(path, []byte(casework.NewKeyText()+"\n"), 0o600); err != nil {
			return fmt.Errorf("không ghi được khóa bảo vệ danh tính: %w", err)
		}
	}
	fmt.Fprintf(stdout, "Khóa bảo vệ danh tính người tố cáo: %s (%s)\n", path, casework.KeyFileEnv)
	return os.Setenv(casework.KeyFileEnv, path)
}
