package main

import (
	"context"
	"fmt"
	"io"

	"mattran/internal/errs"
)

func cmdLedgerVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("ledger verify", "[--db …]",
		"Kiểm tra sổ quỹ (Quỹ Vì người nghèo, cứu trợ): tính lại chuỗi mã băm từ bút toán đầu tiên,\n"+
			"so với bản tóm tắt đã công khai mỗi ngày, và tính lại số dư từng đơn vị, từng chiến dịch.\n"+
			"Nêu bút toán đầu tiên không khớp (bị sửa, bị xóa, hoặc chuỗi bị viết lại) và thoát với mã 1.", stdout)
	db := fs.DB()
	if _, err := fs.parse(args, ""); err != nil {
		return err
	}
	s, err := openStore(ctx, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	c, err := s.VerifyLedger(ctx)
	if err != nil {
		return err
	}
	if c.Break != nil {
		return errs.New(errs.Conflict, "sổ quỹ không khớp tại bút toán số %d: %s (đã kiểm %d bút toán)", c.Break.ID, c.Break.Reason, c.Entries)
	}
	if len(c.Balances) > 0 {
		for _, b := range c.Balances {
			fmt.Fprintln(stderr, "  "+b)
		}
		return errs.New(errs.Conflict, "chuỗi mã băm khớp nhưng %d số dư không khớp với bút toán", len(c.Balances))
	}
	fmt.Fprintf(stdout, "Sổ quỹ khớp: %d bút toán, %d bản tóm tắt ngày, mọi số dư khớp với bút toán.\n", c.Entries, c.Digests)
	return nil
}
