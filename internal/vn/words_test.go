package vn

import "testing"

func TestAmountInWords(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{50_000_000, "Năm mươi triệu đồng chẵn"},
		{0, "Không đồng"},
		{1, "Một đồng"},
		{5, "Năm đồng"},
		{10, "Mười đồng"},
		{11, "Mười một đồng"},
		{14, "Mười bốn đồng"},
		{15, "Mười lăm đồng"},
		{21, "Hai mươi mốt đồng"},
		{24, "Hai mươi tư đồng"},
		{25, "Hai mươi lăm đồng"},
		{30, "Ba mươi đồng"},
		{101, "Một trăm linh một đồng"},
		{105, "Một trăm linh năm đồng"},
		{115, "Một trăm mười lăm đồng"},
		{1_000, "Một nghìn đồng chẵn"},
		{1_005, "Một nghìn không trăm linh năm đồng"},
		{1_050_000, "Một triệu không trăm năm mươi nghìn đồng chẵn"},
		{1_000_500, "Một triệu năm trăm đồng"},
		{1_234_567, "Một triệu hai trăm ba mươi tư nghìn năm trăm sáu mươi bảy đồng"},
		{500_000, "Năm trăm nghìn đồng chẵn"},
		{1_000_000_000, "Một tỷ đồng chẵn"},
		{50_000_000_000, "Năm mươi tỷ đồng chẵn"},
		{2_000_001_000, "Hai tỷ không trăm linh một nghìn đồng chẵn"},
		{1_000_000_000_000, "Một nghìn tỷ đồng chẵn"},
		{1_500_000_000_000, "Một nghìn năm trăm tỷ đồng chẵn"},
		{-200_000, "Âm hai trăm nghìn đồng chẵn"},
	}
	for _, tt := range tests {
		if got := AmountInWords(tt.n); got != tt.want {
			t.Errorf("AmountInWords(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
