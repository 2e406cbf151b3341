// Package unit holds the organisation tree: Front committees from the
// central committee down to residential areas, and the member organisations
// hanging under them.
//
// The tree changes over time (on 1/7/2025 districts were abolished and
// communes merged), and official codes are reused across that change, so a
// code names a unit only together with a date. Each unit row is one version
// with a validity interval; a structural change closes the old versions and
// opens new ones linked by successor links (full or partial).
package unit

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind is the level of a unit. Levels are kinds, not depths: a tree without
// districts (after 7/2025) works unchanged.
type Kind string

const (
	Central         Kind = "central" // Ủy ban Trung ương MTTQ Việt Nam: the root, so national roll-ups have a unit
	Province        Kind = "province"
	District        Kind = "district"
	Commune         Kind = "commune"
	ResidentialArea Kind = "residential_area"
	MemberOrg       Kind = "member_org"
)

// Kinds lists every kind, top-down.
var Kinds = []Kind{Central, Province, District, Commune, ResidentialArea, MemberOrg}

// ParseKind accepts a kind's English name.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("loại đơn vị %q không hợp lệ (dùng một trong: central, province, district, commune, residential_area, member_org)", s)
}

// Label is the Vietnamese name of the level.
func (k Kind) Label() string {
	switch k {
	case Central:
		return "Trung ương"
	case Province:
		return "Tỉnh, thành phố"
	case District:
		return "Huyện, thị xã, thành phố thuộc tỉnh"
	case Commune:
		return "Xã, phường, thị trấn"
	case ResidentialArea:
		return "Khu dân cư"
	case MemberOrg:
		return "Tổ chức thành viên"
	}
	return string(k)
}

// Rank orders kinds from the top of the tree; member organisations sit
// beside the committee of their level, so they rank last.
func (k Kind) Rank() int {
	for i, kk := range Kinds {
		if kk == k {
			return i
		}
	}
	return len(Kinds)
}

// CanBeUnder reports whether a unit of kind k may hang directly under a
// unit of kind parent: provinces under the central committee, districts
// under provinces, communes under districts (or provinces, after 7/2025),
// residential areas under communes, member organisations under any
// committee.
func (k Kind) CanBeUnder(parent Kind) bool {
	switch k {
	case Province:
		return parent == Central
	case District:
		return parent == Province
	case Commune:
		return parent == District || parent == Province
	case ResidentialArea:
		return parent == Commune
	case MemberOrg:
		return parent == Central || parent == Province || parent == District || parent == Commune
	}
	return false
}

// Dates are kept as "YYYY-MM-DD" strings: they compare correctly as text in
// Go and in both database engines.
const (
	Beginning = "0001-01-01" // valid since before our records
	Forever   = "9999-12-31" // still valid
)

// Unit is one version of an organisation unit.
type Unit struct {
	ID           int64  `json:"-"`
	Code         string `json:"code"`
	Name         string `json:"name"`
	Kind         Kind   `json:"kind"`
	OfficialType string `json:"officialType,omitempty"` // "Xã", "Phường", "Huyện"… as the official list writes it
	ParentID     int64  `json:"-"`
	// Path lists the ids from the root down to this unit, "/1/25/380/".
	// A subtree is a range of paths, which is how values are indexed.
	Path      string `json:"-"`
	ValidFrom string `json:"validFrom"`
	ValidTo   string `json:"validTo"`
	Synthetic bool   `json:"synthetic,omitempty"`
}

// ValidOn reports whether the unit exists on date (YYYY-MM-DD).
func (u Unit) ValidOn(date string) bool { return u.ValidFrom <= date && date <= u.ValidTo }

// Overlaps reports whether the unit exists on some day of [from, to].
func (u Unit) Overlaps(from, to string) bool { return u.ValidFrom <= to && from <= u.ValidTo }

// AncestorIDs returns the ids on the path above the unit, root first.
func (u Unit) AncestorIDs() []int64 {
	return PathIDs(u.Path[:len(u.Path)-len(strconv.FormatInt(u.ID, 10))-1])
}

// PathIDs parses "/1/25/380/" into [1 25 380].
func PathIDs(path string) []int64 {
	var ids []int64
	for _, s := range strings.Split(strings.Trim(path, "/"), "/") {
		if s == "" {
			continue
		}
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil
		}
		ids = append(ids, id)
	}
	return ids
}

// ChildPath is the path of a child with the given id.
func ChildPath(parentPath string, id int64) string {
	return parentPath + strconv.FormatInt(id, 10) + "/"
}

// PathRange returns the bounds [lo, hi) of every path in the subtree at
// path: its descendants and itself. '0' is the byte after '/', so no path
// outside the subtree falls in between.
func PathRange(path string) (lo, hi string) {
	return path, path[:len(path)-1] + "0"
}

// InSubtree reports whether path lies in the subtree rooted at root.
func InSubtree(path, root string) bool { return strings.HasPrefix(path, root) }

// Succession is how a new unit took over an old one.
type Succession string

const (
	Full    Succession = "full"    // the whole old unit went into the new one
	Partial Succession = "partial" // part of it did; the rest went elsewhere
)

// Successor links an old unit version to a unit that took it over.
type Successor struct {
	From Unit       `json:"from"`
	To   Unit       `json:"to"`
	Kind Succession `json:"kind"`
}
