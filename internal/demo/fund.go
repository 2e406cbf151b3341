package demo

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"

	"mattran/internal/audit"
	"mattran/internal/calendar"
	"mattran/internal/fund"
	"mattran/internal/store"
	"mattran/internal/unit"
)

// reliefTransfers is the size of the demo's relief campaign: about one
// bank's statement of the 2024 Typhoon Yagi appeal (200,364 transactions).
var reliefTransfers = 200_000

// The demo's officer and leader of the books: two people, so that no one
// approves a disbursement they entered.
var (
	fundOfficer = audit.Actor{UserID: -13, Name: "demo (cán bộ quỹ)"}
	fundLeader  = audit.Actor{UserID: -14, Name: "demo (lãnh đạo duyệt chi)"}
)

// funds fills the ledger: the yearly Fund for the Poor of each world's
// province, its districts and communes, in every year whose T2.1 figure
// the ledger computes (after the program's typed years) up to the world's
// end or today; a Tết campaign of the new world; and, in the old world,
// the Yagi relief campaign of September 2024 read from a synthetic bank
// statement of reliefTransfers rows through the statement import (the
// bulk path: one transaction, multi-row INSERTs), sent down to the
// districts and communes and disbursed per commune.
func (l *loader) funds(ctx context.Context, old, cur *World) error {
	r := rand.New(rand.NewPCG(13, 2026))
	// The registers of households draw from their own source, so the
	// receipts above are the same with or without them.
	rh := rand.New(rand.NewPCG(17, 2026))
	for _, w := range []*World{old, cur} {
		first, last := w.From.StartDate(), w.To.EndDate()
		if last > l.today {
			last = l.today
		}
		if y := fmt.Sprintf("%d-01-01", firstComputedYear(w.Program, "fund")); first < y {
			first = y
		}
		for y := atoi(first[:4]); y <= atoi(last[:4]); y++ {
			from, to := max(first, fmt.Sprintf("%d-01-01", y)), min(last, fmt.Sprintf("%d-12-31", y))
			c, err := l.fundYear(ctx, w, r, y, from, to)
			if err != nil {
				return fmt.Errorf("quỹ vì người nghèo %s năm %d: %w", w.Provinces[0].Name, y, err)
			}
			if err := l.householdsYear(ctx, w, rh, y, from, to, c); err != nil {
				return fmt.Errorf("danh sách hộ %s năm %d: %w", w.Provinces[0].Name, y, err)
			}
		}
	}
	if err := l.tet(ctx, cur, r); err != nil {
		return err
	}
	return l.relief(ctx, old, r)
}

func atoi(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}

// fundYear is one world's yearly Fund for the Poor campaign of year y,
// with receipts dated from..to at the province, its districts and
// communes: a year's volume, in proportion to the days covered, so that a
// full year's province total lands near T2.1's 50 billion (some years
// above, some below).
func (l *loader) fundYear(ctx context.Context, w *World, r *rand.Rand, y int, from, to string) (fund.Campaign, error) {
	p := w.Provinces[0]
	code := fmt.Sprintf("QVNN-%s-%d", p.Code, y)
	if from[5:] != "01-01" {
		// The new tree's first year starts at the reform, and its
		// province reuses the old one's code.
		code += "-" + from[5:7]
	}
	days := calendar.MustParseDate(to).Sub(calendar.MustParseDate(from)) + 1
	share := float64(days) / 365
	var c fund.Campaign
	return c, l.s.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		c, err = fund.OpenCampaign(ctx, tx, fundLeader, p, fund.Campaign{Code: code,
			Name: fmt.Sprintf("Quỹ Vì người nghèo năm %d — %s", y, p.Name), Kind: fund.Yearly, Year: y})
		if err != nil {
			return err
		}
		for _, u := range w.Tree {
			n, scale := 0, int64(1)
			switch u.Kind {
			case unit.Province:
				n, scale = 6, 280
			case unit.District:
				n = 3
			case unit.Commune:
				n = 1
			}
			if n > 0 {
				n = max(1, int(float64(n)*share+0.5))
			}
			for range n {
				day := calendar.MustParseDate(from).AddDays(r.IntN(days)).String()
				donor, kind := pick(r, donors), fund.Organisation
				if r.IntN(3) == 0 {
					donor, kind = personName(r), fund.Person
				}
				amount := int64(1+r.IntN(50)) * 1_000_000 * scale
				if _, err := fund.Receive(ctx, tx, fundOfficer, u, fund.Entry{CampaignID: c.ID, Day: day, Amount: amount,
					Channel: pick(r, []string{fund.Cash, fund.BankWire}), DonorKind: kind, Donor: donor,
					Description: fmt.Sprintf("Ủng hộ Quỹ Vì người nghèo năm %d", y)}); err != nil {
					return fmt.Errorf("%s: %w", u.Name, err)
				}
			}
		}
		return nil
	})
}

