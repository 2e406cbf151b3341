package fund_test

import (
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"mattran/internal/fund"
)

// The chain's hashes and the statement rows' fingerprints are stored: a
// change in how they are computed would make every stored ledger fail
// `ledger verify` and every statement imported before be imported again.
// These values were computed by the code that wrote the first ledgers.
func TestHashesAreStable(t *testing.T) {
	e := fund.Entry{ID: 42, CampaignID: 3, UnitID: 7, ToUnitID: 9, Kind: fund.Transfer, Day: "2024-09-20", Amount: -1_250_000,
		Channel: "transfer", DocNo: "5213.81246", DonorKind: "person", Donor: "Nguyễn Văn Đường", Description: "ủng hộ đồng bào 0912345678",
		Purpose: "relief", HouseholdID: 11, Reverses: 40, RequestID: 5, StatementID: 77, EnteredBy: "Cán bộ Lan", ApprovedBy: "Lãnh đạo Minh",
		RecordedAt: time.Date(2024, 9, 20, 3, 4, 5, 123456789, time.FixedZone("ICT", 7*3600))}
	if got, want := fund.HashOf("ab12", e), "d53659f510707eae12433746ace122f14e35d839cb58206f81fee10e2df6246b"; got != want {
		t.Errorf("HashOf = %s, want %s", got, want)
	}
	var fps []string
	_, err := fund.ReadStatement(strings.NewReader(vcbStatement), fund.Presets[0], func(r fund.StatementRow) error {
		fps = append(fps, hex.EncodeToString(r.Fingerprint[:]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(fps, " "), "ec1793849ce38e8c21e3b4b09538b68900000000 deaaac76e866c1c4880bd6aea8c277b000000000 "+
		"d413c2e078bb19b9efbdda210ce3251900000000 d413c2e078bb19b9efbdda210ce3251900000001 706f81c25970602147e5b3ad65c3b60c00000000"; got != want {
		t.Errorf("fingerprints = %s, want %s", got, want)
	}
}
