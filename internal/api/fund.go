package api

import (
	"net/http"
	"strconv"

	"mattran/internal/clock"
	"mattran/internal/csvsafe"
	"mattran/internal/errs"
	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/vn"
)

// The public fund ledger: no sign-in. Descriptions come masked (phones,
// accounts), and who entered or approved an entry is not shown.

func (a *API) publicCampaigns(w http.ResponseWriter, r *http.Request) error {
	cs, err := a.Store.Campaigns(r.Context())
	if err != nil {
		return err
	}
	today := clock.Today(a.Now())
	type campaign struct {
		fund.Campaign
		Balances  []store.Balance `json:"balances"`
		Deadlines []fund.Deadline `json:"deadlines,omitempty"`
	}
	out := make([]campaign, 0, len(cs))
	for _, c := range cs {
		done, err := a.Store.Disclosures(r.Context(), c.ID)
		if err != nil {
			return err
		}
		bals, err := a.Store.Balances(r.Context(), c.ID)
		if err != nil {
			return err
		}
		out = append(out, campaign{Campaign: c, Balances: bals, Deadlines: c.Deadlines(today, done)})
	}
	digests, err := a.Store.Digests(r.Context(), 30)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"campaigns": out, "digests": digests})
}

func (a *API) publicEntries(w http.ResponseWriter, r *http.Request) error {
	c, err := a.Store.CampaignByCode(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	lq := store.LedgerQuery{CampaignID: c.ID, Text: vn.Fold(q.Get("q")), From: q.Get("from"), To: q.Get("to"), Kind: q.Get("kind")}
	if len([]rune(lq.Text)) > 100 {
		return errs.New(errs.Invalid, "Từ khóa tìm kiếm quá dài (tối đa 100 ký tự).")
	}
	for _, p := range []struct {
		name string
		v    *int64
	}{{"min", &lq.Min}, {"max", &lq.Max}} {
		if s := q.Get(p.name); s != "" {
			n, ok := fund.ParseAmount(s)
			if !ok {
				return errs.New(errs.Invalid, "Tham số %s: số tiền %q không hợp lệ.", p.name, s)
			}
			*p.v = n
		}
	}
	for _, d := range []*string{&lq.From, &lq.To} {
		if *d != "" {
			day, ok := fund.ParseStatementDate(*d)
			if !ok {
				return errs.New(errs.Invalid, "Ngày %q không hợp lệ: cần dạng dd/mm/yyyy hoặc yyyy-mm-dd.", *d)
			}
			*d = day
		}
	}
	es, err := a.Store.SearchLedger(r.Context(), lq)
	if err != nil {
		return err
	}
	var total int64
	for _, e := range es {
		total += e.Amount
	}
	if q.Get("format") == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+c.Code+`.csv"`)
		cw := csvsafe.NewWriter(w)
		cw.Write([]string{"so", "ngay", "loai", "so_tien", "nguoi_ung_ho_hoac_nhan", "noi_dung", "so_chung_tu", "dao_but_toan", "ma_bam"})
		for _, e := range es {
			cw.Write([]string{strconv.FormatInt(e.ID, 10), e.Day, string(e.Kind), strconv.FormatInt(e.Amount, 10), e.Donor, e.Description, e.DocNo,
				strconv.FormatInt(e.Reverses, 10), e.Hash})
		}
		cw.Flush()
		return cw.Error()
	}
	if es == nil {
		es = []fund.Entry{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"campaign": c, "entries": es, "count": len(es), "total": total})
}
