// Package demo fills an empty database with a working example: the real
// Bắc Giang tree before the 2025 reform, synthetic residential areas, the
// seed program, five years of plausible figures and one user per role.
package demo

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"mattran/internal/clock"
	"time"

	"mattran/internal/audit"
	"mattran/internal/form"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/store"
	"mattran/internal/submission"
	"mattran/internal/synth"
	"mattran/internal/unit"
	"mattran/internal/user"
	"mattran/internal/value"
	"mattran/programs"
)

//go:embed data/bac-giang-2025-03.json
var data embed.FS

// Province is the demo's province code (Bắc Giang, before the reform).
const Province = "24"

// Years are the years of figures the demo holds.
var Years = synth.Years(2020, 2024)

// ResidentialAreasPerCommune is about how many residential areas each
// commune gets: Bắc Giang had some 2,300 thôn and tổ dân phố for 195 communes.
const ResidentialAreasPerCommune = 12

// Account is a demo user and the password to sign in with.
type Account struct {
	Username string
	Role     user.Role
	Unit     unit.Unit
	Password string
	Token    string // an API token, so the API can be tried at once
}

// Accounts are the demo users: one per role and level.
var accounts = []struct {
	username, fullName string
	role               user.Role
	unitCode           string
}{
	{"admin", "Quản trị hệ thống", user.Admin, "TW"},
	{"quantri.tinh", "Quản trị hệ thống của tỉnh", user.Admin, "24"},
	{"lanhdao.tinh", "Lãnh đạo Ủy ban MTTQ tỉnh", user.Leader, "24"},
	{"xem.tinh", "Chuyên viên theo dõi (chỉ xem)", user.Viewer, "24"},
	{"canbo.huyen", "Cán bộ Ủy ban MTTQ thành phố Bắc Giang", user.Officer, "213"},
	{"lanhdao.huyen", "Lãnh đạo Ủy ban MTTQ thành phố Bắc Giang", user.Leader, "213"},
	{"canbo.xa", "Cán bộ Ủy ban MTTQ phường Thọ Xương", user.Officer, "07201"},
	{"lanhdao.xa", "Lãnh đạo Ủy ban MTTQ phường Thọ Xương", user.Leader, "07201"},
}

