package demo

import (
	"context"
	"fmt"
	"strconv"

	"mattran/internal/audit"
	"mattran/internal/calendar"
	"mattran/internal/casework"
	"mattran/internal/clock"
	"mattran/internal/evaluation"
	"mattran/internal/store"
	"mattran/internal/unit"
)

// The demo's annual evaluation. Bắc Giang scored its ten districts in
// 2023 and 2024 on a small example guide (three targets, the yearly
// report, three criteria entered by hand, bonus and deductions), in two
// clusters; every district scored itself, the province adjusted some,
// decided all and froze the year. The new Bắc Ninh scores its communes
// this year on the example guide built from its program, in six
// clusters: most have sent their self-score, a few are decided, nothing
// is frozen. One ward has an inspection whose recommendation is overdue.
// Every guide is marked as an example, and the pages say so.

// OldGuide is the example guide of the old years: the demo's test
// computes its ranking by hand from the stored figures.
func OldGuide(year int, prog string) *evaluation.Guide {
	return &evaluation.Guide{
		Year: year, Level: unit.District, Program: prog, Form: "NAM", Example: true,
		Name: fmt.Sprintf("Hướng dẫn chấm điểm thi đua khối huyện, thành phố năm %d (bản ví dụ)", year),
		Groups: []evaluation.Group{
			{Code: "CT2", Name: "Công tác vận động, an sinh xã hội", Max: 30, Criteria: []evaluation.Criterion{
				{Code: "QT", Name: "Hộ nghèo được nhận quà Tết (T2.2)", Max: 10, Kind: evaluation.Derived, Target: "T2.2", Reading: evaluation.Own, Rule: evaluation.Proportional},
				{Code: "GD", Name: "Hộ gia đình văn hóa (T2.5)", Max: 10, Kind: evaluation.Derived, Target: "T2.5", Reading: evaluation.Own, Rule: evaluation.Steps,
					Steps: []evaluation.Step{{Min: 100, Points: 10}, {Min: 97, Points: 7}, {Min: 94, Points: 4}}},
				{Code: "YT", Name: "Người dân tham gia bảo hiểm y tế (T2.7)", Max: 10, Kind: evaluation.Derived, Target: "T2.7", Reading: evaluation.Own, Rule: evaluation.Proportional},
			}},
			{Code: "BC", Name: "Công tác báo cáo", Max: 5, Criteria: []evaluation.Criterion{
				{Code: "BC1", Name: "Báo cáo năm gửi đúng hạn", Max: 5, Kind: evaluation.Workflow, Measure: evaluation.OnTime},
			}},
			{Code: "DG", Name: "Đánh giá chung", Max: 15, Criteria: []evaluation.Criterion{
				{Code: "DG1", Name: "Đổi mới nội dung, phương thức hoạt động", Max: 6, Kind: evaluation.Manual},
				{Code: "DG2", Name: "Khen thưởng nhận được trong năm", Max: 4, Kind: evaluation.Manual},
				{Code: "DG3", Name: "Đánh giá của lãnh đạo, kết quả kiểm tra", Max: 5, Kind: evaluation.Manual},
			}},
		},
		Bonus:        []evaluation.Item{{Code: "TH1", Name: "Mô hình mới được tỉnh công nhận", Max: 2}, {Code: "TH2", Name: "Khen thưởng chuyên đề của Trung ương", Max: 2}},
		Deductions:   []evaluation.Item{{Code: "TR1", Name: "Chậm khắc phục kiến nghị sau kiểm tra", Max: 3}},
		BonusCap:     3,
		DeductionCap: 3,
		Cap:          &evaluation.Cap{Class: evaluation.Excellent, Percent: 20, Of: evaluation.Good},
		TieBreak:     []string{evaluation.ByTotal, evaluation.ByDerived, evaluation.ByDeductions},
		Titles: []evaluation.Title{{Code: "co_thi_dua", Name: "Cờ thi đua", PerCluster: 1, MinClass: evaluation.Excellent},
			{Code: "bang_khen", Name: "Bằng khen", PerCluster: 1, MinClass: evaluation.Good}},
	}
}

