// Package demo fills an empty database with a working example of both
// sides of the 1 July 2025 reform:
//
//   - before it (oldWorld): Bắc Giang and the old Bắc Ninh with their
//     districts and communes, synthetic residential areas, the seed program
//     and figures for 2020 to the first half of 2025, all approved;
//   - from it (newWorld): the new Bắc Ninh (code 24) and its 99 communes,
//     the residential areas carried on under them (and, from 1/3/2026,
//     partly merged), the member organisations under the province and
//     each commune, the example program of the 2025–2030 term and figures
//     from the second half of 2025 to the current month, whose reports are
//     still being sent.
//
// Other modules' generators hook onto the World each builds (see Load).
package demo

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"sort"
	"strings"
	"time"

	"mattran/internal/audit"
	"mattran/internal/clock"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/store"
	"mattran/internal/synth"
	"mattran/internal/unit"
	"mattran/internal/user"
	"mattran/internal/value"
	"mattran/programs"
)

//go:embed data/*.json
var data embed.FS

// Province is the code of the demo's province on both sides: Bắc Giang
// until 30/6/2025, the new Bắc Ninh from 1/7/2025.
const Province = "24"

// OldBacNinh is the old Bắc Ninh's code, merged into the new one.
const OldBacNinh = "27"

// Reform is the day the new tree starts.
const Reform = "2025-07-01"

// Years are the whole years of figures of the old tree; it also has the
// months and quarters of the first half of 2025.
var Years = synth.Years(2020, 2024)

// ResidentialAreasPerCommune is about how many residential areas each old
// commune gets: Bắc Giang had some 2,300 thôn and tổ dân phố for 195
// communes.
const ResidentialAreasPerCommune = 12

// Account is a demo user and the password to sign in with.
type Account struct {
	Username string
	Role     user.Role
	Unit     unit.Unit
	Password string
	Token    string // an API token, so the API can be tried at once
}

// World is one side of the reform as the demo built it: other modules'
// demo generators add their records (cases, the fund ledger, evaluations)
// to its units over its periods.
type World struct {
	Provinces []unit.Unit
	Date      string      // the day Tree is read on
	Tree      []unit.Unit // every unit under Provinces on Date, parents first
	Program   *program.Program
	From, To  period.Period // the first and last month it holds figures for
}

// accounts are the demo users: one per role and level, on today's tree,
// and those of the old tree kept for its history.
var accounts = []struct {
	username, fullName string
	role               user.Role
	unitCode, date     string
}{
	{"admin", "Quản trị hệ thống", user.Admin, "TW", Reform},
	{"quantri.tinh", "Quản trị hệ thống của tỉnh Bắc Ninh", user.Admin, Province, Reform},
	{"lanhdao.tinh", "Lãnh đạo Ủy ban MTTQ tỉnh Bắc Ninh", user.Leader, Province, Reform},
	{"xem.tinh", "Chuyên viên theo dõi (chỉ xem)", user.Viewer, Province, Reform},
	{"canbo.phuong", "Cán bộ Ủy ban MTTQ phường Bắc Giang", user.Officer, "07210", Reform},
	{"lanhdao.phuong", "Lãnh đạo Ủy ban MTTQ phường Bắc Giang", user.Leader, "07210", Reform},
	// Before 1/7/2025: Thành phố Bắc Giang and Phường Thọ Xương, now
	// part of Phường Bắc Giang; their history stays readable.
	{"canbo.huyen", "Cán bộ Ủy ban MTTQ thành phố Bắc Giang (đến 30/6/2025)", user.Officer, "213", "2024-12-31"},
	{"lanhdao.huyen", "Lãnh đạo Ủy ban MTTQ thành phố Bắc Giang (đến 30/6/2025)", user.Leader, "213", "2024-12-31"},
	{"canbo.xa", "Cán bộ Ủy ban MTTQ phường Thọ Xương (đến 30/6/2025)", user.Officer, "07201", "2024-12-31"},
	{"lanhdao.xa", "Lãnh đạo Ủy ban MTTQ phường Thọ Xương (đến 30/6/2025)", user.Leader, "07201", "2024-12-31"},
}

// loader holds what both worlds are built with.
type loader struct {
	s     *store.Store
	actor audit.Actor
	now   time.Time
	today string
}

