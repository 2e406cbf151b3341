package report

import (
	"strings"
	"testing"
	"time"

	"mattran/internal/unit"
)

// Each level's heading, place, recipients and signature, as its Front
// committee writes them.
func TestNew(t *testing.T) {
	province := unit.Unit{Code: "24", Name: "Tỉnh Bắc Giang", Kind: unit.Province, OfficialType: "Tỉnh"}
	city := unit.Unit{Code: "213", Name: "Thành phố Bắc Giang", Kind: unit.District, OfficialType: "Thành phố"}
	ward := unit.Unit{Code: "07201", Name: "Phường Thọ Xương", Kind: unit.Commune, OfficialType: "Phường"}
	area := unit.Unit{Code: "KDC-1", Name: "Tổ dân phố 1", Kind: unit.ResidentialArea}
	day := time.Date(2025, 2, 5, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		u, parent                        unit.Unit
		committee, issuer, date, signFor string
		recipients                       string
	}{
		{province, unit.Unit{}, "UB MTTQ VIỆT NAM TỈNH BẮC GIANG", "BAN THƯỜNG TRỰC", "Bắc Giang, ngày 05 tháng 02 năm 2025", "TM. BAN THƯỜNG TRỰC",
			"Ban Thường trực UB TW MTTQ Việt Nam;|Thường trực Tỉnh ủy;|Lưu: VT."},
		{city, province, "UB MTTQ VIỆT NAM THÀNH PHỐ BẮC GIANG", "BAN THƯỜNG TRỰC", "Bắc Giang, ngày 05 tháng 02 năm 2025", "TM. BAN THƯỜNG TRỰC",
			"Ban Thường trực UB MTTQ tỉnh Bắc Giang;|Thường trực Thành ủy;|Lưu: VT."},
		{ward, city, "UB MTTQ VIỆT NAM PHƯỜNG THỌ XƯƠNG", "BAN THƯỜNG TRỰC", "Thọ Xương, ngày 05 tháng 02 năm 2025", "TM. BAN THƯỜNG TRỰC",
			"Ban Thường trực UB MTTQ thành phố Bắc Giang;|Đảng ủy phường Thọ Xương;|Lưu: VT."},
		{area, ward, "UB MTTQ VIỆT NAM PHƯỜNG THỌ XƯƠNG", "BAN CÔNG TÁC MẶT TRẬN TỔ DÂN PHỐ 1", "Thọ Xương, ngày 05 tháng 02 năm 2025", "TM. BAN CÔNG TÁC MẶT TRẬN",
			"Ban Thường trực UB MTTQ phường Thọ Xương;|Chi bộ tổ dân phố 1;|Lưu: VT."},
	} {
		d := New(c.u, c.parent, day)
		if d.Committee != c.committee || d.Issuer != c.issuer || d.PlaceDate != c.date || d.SignFor != c.signFor || strings.Join(d.Recipients, "|") != c.recipients {
			t.Errorf("%s: %q / %q / %q / %q / %q", c.u.Name, d.Committee, d.Issuer, d.PlaceDate, d.SignFor, d.Recipients)
		}
	}
	// Days from 10 and months from 3 take no leading zero.
	if got := dateWords(time.Date(2024, 12, 10, 0, 0, 0, 0, time.UTC)); got != "ngày 10 tháng 12 năm 2024" {
		t.Errorf("dateWords = %q", got)
	}
	if got := dateWords(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)); got != "ngày 01 tháng 3 năm 2024" {
		t.Errorf("dateWords = %q", got)
	}
	// A long committee name breaks after "VIỆT NAM"; a short one does not.
	if got := New(city, province, day).CommitteeLines(); len(got) != 2 || got[1] != "THÀNH PHỐ BẮC GIANG" {
		t.Errorf("CommitteeLines = %q", got)
	}
	if got := New(province, unit.Unit{}, day).CommitteeLines(); len(got) != 1 {
		t.Errorf("CommitteeLines = %q", got)
	}
}
