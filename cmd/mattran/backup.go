package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"mattran/internal/store"
	"mattran/internal/vn"
)

func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", "TỆP [--db …]",
		"Sao lưu toàn bộ CSDL vào TỆP, trong khi máy chủ vẫn chạy: bản sao là một ảnh chụp nhất quán.\n"+
			"  - SQLite: VACUUM INTO (một tệp CSDL gọn);\n"+
			"  - PostgreSQL: pg_dump dạng custom (cần gói postgresql-client cùng phiên bản với máy chủ).\n"+
			"Tệp chỉ chủ sở hữu đọc được (có dữ liệu cá nhân và mã băm mật khẩu); không ghi đè tệp đã có.\n"+
			"Phục hồi bằng mattran restore. Lịch sao lưu nên chạy: xem README, mục Sao lưu.", stdout)
	db := fs.DB()
	pos, err := fs.parse(args, "TỆP")
	if err != nil {
		return err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	info, err := s.Backup(ctx, pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã sao lưu %s vào %s (%s MB) trong %s giây.\n", redactDSN(*db), info.Path, vn.FormatNumber(float64(info.Bytes)/(1<<20), 1), seconds(info.Took))
	return nil
}

func cmdRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("restore", "TỆP [--db …] [--force]",
		"Phục hồi CSDL từ bản sao lưu TỆP (của mattran backup), rồi kiểm tra như mattran check.\n"+
			"CSDL đích phải mới hoặc trống (một tệp SQLite chưa có; một CSDL PostgreSQL chưa có bảng nào).\n"+
			"--force thay dữ liệu của một CSDL đang có bằng bản sao lưu, kể cả khi máy chủ đang chạy trên nó:\n"+
			"SQLite qua API sao lưu trực tuyến, PostgreSQL bằng pg_restore trong một giao dịch; máy chủ thấy ngay\n"+
			"dữ liệu phục hồi. Bản sao lưu cũ hơn phiên bản này được nâng cấp cấu trúc sau khi phục hồi.", stdout)
	db := fs.DB()
	force := fs.Bool("force", "thay dữ liệu của CSDL đích đang có")
	pos, err := fs.parse(args, "TỆP")
	if err != nil {
		return err
	}
	start := time.Now()
	if err := store.Restore(ctx, *db, pos[0], *force); err != nil {
		return err
	}
	s, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.IntegrityCheck(ctx); err != nil {
		return fmt.Errorf("đã phục hồi nhưng CSDL không qua kiểm tra toàn vẹn: %w", err)
	}
	if err := s.VerifyRollups(ctx); err != nil {
		return fmt.Errorf("đã phục hồi nhưng số tổng hợp không khớp: %w", err)
	}
	fmt.Fprintf(stdout, "Đã phục hồi %s từ %s trong %s giây. CSDL toàn vẹn; số tổng hợp khớp với số liệu.\n", redactDSN(*db), pos[0], seconds(time.Since(start)))
	return nil
}
