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
	AreaID  int64  `json:"-"` // the residential area (khu dân cư) under the commune; 0 on rows registered before areas were asked for
	Year    int    `json:"year"`
	Head    string `json:"head"`
	Address string `json:"address"`
	Status  string `json:"status"`
}

// HouseholdTx is what registering a household needs.
type HouseholdTx interface {
	PutHousehold(ctx context.Context, a audit.Actor, h Household) (Household, error)
	// AreasOf are the residential areas under a commune that exist on
	// some day of the year, by code.
	AreasOf(ctx context.Context, commune unit.Unit, year int) ([]unit.Unit, error)
}

// RegisterHousehold validates and stores a household of a commune for a
// year, in one of the commune's residential areas of that year.
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
	if err := checkArea(ctx, tx, u, h); err != nil {
		return Household{}, err
	}
	h.ID, h.UnitID = 0, u.ID
	return tx.PutHousehold(ctx, a, h)
}

// checkArea: T2.2 and T2.3 are counted per residential area, so a
// household names one of its commune's areas of that year. Only a commune
// that has no area in the system for the year may leave it out (its
// households then count in no area's figure).
func checkArea(ctx context.Context, tx HouseholdTx, u unit.Unit, h Household) error {
	areas, err := tx.AreasOf(ctx, u, h.Year)
	if err != nil {
		return err
	}
	if h.AreaID == 0 {
		if len(areas) > 0 {
			return invalidArea("Chưa chọn khu dân cư của hộ.", errs.Required, errs.Args{})
		}
		return nil
	}
	for _, a := range areas {
		if a.ID == h.AreaID {
			return nil
		}
	}
	return invalidArea("Khu dân cư của hộ không thuộc xã.", errs.FundAreaNotUnder, errs.Args{UnitName: u.Name, Number: float64(h.Year)})
}

// invalidArea is a refusal of the household's area (field "area", the
// form's "Khu dân cư"), with a message that names it.
func invalidArea(msg string, code errs.Reason, a errs.Args) error {
	return &errs.Error{Code: errs.Invalid, Message: msg, Details: []errs.Detail{{Field: "area", Code: code, Args: a}}}
}
