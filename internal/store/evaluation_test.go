package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"mattran/internal/audit"
	"mattran/internal/calendar"
	"mattran/internal/casework"
	"mattran/internal/errs"
	"mattran/internal/evaluation"
	"mattran/internal/period"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
	"mattran/internal/unit"
)

const evalGuideYAML = `
year: 2024
level: commune
program: BG-CTHD-2019-2024
name: Hướng dẫn chấm điểm thử
groups:
  - code: CT2
    name: An sinh
    max: 10
    criteria:
      - {code: QT, name: Quà Tết hộ nghèo, max: 10, kind: derived, target: T2.2, reading: own, rule: proportional}
  - code: DG
    name: Đánh giá chung
    max: 10
    criteria:
      - {code: DM, name: Đổi mới, max: 6, kind: manual}
      - {code: LD, name: Lãnh đạo đánh giá, max: 4, kind: manual}
bonus: [{code: TH, name: Sáng tạo, max: 2}]
bonusCap: 1
`

// The whole year at a district: a guide, a cluster, a commune's
// self-score, the district's adjustment with a reason and its decision,
// the freeze that figures no longer move, the audited reopening; an
// inspection whose recommendation is a kiem_tra case.
func TestEvaluationYear(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		storetest.Fixture(t, s)
		now := at("2024-12-20")
		s.Clock = func() time.Time { return now }
		district, err := s.UnitAt(ctx, "213", "2024-12-20")
		if err != nil {
			t.Fatal(err)
		}
		thoXuong, _ := s.UnitAt(ctx, "07201", "2024-12-20")
		ngoQuyen, _ := s.UnitAt(ctx, "07207", "2024-12-20")
		prog, err := s.Program(ctx, "BG-CTHD-2019-2024")
		if err != nil {
			t.Fatal(err)
		}
		if err := storetest.ImportCSV(s, "dataelement,period,orgunit,value\nCT2_HN_TONG,2024,KDC-1,100\nCT2_HN_QUATET,2024,KDC-1,100\nCT2_HN_TONG,2024,KDC-2,100\nCT2_HN_QUATET,2024,KDC-2,90\nCT2_HN_TONG,2024,KDC-3,50\nCT2_HN_QUATET,2024,KDC-3,50\n"); err != nil {
			t.Fatal(err)
		}
		g, err := evaluation.ParseGuide(strings.NewReader(evalGuideYAML))
		if err != nil {
			t.Fatal(err)
		}
		leader := audit.Actor{Name: "lanhdao.huyen"}
		self := audit.Actor{Name: "lanhdao.xa"}
		write := func(fn func(tx *store.Tx) error) error { return s.WithTx(ctx, fn) }
		var rec evaluation.Record
		if err := write(func(tx *store.Tx) error {
			rec, err = evaluation.SaveGuide(ctx, tx, leader, district, g, prog)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		scored, err := s.EvalScored(ctx, rec)
		if err != nil || len(scored) < 2 {
			t.Fatalf("scored %d units, %v", len(scored), err)
		}
		if err := write(func(tx *store.Tx) error {
			return evaluation.SetClusters(ctx, tx, leader, rec, []evaluation.Cluster{
				{Code: "C1", Name: "Cụm phường", Lead: thoXuong.ID, Members: []int64{thoXuong.ID, ngoQuyen.ID}}})
		}); err != nil {
			t.Fatal(err)
		}
		// A unit in two clusters is refused.
		err = write(func(tx *store.Tx) error {
			return evaluation.SetClusters(ctx, tx, leader, rec, []evaluation.Cluster{
				{Code: "C1", Name: "Cụm 1", Members: []int64{thoXuong.ID}}, {Code: "C2", Name: "Cụm 2", Members: []int64{thoXuong.ID}}})
		})
		if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "hai cụm") {
			t.Errorf("two clusters: %v", err)
		}
		// Thọ Xương scores itself and sends; it cannot change it after.
		if err := write(func(tx *store.Tx) error {
			return evaluation.SelfScore(ctx, tx, self, rec, thoXuong, []evaluation.Entry{
				{Criterion: "DM", Points: 600, Evidence: "Mô hình camera an ninh"}, {Criterion: "LD", Points: 400}, {Criterion: "TH", Points: 200}}, true)
		}); err != nil {
			t.Fatal(err)
		}
		err = write(func(tx *store.Tx) error {
			return evaluation.SelfScore(ctx, tx, self, rec, thoXuong, []evaluation.Entry{{Criterion: "DM", Points: 100}}, false)
		})
		if !errs.Is(err, errs.Conflict) {
			t.Errorf("self-score after sending: %v", err)
		}
		// The district adjusts LD with a reason, citing the conclusion, and decides.
		err = write(func(tx *store.Tx) error {
			return evaluation.Adjust(ctx, tx, leader, rec, thoXuong, evaluation.Entry{Criterion: "LD", Points: 250})
		})
		if !errs.Is(err, errs.Invalid) {
			t.Errorf("adjust without a reason: %v", err)
		}
		if err := write(func(tx *store.Tx) error {
			if err := evaluation.Adjust(ctx, tx, leader, rec, thoXuong, evaluation.Entry{Criterion: "LD", Points: 250,
				Reason: "Kết luận kiểm tra: chậm khắc phục kiến nghị", Ref: "/evaluation/inspections/1"}); err != nil {
				return err
			}
			return evaluation.Decide(ctx, tx, leader, rec, thoXuong)
		}); err != nil {
			t.Fatal(err)
		}
		// The cluster's leader cross-checks Ngô Quyền: shown, not counted.
		if err := write(func(tx *store.Tx) error {
			return evaluation.CrossCheck(ctx, tx, self, rec, ngoQuyen, evaluation.Entry{Criterion: "DM", Points: 300, Reason: "Có mô hình mới"})
		}); err != nil {
			t.Fatal(err)
		}
		b, err := evaluation.Results(ctx, s, rec, calendar.DateOf(now))
		if err != nil {
			t.Fatal(err)
		}
		if nq, _ := b.Sheet(ngoQuyen.ID); nq.Total != 1000 || nq.Lines[1].Cross == nil || nq.Lines[1].Cross.Points != 300 {
			t.Errorf("Ngô Quyền after the cross-check: total %s, DM %+v", nq.Total, nq.Lines[1])
		}
		tx, _ := b.Sheet(thoXuong.ID)
		// QT: 190/200 = 95% of 100% → 9,50; DM 6; LD 2,50; bonus 2 capped at 1.
		if tx.Total != 1900 || tx.Class != evaluation.Excellent {
			t.Errorf("Thọ Xương total %s (%s), want 19,00 xuất sắc; lines %+v", tx.Total, tx.Class, tx.Lines)
		}
		var ld evaluation.Line
		for _, l := range tx.Lines {
			if l.Code == "LD" {
				ld = l
			}
		}
		if d, ok := ld.Diff(); !ok || d != 150 || !strings.Contains(ld.Origin.Text, "chậm khắc phục") {
			t.Errorf("LD line %+v: diff %s", ld, d)
		}
		if tx.ClusterRank != 1 {
			// Ngô Quyền: QT 100% → 10, nothing entered: 10 points, behind.
			nq, _ := b.Sheet(ngoQuyen.ID)
			t.Errorf("cluster ranks: Thọ Xương %d (%s), Ngô Quyền %d (%s)", tx.ClusterRank, tx.Total, nq.ClusterRank, nq.Total)
		}
		if b.States[thoXuong.ID].Status != evaluation.Decided {
			t.Errorf("state %+v", b.States[thoXuong.ID])
		}
		// Freeze: a change of figures does not move the frozen total.
		if err := write(func(tx *store.Tx) error { return evaluation.Freeze(ctx, tx, leader, rec, b.Sheets) }); err != nil {
			t.Fatal(err)
		}
		if err := storetest.ImportCSV(s, "dataelement,period,orgunit,value\nCT2_HN_QUATET,2024,KDC-1,10\n"); err != nil {
			t.Fatal(err)
		}
		rec, err = s.EvalGuide(ctx, district.ID, 2024, unit.Commune)
		if err != nil {
			t.Fatal(err)
		}
		frozen, err := evaluation.Results(ctx, s, rec, calendar.DateOf(now))
		if err != nil {
			t.Fatal(err)
		}
		if x, _ := frozen.Sheet(thoXuong.ID); !frozen.Frozen || x.Total != 1900 || x.Rank != tx.Rank {
			t.Errorf("frozen total %s rank %d, want 19,00 and %d", x.Total, x.Rank, tx.Rank)
		}
		if err := write(func(tx *store.Tx) error {
			return evaluation.Adjust(ctx, tx, leader, rec, thoXuong, evaluation.Entry{Criterion: "LD", Points: 0, Reason: "x"})
		}); !errs.Is(err, errs.Conflict) {
			t.Errorf("adjust after freezing: %v", err)
		}
		// Reopen, audited with its reason: the figures count again.
		if err := write(func(tx *store.Tx) error {
			return evaluation.Reopen(ctx, tx, leader, rec, "Số liệu quà Tết được đính chính")
		}); err != nil {
			t.Fatal(err)
		}
		rec, _ = s.EvalGuide(ctx, district.ID, 2024, unit.Commune)
		open, _ := evaluation.Results(ctx, s, rec, calendar.DateOf(now))
		if x, _ := open.Sheet(thoXuong.ID); open.Frozen || x.Total != 1450 {
			t.Errorf("reopened total %s, want 14,50 (QT 5,00)", x.Total)
		}
		entries, err := s.AuditEntries(ctx, "evaluation_guide", rec.Key(), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) == 0 || entries[0].Action != "evaluation_reopen" || !strings.Contains(entries[0].After, "đính chính") {
			t.Errorf("audit %+v", entries)
		}

		// An inspection: planned, concluded, one recommendation as a case.
		var in evaluation.Inspection
		if err := write(func(tx *store.Tx) error {
			in, err = evaluation.PlanInspection(ctx, tx, leader, district, evaluation.Inspection{Year: 2024, Unit: thoXuong,
				Subjects: "Thực hiện chương trình hành động", From: calendar.MustParseDate("2024-11-04"), To: calendar.MustParseDate("2024-11-05"),
				Leader: "Nguyễn Văn A", Members: "Trần Thị B"})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var c casework.Case
		if err := write(func(tx *store.Tx) error {
			if _, err := evaluation.Conclude(ctx, tx, leader, in.ID, "Có sổ theo dõi", "Cơ bản hoàn thành", "12/KL-MTTQ", calendar.MustParseDate("2024-11-15")); err != nil {
				return err
			}
			c, err = evaluation.Recommend(ctx, tx, leader, in.ID, "Bổ sung hồ sơ Quỹ Vì người nghèo", calendar.MustParseDate("2024-12-27"))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if c.Kind != casework.InspectionRec || c.Due.String() != "2024-12-27" || c.UnitID != thoXuong.ID {
			t.Errorf("recommendation case %+v", c)
		}
		got, err := s.Inspection(ctx, in.ID)
		if err != nil || !got.Concluded() || len(got.Recs) != 1 || got.Recs[0] != c.ID {
			t.Errorf("inspection %+v, %v", got, err)
		}
		now = at("2024-12-30")
		overdue, err := s.Cases(ctx, store.CaseFilter{Path: thoXuong.Path, Kind: casework.InspectionRec, Overdue: true, Today: calendar.DateOf(now)})
		if err != nil || len(overdue) != 1 {
			t.Errorf("overdue recommendations %d, %v", len(overdue), err)
		}
		// The batched own readings are the scorecards' own readings.
		p2024 := period.MustParse("2024")
		batched, err := s.EvalCards(ctx, prog, []string{"T2.2", "T2.5"}, false, scored, p2024)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := s.EvalCards(ctx, prog, nil, true, scored, p2024)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range scored {
			for _, tr := range whole[u.ID].Targets {
				if tr.Target.Code != "T2.2" && tr.Target.Code != "T2.5" {
					continue
				}
				for _, br := range batched[u.ID].Targets {
					if br.Target.Code == tr.Target.Code && (br.Own.Status != tr.Own.Status || fmt.Sprint(br.Own.Value) != fmt.Sprint(tr.Own.Value) && (br.Own.Value == nil || *br.Own.Value != *tr.Own.Value)) {
						t.Errorf("%s %s: batched %+v, scorecard %+v", u.Code, tr.Target.Code, br.Own, tr.Own)
					}
				}
			}
		}
		list, err := s.Inspections(ctx, district.ID, 0, 2024)
		if err != nil || len(list) != 1 || list[0].Unit.Code != "07201" {
			t.Errorf("plan %+v, %v", list, err)
		}
	})
}
