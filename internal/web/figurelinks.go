package web

import (
	"strconv"
	"strings"

	"mattran/internal/casework"
	"mattran/internal/fund"
	"mattran/internal/period"
	"mattran/internal/program"
	"mattran/internal/unit"
)

// This file is the one place that says where the records behind a
// computed figure are listed (issue 11 item 6, issue 13 item 7): the home
// page, the scorecard and the children tables all ask recordsOf.

// recordsLink is a link from a figure to the records its module counted:
// the cases behind T3.1–T3.5, the ledger behind T2.1, the register of
// households behind T2.2 and T2.3. The zero value is no link.
type recordsLink struct {
	URL   string
	Label string // the link's words beside the figure: "vụ việc ›"
	Title string // what the records are, on hovering
}

// linkReader is who a page is for. A public page (the scorecard, the
// public children table) links only to public records; a signed-in page
// only to records of units inside the reader's subtree (top: the reader's
// unit), the same subtree the record pages let them read.
type linkReader struct {
	public bool
	top    unit.Unit
}

// publicReader is the reader of a public page.
var publicReader = linkReader{public: true}

// figureModule is the module that computes target t's figure of period p
// (casework, fund, ...), or "" when the figure is typed: the target reads
// no derived element, or the year is one the program keeps as typed
// (typed_until), whose figures no module counted.
func figureModule(prog *program.Program, t program.Target, p period.Period) string {
	if p.Type != period.Yearly {
		return "" // the modules write yearly figures
	}
	for _, c := range t.Conditions {
		for _, code := range c.ElementCodes() {
			e, ok := prog.Element(code)
			if module, derived := strings.CutPrefix(e.Source, "derived:"); ok && derived && !e.Typed(p.Year) {
				return module
			}
		}
	}
	return ""
}

// readsRegister says whether target t is counted from the fund's register
// of households (T2.2, T2.3) rather than from its receipts (T2.1).
func readsRegister(t program.Target) bool {
	for _, c := range t.Conditions {
		for _, code := range c.ElementCodes() {
			if fund.FromRegister(code) {
				return true
			}
		}
	}
	return false
}

// recordsOf is the link from target t's figure at unit u for period p to
// the records behind it, for reader r; the zero link when the figure is
// typed, its records are not public and r is the public, or u lies
// outside r's subtree. Cases are never public (petitioners' data); the
// fund's books are, on the public ledger.
func recordsOf(prog *program.Program, t program.Target, u unit.Unit, p period.Period, r linkReader) recordsLink {
	module := figureModule(prog, t, p)
	if module == "" || (!r.public && !strings.HasPrefix(u.Path, r.top.Path)) {
		return recordsLink{}
	}
	year := strconv.Itoa(p.Year)
	switch module {
	case casework.Module:
		if r.public {
			return recordsLink{}
		}
		return recordsLink{URL: query("/cases/stats", "unit", u.Code, "year", year), Label: "vụ việc ›",
			Title: "Các vụ việc, đơn thư đã tính ra số liệu này"}
	case fund.Module:
		if readsRegister(t) {
			// The register names poor households: it is not public.
			if r.public {
				return recordsLink{}
			}
			return recordsLink{URL: query("/fund/households", "unit", u.Code, "year", year), Label: "danh sách hộ ›",
				Title: "Danh sách hộ nghèo, hộ khó khăn đặc biệt và các khoản chi cho hộ đã tính ra số liệu này"}
		}
		if r.public {
			return recordsLink{URL: query("/public/fund", "year", year), Label: "sổ quỹ công khai ›",
				Title: "Sổ công khai các cuộc vận động năm " + year + ": các khoản thu đã cộng ra số tiền này"}
		}
		return recordsLink{URL: query("/fund", "unit", u.Code, "year", year), Label: "sổ quỹ ›",
			Title: "Sổ quỹ: các phiếu thu đã cộng ra số tiền này"}
	}
	return recordsLink{}
}
