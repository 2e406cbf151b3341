package demo

import (
	"context"

	"mattran/internal/period"
	"mattran/internal/report"
	"mattran/internal/store"
)

// reportTexts writes the demo ward's 2024 report as its office would
// before the leader signs: number, date, signer and the written sections,
// so /report shows a finished report (and its Word file) rather than
// "Số: …/BC" and a dotted signature line.
func (l *loader) reportTexts(ctx context.Context, old *World) error {
	u, err := l.s.UnitAt(ctx, "07201", "2024-12-31")
	if err != nil {
		return err
	}
	t := report.Texts{
		Number: "42", SignedOn: "2024-12-20", Signer: "Nguyễn Thị Hoa", SignerTitle: "Chủ tịch",
		Highlights: "Các khu dân cư tổ chức Ngày hội Đại đoàn kết toàn dân tộc đúng hướng dẫn, đông đảo nhân dân tham gia.\n" +
			"Cuộc vận động Quỹ Vì người nghèo vượt kế hoạch; 100% hộ nghèo được tặng quà Tết.",
		Shortcomings: "Một số khu dân cư nộp báo cáo chậm; việc theo dõi trả lời đơn thư của cơ quan chức năng còn chưa kịp thời.",
		Causes:       "Cán bộ khu dân cư kiêm nhiệm nhiều việc, thay đổi trong năm.",
		NextTasks: "Hoàn thành nhập số liệu quý I trước ngày 10/4/2025.\n" +
			"Đôn đốc cơ quan chức năng trả lời bằng văn bản các đơn thư đã chuyển.",
	}.Normalize()
	return l.s.WithTx(ctx, func(tx *store.Tx) error {
		return tx.PutReportTexts(ctx, l.actor, old.Program.Code, u, period.MustParse("2024"), t)
	})
}
