package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"mattran/internal/clock"
	"mattran/internal/errs"
	"mattran/internal/store"
	"mattran/internal/user"
)

// tokenUser opens the store and finds --user.
func tokenUser(ctx context.Context, fs *flags, db, name *string, args []string) (*store.Store, user.User, error) {
	if _, err := fs.parse(args, ""); err != nil {
		return nil, user.User{}, err
	}
	if *name == "" {
		return nil, user.User{}, fs.usageError("thiếu --user")
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return nil, user.User{}, err
	}
	u, err := s.UserByUsername(ctx, *name)
	if err != nil {
		s.Close()
		return nil, user.User{}, err
	}
	return s, u, nil
}

func cmdTokenList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("token list", "--user TÊN [--db …]",
		"Liệt kê các mã truy cập API của một người dùng: số, tên, bốn ký tự cuối, ngày cấp, hạn, lần dùng cuối, trạng thái.\n"+
			"Mã đã thu hồi hoặc hết hạn được giữ trong danh sách 90 ngày.", stdout)
	db := fs.DB()
	name := fs.String("user", "TÊN", "", "tên đăng nhập")
	s, u, err := tokenUser(ctx, fs, db, name, args)
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := s.Tokens(ctx, u.ID)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintf(stdout, "%s chưa có mã truy cập nào.\n", u.Username)
		return nil
	}
	now := time.Now()
	when := func(t time.Time, none string) string {
		if t.IsZero() {
			return none
		}
		return t.In(clock.Zone).Format("02/01/2006 15:04")
	}
	lines := [][2]string{}
	for _, t := range list {
		state := t.State(now)
		if !t.Revoked.IsZero() {
			state += " " + when(t.Revoked, "") + " bởi " + t.RevokedBy
		}
		lines = append(lines, [2]string{strconv.FormatInt(t.ID, 10), fmt.Sprintf("%s (%s) · cấp %s · hạn %s · dùng %s · %s",
			t.Name, t.Hint, when(t.Created, ""), when(t.Expires, "không hết hạn"), when(t.LastUsed, "chưa dùng"), state)})
	}
	fmt.Fprint(stdout, columns(lines))
	return nil
}

func cmdTokenAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("token add", "--user TÊN --name \"Dùng cho việc gì\" [--days N] [--db …]",
		"Cấp một mã truy cập API cho người dùng và in ra (chỉ một lần: hệ thống chỉ giữ dấu vết của mã).\n"+
			"Mã có đúng quyền của người dùng. --days 0: không hết hạn.", stdout)
	db := fs.DB()
	name := fs.String("user", "TÊN", "", "tên đăng nhập")
	label := fs.String("name", "TÊN_MÃ", "", "tên của mã: nó dùng cho việc gì (bắt buộc)")
	days := fs.String("days", "N", "90", "số ngày mã còn hiệu lực; 0: không hết hạn")
	s, u, err := tokenUser(ctx, fs, db, name, args)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := strconv.Atoi(*days)
	if err != nil || n < 0 {
		return fs.usageError(fmt.Sprintf("--days %q không phải số ngày", *days))
	}
	var expires time.Time
	if n > 0 {
		y, m, d := time.Now().In(clock.Zone).Date()
		expires = time.Date(y, m, d+n, 23, 59, 59, 0, clock.Zone)
	}
	token, t, err := s.IssueToken(ctx, cliActor(), u, *label, expires)
	if err != nil {
		return err
	}
	until := "không hết hạn"
	if !expires.IsZero() {
		until = "hết hạn " + expires.Format("02/01/2006 15:04")
	}
	fmt.Fprintf(stdout, "Đã cấp mã truy cập số %d «%s» cho %s (%s):\n%s\n", t.ID, t.Name, u.Username, until, token)
	return nil
}

func cmdTokenRevoke(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("token revoke", "--user TÊN (--id SỐ | --all) [--db …]",
		"Thu hồi một mã truy cập API của người dùng (số lấy từ token list), hoặc mọi mã của họ. Mã đã thu hồi\n"+
			"không dùng được nữa và không khôi phục được; việc thu hồi được ghi vào nhật ký.", stdout)
	db := fs.DB()
	name := fs.String("user", "TÊN", "", "tên đăng nhập")
	id := fs.String("id", "SỐ", "", "số của mã (xem mattran token list)")
	all := fs.Bool("all", "thu hồi mọi mã của người dùng")
	s, u, err := tokenUser(ctx, fs, db, name, args)
	if err != nil {
		return err
	}
	defer s.Close()
	switch {
	case *all && *id == "", !*all && *id != "":
	default:
		return fs.usageError("cần --id SỐ hoặc --all (một trong hai)")
	}
	if *all {
		n, err := s.RevokeTokens(ctx, cliActor(), u)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Đã thu hồi %d mã truy cập của %s.\n", n, u.Username)
		return nil
	}
	n, err := strconv.ParseInt(*id, 10, 64)
	if err != nil {
		return errs.New(errs.Invalid, "--id %q không phải số", *id)
	}
	if err := s.RevokeToken(ctx, cliActor(), u, n); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã thu hồi mã truy cập số %d của %s.\n", n, u.Username)
	return nil
}
