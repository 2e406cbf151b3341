package web_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mattran/internal/audit"
	"mattran/internal/evaluation"
	"mattran/internal/store"
	"mattran/internal/store/storetest"
)

// The annual report as XLSX: a row per unit in rank order, points as
// numbers (not text), the class in words; the cluster table sorts.
func TestEvaluationReportXLSX(t *testing.T) {
	h := newHarness(t, storetest.SQLite(t))
	ctx := context.Background()
	g, err := evaluation.ParseGuide(strings.NewReader(strings.Replace(browserGuide, "level: commune", "level: district", 1)))
	if err != nil {
		t.Fatal(err)
	}
	prov, _ := h.Store.UnitAt(ctx, "24", "2024-12-31")
	city, _ := h.Store.UnitAt(ctx, "213", "2024-12-31")
	prog, _ := h.Store.Program(ctx, "BG-CTHD-2019-2024")
	if err := h.Store.WithTx(ctx, func(tx *store.Tx) error {
		rec, err := evaluation.SaveGuide(ctx, tx, audit.System, prov, g, prog)
		if err != nil {
			return err
		}
		if err := evaluation.SetClusters(ctx, tx, audit.System, rec, []evaluation.Cluster{{Code: "C1", Name: "Cụm một", Members: []int64{city.ID}}}); err != nil {
			return err
		}
		return evaluation.Adjust(ctx, tx, audit.System, rec, city, evaluation.Entry{Criterion: "DG1", Points: 725, Reason: "thử"})
	}); err != nil {
		t.Fatal(err)
	}
	c := h.login("lanhdao.tinh")
	f, err := excelize.OpenReader(bytes.NewReader(c.download("/evaluation/report?year=2024&unit=24&format=xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetName(0)
	rows, _ := f.GetRows(sheet)
	var head, first []string
	headRow := 0
	for i, r := range rows {
		if len(r) > 0 && r[0] == "Hạng" {
			head, first, headRow = r, rows[i+1], i+1
		}
	}
	if len(first) < 3 || first[1] != "213" {
		t.Fatalf("rows %v", rows)
	}
	col := -1
	for i, x := range head {
		if x == "DG1" {
			col = i
		}
	}
	cell, _ := excelize.CoordinatesToCellName(col+1, headRow+1)
	typ, _ := f.GetCellType(sheet, cell)
	v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if col < 0 || (typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset) || v != "7.25" {
		t.Errorf("DG1 of 213 at %s: type %v value %q", cell, typ, v)
	}
	status, page := c.get("/evaluation/cluster?year=2024&unit=24&cluster=C1&sort=total")
	if status != http.StatusOK || !strings.Contains(page, "Cụm một") || !strings.Contains(page, "7,25") {
		t.Errorf("cluster table: %d", status)
	}
}
