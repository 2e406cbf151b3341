package evaluation

import (
	"fmt"

	"mattran/internal/program"
	"mattran/internal/unit"
)

// Example builds an example scoring guide for a year, for the units of
// kind level, from the program's targets: a group per sub-program whose
// criteria read the targets that apply to that level, a group for the
// reports, and a group of criteria entered by hand. It is marked as an
// example: no issued guide is at hand, and every page that shows it says
// so. The demo loads it; an officer exports it as a start for their own.
func Example(year int, level unit.Kind, prog *program.Program) *Guide {
	g := &Guide{
		Year: year, Level: level, Program: prog.Code, Example: true,
		Name: fmt.Sprintf("Hướng dẫn chấm điểm thi đua năm %d (bản ví dụ)", year),
		Bonus: []Item{
			{Code: "TH1", Name: "Mô hình, cách làm mới được cấp trên công nhận, nhân rộng", Max: 2},
			{Code: "TH2", Name: "Được Trung ương, tỉnh khen thưởng chuyên đề trong năm", Max: 2},
		},
		Deductions: []Item{
			{Code: "TR1", Name: "Chậm khắc phục kiến nghị sau kiểm tra", Max: 3},
			{Code: "TR2", Name: "Để xảy ra khiếu kiện đông người, vượt cấp kéo dài", Max: 3},
		},
		BonusCap: 3, DeductionCap: 5,
		Cap:      &Cap{Class: Excellent, Percent: 20, Of: Good},
		TieBreak: []string{ByTotal, ByDerived, ByDeductions},
		Titles: []Title{
			{Code: "co_thi_dua", Name: "Cờ thi đua", PerCluster: 1, MinClass: Excellent},
			{Code: "bang_khen", Name: "Bằng khen", PerCluster: 1, MinClass: Excellent},
		},
	}
	rule := 0
	for _, sp := range prog.Subprograms {
		gr := Group{Code: sp.Code, Name: sp.Name}
		for _, t := range sp.Targets {
			if !t.AppliesToKind(level) || len(t.Conditions) == 0 || t.Conditions[0].Threshold == nil {
				continue
			}
			c := Criterion{Code: sp.Code + "-" + t.Code, Name: t.Name, Max: 4, Kind: Derived, Target: t.Code, Reading: Own}
			cond := t.Conditions[0]
			switch {
			case cond.Comparator != program.GE && cond.Comparator != program.GT:
				c.Rule = Full
			case cond.IsPercent() && rule%2 == 0:
				c.Rule = Proportional
			case cond.IsPercent():
				c.Rule, c.Steps = Steps, []Step{{100, 4}, {90, 3}, {80, 2}}
			default:
				c.Rule, c.Steps = Steps, []Step{{100, 4}, {50, 2}}
			}
			rule++
			gr.Criteria = append(gr.Criteria, c)
			gr.Max += c.Max
		}
		if len(gr.Criteria) > 0 {
			g.Groups = append(g.Groups, gr)
		}
	}
	g.Groups = append(g.Groups,
		Group{Code: "BC", Name: "Công tác thông tin, báo cáo", Max: 10, Criteria: []Criterion{
			{Code: "BC1", Name: "Báo cáo định kỳ gửi đúng hạn", Max: 6, Kind: Workflow, Measure: OnTime},
			{Code: "BC2", Name: "Báo cáo không bị trả lại", Max: 2, Kind: Workflow, Measure: Returned, Per: 0.5},
			{Code: "BC3", Name: "Không có báo cáo chậm, thiếu", Max: 2, Kind: Workflow, Measure: Late, Per: 0.5},
		}},
		Group{Code: "DG", Name: "Đánh giá chung", Max: 10, Criteria: []Criterion{
			{Code: "DG1", Name: "Đổi mới nội dung, phương thức hoạt động", Max: 4, Kind: Manual, Note: "đơn vị tự chấm, kèm minh chứng"},
			{Code: "DG2", Name: "Khen thưởng nhận được trong năm", Max: 3, Kind: Manual, Note: "ghi số quyết định khen thưởng"},
			{Code: "DG3", Name: "Đánh giá của lãnh đạo, kết quả kiểm tra", Max: 3, Kind: Manual, Note: "cấp trên chấm, căn cứ kết luận kiểm tra"},
		}},
	)
	return g
}
