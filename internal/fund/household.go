package fund

import (
	"context"

	"mattran/internal/audit"
	"mattran/internal/errs"
	"mattran/internal/unit"
)

// Household statuses in the register (danh sách hộ).
const (
	Poor     = "poor"      // hộ nghèo
	NearPoor = "near_poor" // hộ cận nghèo
	Special  = "special"   // hộ có hoàn cảnh khó khăn đặc biệt
)

// StatusLabel is a household status as the pages write it.
func StatusLabel(s string) string {
	switch s {
	case Poor:
		return "Hộ nghèo"
	case NearPoor:
		return "Hộ cận nghèo"
	case Special:
		return "Hộ khó khăn đặc biệt"
	}
	return s
}

// Household is one household of a commune's register for a year: T2.2
// counts the poor ones that got a Tết gift, T2.3 the special ones
// supported.
type Household struct {
	ID      int64  `json:"id"`
	UnitID  int64  `json:"-"`
	Year    int    `json:"year"`
	Head    string `json:"head"`
	Address string `json:"address"`
	Status  string `json:"status"`
}

// HouseholdTx is what registering a household needs.
type HouseholdTx interface {
	PutHousehold(ctx context.Context, a audit.Actor, h Household) (Household, error)
}

// RegisterHousehold validates and stores a household of a commune (or a
// residential area's commune) for a year.
func RegisterHousehold(ctx context.Context, tx HouseholdTx, a audit.Actor, u unit.Unit, h Household) (Household, error) {
	if u.Kind != unit.Commune {
		return Household{}, errs.New(errs.Invalid, "Danh sách hộ lập theo xã, phường; %s không phải cấp xã.", u.Name)
	}
	var err error
	if h.Head, err = checkText("head", h.Head); err != nil {
		return Household{}, err
	}
	if h.Address, err = checkText("address", h.Address); err != nil {
		return Household{}, err
	}
	if h.Head == "" {
		return Household{}, invalidEntry("head", errs.Required, errs.Args{})
	}
	switch h.Status {
	case Poor, NearPoor, Special:
	default:
		return Household{}, invalidEntry("status", errs.FundBadKind, errs.Args{Text: h.Status})
	}
	if h.Year < 2000 || h.Year > 2100 {
		return Household{}, invalidEntry("year", errs.FundBadYear, errs.Args{})
	}
	h.ID, h.UnitID = 0, u.ID
	return tx.PutHousehold(ctx, a, h)
}
