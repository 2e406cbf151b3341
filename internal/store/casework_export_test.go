package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"

	"mattran/internal/calendar"
	"mattran/internal/unit"
)

// BulkCasesForTest stores n plain cases spread over units and the days
// from first on (a benchmark's data set), in one transaction: a tenth
// still open, of which most are past their due date by the last day.
func (s *Store) BulkCasesForTest(ctx context.Context, units []unit.Unit, first calendar.Date, days, n int) error {
	kinds := []string{"khieu_nai", "kien_nghi", "phan_anh", "kien_nghi"}
	fields := []string{"dat_dai", "chinh_sach", "moi_truong", "xay_dung", "an_sinh", "hanh_chinh"}
	cols := []string{"code", "kind", "unit_id", "unit_path", "received_on", "channel", "field", "title", "content", "content_folded",
		"status", "due_on", "agency", "sent_on", "answered_on", "in_writing", "handler", "created_by", "created_at", "updated_at"}
	now := s.now().UTC()
	return s.inWriteConn(ctx, func(c *sql.Conn) error {
		if err := s.insertRowsFunc(ctx, c, "cases", cols, n, func(i int, dst []any) []any {
			r := rand.New(rand.NewPCG(uint64(i), 7))
			u := units[r.IntN(len(units))]
			received := first.AddDays(r.IntN(days))
			sent := received.AddDays(2)
			due := sent.AddDays(30 + r.IntN(30))
			status, answered, writing := "answered", sent.AddDays(5+r.IntN(50)).String(), r.IntN(10) < 8
			if r.IntN(10) == 0 {
				status, answered, writing = "forwarded", "", false
			}
			content := fmt.Sprintf("Đơn số %d về %s", i, fields[i%len(fields)])
			agency := fmt.Sprintf("Cơ quan %d", r.IntN(40))
			return append(dst, fmt.Sprintf("BN-%08d", i), kinds[i%len(kinds)], u.ID, u.Path, received.String(), "truc_tiep",
				fields[i%len(fields)], content, content, content, status, due.String(), agency, sent.String(), answered, writing,
				"bench", "bench", now, now)
		}, ""); err != nil {
			return err
		}
		// The statistics' counts, as the writes keep them.
		for _, dim := range statDims {
			if _, err := c.ExecContext(ctx, `INSERT INTO case_counts (month, unit_path, dim, value, n)
				SELECT SUBSTR(received_on, 1, 7), unit_path, '`+dim+`', `+dim+`, COUNT(*) FROM cases WHERE true
				GROUP BY SUBSTR(received_on, 1, 7), unit_path, `+dim+`
				ON CONFLICT (month, unit_path, dim, value) DO UPDATE SET n = case_counts.n + excluded.n`); err != nil {
				return err
			}
		}
		return nil
	})
}
