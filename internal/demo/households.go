package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/unit"
)

// Sizes of the demo's registers of households (danh sách hộ): a few poor
// households and fewer in special difficulty per residential area, about
// one in ten poor households without a Tết gift and one in seven special
// households supported only once, so T2.2 and T2.3 read near 90 %, not
// 100 %, on both trees.
const (
	demoTetGift     = 300_000 // đồng, a Tết gift
	demoSupport     = 500_000 // đồng, a quarter's support
	demoPoorMissed  = 0.10    // share of poor households given no Tết gift
	demoHelpMissed  = 0.15    // share of special households supported only once
	demoPoorPerArea = 3       // poor households per area: 1..demoPoorPerArea
)

// householdsYear fills the register of year y of each commune of the
// world's first province, from its yearly campaign c (whose province
// holds the receipts): households in each residential area of the year's
// end, the money sent down to the commune, Tết gifts to most poor
// households and a support in each quarter of from..to to most special
// ones, each entered by the officer and approved by the leader. A year
// whose end the world's tree does not reach (the old tree's 2025) gets
// none: its units' codes passed to the new ones, so no figure is written.
func (l *loader) householdsYear(ctx context.Context, w *World, r *rand.Rand, y int, from, to string, c fund.Campaign) error {
	end := strconv.Itoa(y) + "-12-31"
	if to != end && to != l.today {
		return nil
	}
	p := w.Provinces[0]
	return l.s.WithTx(ctx, func(tx *store.Tx) error {
		for _, cm := range w.Tree {
			if cm.Kind != unit.Commune || !strings.HasPrefix(cm.Path, p.Path) || !cm.ValidOn(to) {
				continue
			}
			areas, err := tx.AreasOf(ctx, cm, y)
			if err != nil {
				return err
			}
			type pay struct {
				h       fund.Household
				purpose string
				day     string
				amount  int64
			}
			var pays []pay
			var need int64
			for _, a := range areas {
				if !a.ValidOn(to) {
					continue
				}
				poor, special := 1+r.IntN(demoPoorPerArea), r.IntN(2)
				for i := range poor + special {
					status := fund.Poor
					if i >= poor {
						status = fund.Special
					}
					h, err := fund.RegisterHousehold(ctx, tx, fundOfficer, cm, fund.Household{Year: y, AreaID: a.ID, Head: personName(r),
						Address: a.Name, Status: status})
					if err != nil {
						return fmt.Errorf("%s, %s: %w", cm.Name, a.Name, err)
					}
					if status == fund.Poor {
						if r.Float64() >= demoPoorMissed {
							pays = append(pays, pay{h, "tet_gift", max(from, fmt.Sprintf("%d-01-20", y)), demoTetGift})
						}
						continue
					}
					once := r.Float64() < demoHelpMissed
					for q := range 4 {
						day := fmt.Sprintf("%d-%02d-10", y, 3*q+2)
						if day < from || day > to || (once && len(pays) > 0 && pays[len(pays)-1].h.ID == h.ID) {
							continue
						}
						pays = append(pays, pay{h, pick(r, []string{"medical", "livelihood", "education"}), day, demoSupport})
					}
				}
			}
			for _, x := range pays {
				need += x.amount
			}
			if need == 0 {
				continue
			}
			if _, err := fund.TransferFunds(ctx, tx, fundOfficer, p, cm, fund.Entry{CampaignID: c.ID, Day: from, Amount: need,
				Description: "Kinh phí quà Tết hộ nghèo, hỗ trợ hộ khó khăn năm " + strconv.Itoa(y) + " cho " + cm.Name}); err != nil {
				return fmt.Errorf("%s: %w", cm.Name, err)
			}
			for _, x := range pays {
				note := "Hỗ trợ hộ có hoàn cảnh khó khăn đặc biệt"
				if x.purpose == "tet_gift" {
					note = "Quà Tết hộ nghèo"
				}
				q, err := fund.RequestDisbursement(ctx, tx, fundOfficer, cm, fund.Request{CampaignID: c.ID, Day: x.day, Amount: x.amount,
					Purpose: x.purpose, HouseholdID: x.h.ID, Beneficiary: "Hộ " + x.h.Head, Note: note})
				if err != nil {
					return err
				}
				if _, err := fund.ApproveDisbursement(ctx, tx, fundLeader, q.ID); err != nil {
					return fmt.Errorf("%s: %w", cm.Name, err)
				}
			}
		}
		return nil
	})
}