// evaluations loads the old years' and this year's evaluations.
func (l *loader) evaluations(ctx context.Context, old, cur *World) error {
	for _, year := range []int{2023, 2024} {
		if err := l.oldYear(ctx, old, year); err != nil {
			return fmt.Errorf("đánh giá năm %d: %w", year, err)
		}
	}
	if err := l.currentYear(ctx, cur); err != nil {
		return fmt.Errorf("đánh giá năm nay: %w", err)
	}
	return nil
}

// pick3 is a deterministic number in [lo, hi] from a key.
func pick3(key string, lo, hi int) int { return lo + int(hash(key)%uint32(hi-lo+1)) }

func (l *loader) oldYear(ctx context.Context, w *World, year int) error {
	end := strconv.Itoa(year) + "-12-31"
	owner, err := l.s.UnitAt(ctx, Province, end)
	if err != nil {
		return err
	}
	leader := audit.Actor{Name: "lanhdao.tinh.bg"}
	var rec evaluation.Record
	var districts []unit.Unit
	if err := l.s.WithTx(ctx, func(tx *store.Tx) error {
		if rec, err = evaluation.SaveGuide(ctx, tx, leader, owner, OldGuide(year, w.Program.Code), w.Program); err != nil {
			return err
		}
		if districts, err = tx.EvalScored(ctx, rec); err != nil {
			return err
		}
		return evaluation.SetClusters(ctx, tx, leader, rec, halves(districts, "Cụm thi đua số %d"))
	}); err != nil {
		return err
	}
	// The inspection of the first district, concluded in October, its
	// recommendation reported done in November.
	if err := l.s.WithTx(ctx, func(tx *store.Tx) error {
		d := districts[year%len(districts)]
		in, err := evaluation.PlanInspection(ctx, tx, leader, owner, evaluation.Inspection{Year: year, Unit: d,
			Subjects: "Việc thực hiện Chương trình hành động năm " + strconv.Itoa(year) + "; công tác vận động Quỹ Vì người nghèo",
			From:     calendar.MustParseDate(strconv.Itoa(year) + "-10-07"), To: calendar.MustParseDate(strconv.Itoa(year) + "-10-09"),
			Leader: "Nguyễn Văn Hòa, Phó Chủ tịch", Members: "Trần Thị Lan, Trưởng ban Dân chủ - Pháp luật\nLê Văn Dũng, chuyên viên"})
		if err != nil {
			return err
		}
		in, err = evaluation.Conclude(ctx, tx, leader, in.ID, "Đơn vị triển khai đầy đủ các chỉ tiêu; hồ sơ Quỹ Vì người nghèo lưu chưa đủ chứng từ.",
			"Cơ bản hoàn thành các chỉ tiêu của năm; cần hoàn thiện hồ sơ quỹ.", strconv.Itoa(40+year%10)+"/KL-MTTQ", calendar.MustParseDate(strconv.Itoa(year)+"-10-20"))
		if err != nil {
			return err
		}
		c, err := evaluation.Recommend(ctx, tx, leader, in.ID, "Bổ sung chứng từ thu, chi Quỹ Vì người nghèo năm "+strconv.Itoa(year), calendar.MustParseDate(strconv.Itoa(year)+"-11-30"))
		if err != nil {
			return err
		}
		_, err = casework.Act(ctx, tx, audit.Actor{Name: "canbo." + d.Code}, c.ID, casework.Action{Name: casework.Answer,
			On: calendar.MustParseDate(strconv.Itoa(year) + "-11-25"), InWriting: true, Summary: "Đã bổ sung đủ chứng từ, báo cáo bằng văn bản."})
		return err
	}); err != nil {
		return err
	}
	for i, d := range districts {
		key := d.Code + strconv.Itoa(year)
		self := []evaluation.Entry{
			{Criterion: "DG1", Points: evaluation.Points(pick3(key+"DG1", 3, 6) * 100), Evidence: "Mô hình “Dân vận khéo” ở khu dân cư"},
			{Criterion: "DG2", Points: evaluation.Points(pick3(key+"DG2", 1, 4) * 100), Evidence: "Bằng khen của UBND tỉnh"},
			{Criterion: "DG3", Points: 500},
			{Criterion: "TH1", Points: evaluation.Points(pick3(key+"TH1", 0, 2) * 100)},
		}
		me := audit.Actor{Name: "lanhdao." + d.Code}
		if err := l.s.WithTx(ctx, func(tx *store.Tx) error {
			if err := evaluation.SelfScore(ctx, tx, me, rec, d, self, true); err != nil {
				return err
			}
			// The province's own judgement of the leadership criterion,
			// lower for every third district, with the reason.
			dg3 := evaluation.Points(pick3(key+"DG3", 3, 5) * 100)
			if i%3 == 0 {
				if err := evaluation.Adjust(ctx, tx, leader, rec, d, evaluation.Entry{Criterion: "DG3", Points: dg3,
					Reason: "Đánh giá của Ban Thường trực theo kết quả kiểm tra và theo dõi trong năm"}); err != nil {
					return err
				}
			}
			return evaluation.Decide(ctx, tx, leader, rec, d)
		}); err != nil {
			return err
		}
	}
	b, err := evaluation.Results(ctx, l.s, rec, calendar.DateOf(clock.InVietnam(l.now)))
	if err != nil {
		return err
	}
	return l.s.WithTx(ctx, func(tx *store.Tx) error {
		if err := evaluation.Freeze(ctx, tx, leader, rec, b.Sheets); err != nil {
			return err
		}
		frozen, err := tx.EvalGuide(ctx, owner.ID, year, unit.District)
		if err != nil {
			return err
		}
		return evaluation.ConfirmTitles(ctx, tx, leader, frozen)
	})
}