var donors = []string{"Công ty TNHH Hòa Bình", "Ngân hàng TMCP Ngoại thương chi nhánh Bắc Giang", "Công ty CP Xây dựng Trường Thành",
	"Hội Doanh nhân trẻ tỉnh", "Trường THPT Ngô Sĩ Liên", "Công đoàn Sở Y tế", "Hợp tác xã Nông nghiệp Tân Yên", "Chi nhánh Viettel"}

// tet is the new world's "Tết vì người nghèo": the province receives and
// sends gifts' money to each district, which gives Tết gifts to poor
// households, entered by an officer and approved by a leader.
func (l *loader) tet(ctx context.Context, w *World, r *rand.Rand) error {
	p := w.Provinces[0]
	y := 0
	fmt.Sscan(l.today[:4], &y)
	if l.today[5:] < "12-01" {
		y-- // the last Tết campaign that has started
	}
	from := fmt.Sprintf("%d-12-01", y)
	return l.s.WithTx(ctx, func(tx *store.Tx) error {
		c, err := fund.OpenCampaign(ctx, tx, fundLeader, p, fund.Campaign{Code: fmt.Sprintf("TET-%s-%d", p.Code, y+1),
			Name: fmt.Sprintf("Tết vì người nghèo Xuân %d — %s", y+1, p.Name), Kind: fund.Tet, Year: y + 1})
		if err != nil {
			return err
		}
		if _, err := fund.Receive(ctx, tx, fundOfficer, p, fund.Entry{CampaignID: c.ID, Day: from, Amount: 3_000_000_000,
			Channel: fund.BankWire, DonorKind: fund.Organisation, Donor: "Các doanh nghiệp trên địa bàn tỉnh", Description: "Ủng hộ Tết vì người nghèo"}); err != nil {
			return err
		}
		for _, d := range w.Tree {
			if d.Kind != unit.District || d.ParentID != p.ID {
				continue
			}
			if _, err := fund.TransferFunds(ctx, tx, fundOfficer, p, d, fund.Entry{CampaignID: c.ID, Day: from, Amount: 100_000_000,
				Description: "Phân bổ quà Tết cho " + d.Name}); err != nil {
				return err
			}
			for i := range 3 {
				q, err := fund.RequestDisbursement(ctx, tx, fundOfficer, d, fund.Request{CampaignID: c.ID, Day: from, Amount: 1_000_000, Purpose: "tet_gift",
					Beneficiary: "Hộ " + personName(r) + ", thôn " + fmt.Sprint(1+i), Note: "Quà Tết hộ nghèo"})
				if err != nil {
					return err
				}
				if _, err := fund.ApproveDisbursement(ctx, tx, fundLeader, q.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// relief is the old world's Yagi appeal: the province's account receives
// reliefTransfers transfers (read from a statement the demo writes), sends
// money to each district and on to each of its communes, and each commune
// disburses to households hit by the storm.
func (l *loader) relief(ctx context.Context, w *World, r *rand.Rand) error {
	p := w.Provinces[0]
	return l.s.WithTx(ctx, func(tx *store.Tx) error {
		c, err := fund.OpenCampaign(ctx, tx, fundLeader, p, fund.Campaign{Code: "YAGI-2024", Name: "Ủng hộ đồng bào bị thiệt hại do bão số 3 (Yagi)",
			Kind: fund.Relief, Year: 2024, ReceiveFrom: "2024-09-09", ReceiveTo: "2024-10-31", DistributeTo: "2024-11-15", Bank: "Vietcombank", Account: "0011001932418"})
		if err != nil {
			return err
		}
		if err := fund.Disclose(ctx, tx, fundLeader, c.ID, "arrangements", "2024-09-08", "Thông báo số tài khoản tiếp nhận trên Báo Bắc Giang"); err != nil {
			return err
		}
		if _, err := fund.ImportStatement(ctx, tx, fundOfficer, p, c.ID, "sao-ke-vcb-yagi.csv", fund.Generic, bytes.NewReader(yagiStatement(r, reliefTransfers))); err != nil {
			return err
		}
		kids := map[int64][]unit.Unit{}
		for _, u := range w.Tree {
			kids[u.ParentID] = append(kids[u.ParentID], u)
		}
		for _, d := range kids[p.ID] {
			if d.Kind != unit.District {
				continue
			}
			communes := kids[d.ID]
			if _, err := fund.TransferFunds(ctx, tx, fundOfficer, p, d, fund.Entry{CampaignID: c.ID, Day: "2024-11-01",
				Amount: int64(len(communes)+1) * 60_000_000, Description: "Phân bổ tiền ủng hộ bão số 3 cho " + d.Name}); err != nil {
				return err
			}
			for _, cm := range communes {
				if _, err := fund.TransferFunds(ctx, tx, fundOfficer, d, cm, fund.Entry{CampaignID: c.ID, Day: "2024-11-03",
					Amount: 60_000_000, Description: "Phân bổ cho " + cm.Name}); err != nil {
					return err
				}
				for i := range 2 {
					purpose, amount := "relief", int64(10_000_000)
					if i == 1 {
						purpose, amount = "house", 30_000_000
					}
					q, err := fund.RequestDisbursement(ctx, tx, fundOfficer, cm, fund.Request{CampaignID: c.ID, Day: "2024-11-10", Amount: amount,
						Purpose: purpose, Beneficiary: "Hộ " + personName(r) + ", thôn " + fmt.Sprint(1+r.IntN(12)), DocNo: fmt.Sprintf("PC-%03d", i+1),
						Note: "Hỗ trợ khắc phục hậu quả bão số 3"})
					if err != nil {
						return err
					}
					if _, err := fund.ApproveDisbursement(ctx, tx, fundLeader, q.ID); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// yagiStatement writes n credits in the style of the 2024 statements:
// names with and without diacritics, phone numbers in descriptions,
// document numbers that repeat.
func yagiStatement(r *rand.Rand, n int) []byte {
	var b bytes.Buffer
	b.Grow(n * 110)
	b.WriteString("Ngày GD;Số CT;Số tiền ghi nợ;Số tiền ghi có;Số dư;Nội dung chi tiết\n")
	names := []string{"NGUYEN VAN DUONG", "Trần Thị Hoa", "Lê Văn Tư", "PHAM THI LAN", "Đỗ Minh Đức", "HOANG VAN NAM", "Nguyễn Thị Hường",
		"VU DUC THANG", "Bùi Thị Thu", "DANG QUOC VIET", "Ngô Văn Sáu", "TRINH THI MAI"}
	texts := []string{"ung ho dong bao bao Yagi", "Ủng hộ đồng bào bị bão lũ", "ung ho bao so 3", "MTTQ ung ho mien Bac", "chia se kho khan voi ba con vung lu"}
	for i := range n {
		day := 9 + i*53/n // 9 September to 31 October, in order
		month := 9
		if day > 30 {
			day, month = day-30, 10
		}
		amount := []int{10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000}[r.IntN(8)]
		phone := ""
		if r.IntN(3) == 0 {
			phone = fmt.Sprintf(" sdt 09%08d", r.IntN(100_000_000))
		}
		fmt.Fprintf(&b, "%02d/%02d/2024;%d.%d;;%d;;MBVCB.%d.%s %s%s\n", day, month, 5000+i%977, i%50_000, amount,
			6_900_000_000+i, names[r.IntN(len(names))], texts[r.IntN(len(texts))], phone)
	}
	return b.Bytes()
}