// Load fills s, which must be freshly migrated. password is every demo
// user's password; when empty each gets a generated one.
func Load(ctx context.Context, s *store.Store, password string) ([]Account, error) {
	if password != "" {
		if err := user.ValidatePassword(password); err != nil {
			return nil, fmt.Errorf("--demo-password: %v", err)
		}
	}
	actor := audit.Actor{Name: "demo"}
	raw, err := data.ReadFile("data/bac-giang-2025-03.json")
	if err != nil {
		return nil, err
	}
	f, err := unit.Parse(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	if _, err := s.ImportUnits(ctx, actor, f, unit.Options{}); err != nil {
		return nil, fmt.Errorf("nạp cây đơn vị Bắc Giang: %w", err)
	}
	const asOf = "2024-12-31"
	province, err := s.UnitAt(ctx, Province, asOf)
	if err != nil {
		return nil, err
	}
	tree, err := s.Subtree(ctx, province, asOf)
	if err != nil {
		return nil, err
	}
	var communes []unit.Unit
	for _, u := range tree {
		if u.Kind == unit.Commune {
			communes = append(communes, u)
		}
	}
	ras, err := unit.Parse(bytes.NewReader(synth.ResidentialAreas(communes, ResidentialAreasPerCommune, 1)))
	if err != nil {
		return nil, err
	}
	if _, err := s.ImportUnits(ctx, actor, ras, unit.Options{Date: asOf}); err != nil {
		return nil, fmt.Errorf("tạo khu dân cư: %w", err)
	}

	doc, err := programs.Files.ReadFile(programs.SeedFile)
	if err != nil {
		return nil, err
	}
	prog, err := program.Parse(doc)
	if err != nil {
		return nil, err
	}
	if _, err := s.SaveProgram(ctx, actor, prog); err != nil {
		return nil, err
	}

	if tree, err = s.Subtree(ctx, province, asOf); err != nil {
		return nil, err
	}
	elements, err := s.Elements(ctx)
	if err != nil {
		return nil, err
	}
	root, err := s.Root(ctx)
	if err != nil {
		return nil, err
	}
	// One import per year, as the figures would arrive.
	for _, y := range Years {
		var rows []value.Row
		synth.Figures(tree, elements, []int{y}, 1, func(r value.Row) {
			r.Line = len(rows) + 2
			rows = append(rows, r)
		})
		if _, err := s.ImportValues(ctx, rows, store.ImportOptions{Actor: actor, Scope: root, Source: fmt.Sprintf("demo %d", y), Today: clock.Today(s.Now())}); err != nil {
			return nil, fmt.Errorf("nạp số liệu năm %d: %w", y, err)
		}
	}
	// Past years are approved: their figures are locked.
	for _, y := range Years[:len(Years)-1] {
		if err := s.LockPeriod(ctx, actor, province, period.Period{Type: period.Yearly, Year: y}); err != nil {
			return nil, err
		}
	}

	if err := loadReports(ctx, s, actor, prog, tree); err != nil {
		return nil, fmt.Errorf("nạp báo cáo định kỳ: %w", err)
	}

	var out []Account
	for _, a := range accounts {
		u, err := s.UnitAt(ctx, a.unitCode, asOf)
		if err != nil {
			return nil, err
		}
		pw := password
		if pw == "" {
			pw = user.NewPassword()
		}
		created, err := s.CreateUser(ctx, actor, store.NewUser{Username: a.username, FullName: a.fullName, Role: a.role, Unit: u, Password: pw})
		if err != nil {
			return nil, err
		}
		token, err := s.CreateToken(ctx, actor, created, "demo")
		if err != nil {
			return nil, err
		}
		out = append(out, Account{Username: a.username, Role: a.role, Unit: u, Password: pw, Token: token})
	}
	return out, nil
}

// loadReports records every committee's periodic reports of the demo's
// years: approved for the locked years, sent and awaiting approval for
// the last one, so a leader can try approving. Monthly reports come on
// time or late as synth.Reports says, and T1.2 is counted from them.
func loadReports(ctx context.Context, s *store.Store, actor audit.Actor, prog *program.Program, tree []unit.Unit) error {
	last := Years[len(Years)-1]
	var subs []submission.Submission
	type key struct {
		form string
		p    period.Period
	}
	deadlines := map[key]submission.Deadlines{}
	var failed error
	add := func(u unit.Unit, f form.Form, p period.Period, onTime bool) {
		// The deadlines a server would set: the defaults, moved off days off.
		dl, ok := deadlines[key{f.Code, p}]
		if !ok {
			var err error
			if dl, err = s.Deadlines(ctx, prog.Code, f.Code, p); err != nil {
				failed = err
				return
			}
			deadlines[key{f.Code, p}] = dl
		}
		deadline, _ := time.Parse(time.DateOnly, dl[u.Kind])
		at := deadline.Add(9 * time.Hour) // 16:00 in Vietnam
		if !onTime {
			at = at.AddDate(0, 0, 3)
		}
		sub := submission.Submission{Form: f.Code, Unit: u, Period: p, Status: submission.Approved,
			Deadline: deadline.Format(time.DateOnly), SubmittedAt: at, SubmittedBy: actor.Name, OnTime: onTime}
		if f.Narrative {
			sub.Narrative = "Tình hình nhân dân trên địa bàn " + p.InSentence() + " ổn định; nhân dân tin tưởng vào sự lãnh đạo của Đảng, " +
				"phấn khởi với kết quả phát triển kinh tế – xã hội. Một số ý kiến, kiến nghị về đất đai, môi trường đã được tổng hợp gửi cấp ủy, chính quyền."
		}
		if p.Year == last {
			sub.Status = submission.Submitted
		} else {
			sub.DecidedAt, sub.DecidedBy = at.AddDate(0, 0, 2), actor.Name
		}
		subs = append(subs, sub)
	}
	forms := map[string]form.Form{}
	for _, f := range form.Of(prog) {
		forms[f.Code] = f
	}
	for _, u := range submission.Submitters(tree) {
		for _, y := range Years {
			year := period.Period{Type: period.Yearly, Year: y}
			for _, code := range []string{form.Yearly, form.Quarterly} {
				if f, ok := forms[code]; ok {
					for _, p := range year.Within(f.PeriodType) {
						add(u, f, p, true)
					}
				}
			}
		}
	}
	if f, ok := forms[form.Monthly]; ok {
		synth.Reports(submission.Submitters(tree), Years, 1, func(u unit.Unit, p period.Period, onTime bool) {
			add(u, f, p, onTime)
		})
	}
	if failed != nil {
		return failed
	}
	return s.ImportSubmissions(ctx, actor, prog, subs)
}