// halves splits units into two clusters, the first unit of each leading it.
func halves(us []unit.Unit, name string) []evaluation.Cluster {
	return chunks(us, 2, name)
}

// chunks splits units, in code order, into n clusters of about equal size.
func chunks(us []unit.Unit, n int, name string) []evaluation.Cluster {
	var out []evaluation.Cluster
	size := (len(us) + n - 1) / n
	for i := 0; i < len(us); i += size {
		part := us[i:min(i+size, len(us))]
		c := evaluation.Cluster{Code: "C" + strconv.Itoa(len(out)+1), Name: fmt.Sprintf(name, len(out)+1), Lead: part[0].ID}
		for _, u := range part {
			c.Members = append(c.Members, u.ID)
		}
		out = append(out, c)
	}
	return out
}

// currentYear: the new Bắc Ninh's communes, scored this year, in progress.
func (l *loader) currentYear(ctx context.Context, w *World) error {
	today := calendar.DateOf(clock.InVietnam(l.now))
	year := today.Year()
	owner := w.Provinces[0]
	leader := audit.Actor{Name: "lanhdao.tinh"}
	var rec evaluation.Record
	var communes []unit.Unit
	err := l.s.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		if rec, err = evaluation.SaveGuide(ctx, tx, leader, owner, evaluation.Example(year, unit.Commune, w.Program), w.Program); err != nil {
			return err
		}
		if communes, err = tx.EvalScored(ctx, rec); err != nil {
			return err
		}
		return evaluation.SetClusters(ctx, tx, leader, rec, chunks(communes, 6, "Cụm thi đua xã, phường số %d"))
	})
	if err != nil {
		return err
	}
	// An inspection of the demo's ward two months ago: its recommendation
	// is past its deadline and not reported done, so it shows on the
	// ward's home page and the province's. Another is planned.
	ward, err := l.s.UnitAt(ctx, DenunciationUnit, today.String())
	if err != nil {
		return err
	}
	from := today.AddDays(-70)
	if from.Year() == year {
		if err := l.s.WithTx(ctx, func(tx *store.Tx) error {
			in, err := evaluation.PlanInspection(ctx, tx, leader, owner, evaluation.Inspection{Year: year, Unit: ward,
				Subjects: "Việc thực hiện Chương trình hành động; công tác tiếp nhận, xử lý đơn thư", From: from, To: from.AddDays(1),
				Leader: "Nguyễn Thị Hằng, Phó Chủ tịch", Members: "Đỗ Văn Minh, Trưởng ban Tổ chức - Kiểm tra\nHoàng Thu Trang, chuyên viên"})
			if err != nil {
				return err
			}
			in, err = evaluation.Conclude(ctx, tx, leader, in.ID, "Ủy ban MTTQ phường đã triển khai chương trình; sổ tiếp công dân ghi chưa đủ thông tin; hai đơn quá hạn chưa đôn đốc.",
				"Cơ bản hoàn thành; cần chấn chỉnh công tác theo dõi, đôn đốc giải quyết đơn thư.", "15/KL-MTTQ", from.AddDays(7))
			if err != nil {
				return err
			}
			_, err = evaluation.Recommend(ctx, tx, leader, in.ID, "Rà soát, đôn đốc các đơn thư quá hạn và báo cáo kết quả bằng văn bản", from.AddDays(37))
			return err
		}); err != nil {
			return err
		}
	}
	if next := today.AddDays(10); next.Year() == year && len(communes) > 1 {
		if err := l.s.WithTx(ctx, func(tx *store.Tx) error {
			_, err := evaluation.PlanInspection(ctx, tx, leader, owner, evaluation.Inspection{Year: year, Unit: communes[1],
				Subjects: "Công tác vận động Quỹ Vì người nghèo", From: next, To: next.AddDays(1), Leader: "Nguyễn Thị Hằng, Phó Chủ tịch"})
			return err
		}); err != nil {
			return err
		}
	}
	// Self-scores: seven communes in ten have sent, one in ten is still
	// scoring; every fifth that sent is decided. The demo ward has not
	// started, for lanhdao.phuong to try.
	for i, c := range communes {
		if c.Code == DenunciationUnit {
			continue
		}
		k := hash(c.Code+strconv.Itoa(year)) % 10
		if k >= 8 {
			continue
		}
		send := k < 7
		key := c.Code + strconv.Itoa(year)
		self := []evaluation.Entry{
			{Criterion: "DG1", Points: evaluation.Points(pick3(key+"DG1", 2, 4) * 100), Evidence: "Mô hình tự quản ở khu dân cư"},
			{Criterion: "DG2", Points: evaluation.Points(pick3(key+"DG2", 1, 3) * 100)},
			{Criterion: "DG3", Points: 300},
			{Criterion: "TH1", Points: evaluation.Points(pick3(key+"TH1", 0, 2) * 100)},
		}
		if err := l.s.WithTx(ctx, func(tx *store.Tx) error {
			if err := evaluation.SelfScore(ctx, tx, audit.Actor{Name: "lanhdao." + c.Code}, rec, c, self, send); err != nil {
				return err
			}
			if !send || i%5 != 0 {
				return nil
			}
			if err := evaluation.Adjust(ctx, tx, leader, rec, c, evaluation.Entry{Criterion: "DG3", Points: evaluation.Points(pick3(key+"DG3", 1, 3) * 100),
				Reason: "Đánh giá của Ban Thường trực tỉnh qua theo dõi trong năm"}); err != nil {
				return err
			}
			return evaluation.Decide(ctx, tx, leader, rec, c)
		}); err != nil {
			return err
		}
	}
	return nil
}