// Load fills s, which must be freshly migrated, and returns the demo
// users. password is every demo user's password; when empty each gets a
// generated one. The new world's figures run to the month of the store's
// clock.
func Load(ctx context.Context, s *store.Store, password string) ([]Account, error) {
	if password != "" {
		if err := user.ValidatePassword(password); err != nil {
			return nil, fmt.Errorf("--demo-password: %v", err)
		}
	}
	l := &loader{s: s, actor: audit.Actor{Name: "demo"}, now: s.Now()}
	l.today = clock.Today(l.now)
	old, err := l.oldWorld(ctx)
	if err != nil {
		return nil, err
	}
	// Generators of other modules for the old tree go here.
	if err := l.cases(ctx, old, 1, false); err != nil {
		return nil, err
	}
	cur, err := l.newWorld(ctx)
	if err != nil {
		return nil, err
	}
	// Generators of other modules for the new tree go here.
	if err := l.cases(ctx, cur, 2, true); err != nil {
		return nil, err
	}
	// The ledger before the evaluations: its registers of households
	// write T2.2, which the emulation guides score.
	if err := l.funds(ctx, old, cur); err != nil {
		return nil, fmt.Errorf("sổ quỹ: %w", err)
	}
	if err := l.evaluations(ctx, old, cur); err != nil {
		return nil, err
	}
	if err := l.reportTexts(ctx, old); err != nil {
		return nil, err
	}
	return l.accounts(ctx, password)
}

func (l *loader) importUnits(ctx context.Context, raw []byte, opts unit.Options, what string) (*unit.Plan, error) {
	f, err := unit.Parse(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	plan, err := l.s.ImportUnits(ctx, l.actor, f, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return plan, nil
}

func (l *loader) saveProgram(ctx context.Context, file string) (*program.Program, error) {
	doc, err := programs.Files.ReadFile(file)
	if err != nil {
		return nil, err
	}
	prog, err := program.Parse(doc)
	if err != nil {
		return nil, err
	}
	if _, err := l.s.SaveProgram(ctx, l.actor, prog); err != nil {
		return nil, err
	}
	return prog, nil
}

// importFigures imports rows as one file would come, numbered.
func (l *loader) importFigures(ctx context.Context, rows []value.Row, source string) error {
	if len(rows) == 0 {
		return nil
	}
	for i := range rows {
		rows[i].Line = i + 2
	}
	root, err := l.s.Root(ctx)
	if err != nil {
		return err
	}
	if _, err := l.s.ImportValues(ctx, rows, store.ImportOptions{Actor: l.actor, Scope: root, Source: source, Today: l.today}); err != nil {
		return fmt.Errorf("nạp số liệu %s: %w", source, err)
	}
	return nil
}

// within keeps the rows of periods inside p.
func within(p period.Period, keep func(value.Row) bool) func(value.Row) bool {
	return func(r value.Row) bool {
		q, err := period.Parse(r.Period)
		return err == nil && p.Contains(q) && (keep == nil || keep(r))
	}
}

// collect gathers generated rows that pass keep.
func collect(rows *[]value.Row, keep func(value.Row) bool) func(value.Row) {
	return func(r value.Row) {
		if keep == nil || keep(r) {
			*rows = append(*rows, r)
		}
	}
}

// subtrees lists the units under each province on date, parents first.
func (l *loader) subtrees(ctx context.Context, provinces []unit.Unit, date string) ([]unit.Unit, error) {
	var out []unit.Unit
	for _, p := range provinces {
		tree, err := l.s.Subtree(ctx, p, date)
		if err != nil {
			return nil, err
		}
		out = append(out, tree...)
	}
	return out, nil
}

func (l *loader) accounts(ctx context.Context, password string) ([]Account, error) {
	var out []Account
	for _, a := range accounts {
		u, err := l.s.UnitAt(ctx, a.unitCode, a.date)
		if err != nil {
			return nil, err
		}
		pw := password
		if pw == "" {
			pw = user.NewPassword()
		}
		created, err := l.s.CreateUser(ctx, l.actor, store.NewUser{Username: a.username, FullName: a.fullName, Role: a.role, Unit: u, Password: pw})
		if err != nil {
			return nil, err
		}
		token, err := l.s.CreateToken(ctx, l.actor, created, "demo")
		if err != nil {
			return nil, err
		}
		out = append(out, Account{Username: a.username, Role: a.role, Unit: u, Password: pw, Token: token})
	}
	return out, nil
}

// shortName drops a unit's official type: "Phường Thọ Xương" → "Thọ Xương".
func shortName(u unit.Unit) string {
	for _, t := range []string{"Phường ", "Xã ", "Thị trấn ", "Đặc khu "} {
		if rest, ok := strings.CutPrefix(u.Name, t); ok {
			return rest
		}
	}
	return u.Name
}

func sortByCode(us []unit.Unit) {
	sort.Slice(us, func(i, j int) bool { return us[i].Code < us[j].Code })
}
